#!/usr/bin/env bash
# The main job: installs what is missing, builds, makes a local CA and a
# certificate for localhost (once), writes an example configuration
# (demo/lucid.conf: a plain and a TLS listener on a small site), starts
# lucid-server with it, and fetches a page over plain HTTP and over TLS 1.3
# with lucid-client, the handshake traced step by step. The server keeps
# running for you to try with curl or a browser; --once stops it after the
# fetches (for scripts).
#   scripts/demo.sh [--once] [--port N] [--plain-port N]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
once=0
port=8443
plain_port=8080
while [ $# -gt 0 ]; do
    case "$1" in
        --once) once=1 ;;
        --port) port=$2; shift ;;
        --plain-port) plain_port=$2; shift ;;
        *) echo "usage: scripts/demo.sh [--once] [--port N] [--plain-port N]" >&2; exit 2 ;;
    esac
    shift
done

scripts/setup.sh
scripts/build.sh "$top/build"
bin="$top/build/bin"
demo="$top/demo"
certs="$demo/certs"
mkdir -p "$demo/site"

# A local CA (root and intermediate) and a localhost certificate, made once with lucid-cert.
if [ ! -f "$certs/localhost_chain.pem" ]; then
    echo "== making a local CA and a certificate for localhost in $certs (lucid-cert)"
    rm -rf "$certs"
    "$bin/lucid-cert" init --dir "$certs"
    "$bin/lucid-cert" issue localhost 127.0.0.1 ::1 --dir "$certs" --out "$certs/localhost"
fi
ca="$certs/root_cert.pem"
if [ ! -f "$demo/site/index.html" ]; then
    cat > "$demo/site/index.html" <<'HTML'
<!doctype html>
<html><head><title>Lucid</title></head>
<body><h1>Hello from Lucid</h1><p>This page came to you over TLS 1.3, spoken by Lucid.</p></body>
</html>
HTML
fi

# The configuration, nginx style; paths are relative to this file's directory.
conf="$demo/lucid.conf"
cat > "$conf" <<CONF
# Written by scripts/demo.sh; conf/lucid.conf shows every directive.
worker_processes 2;
events { worker_connections 1024; }
http {
    access_log server.log;
    server {
        listen 127.0.0.1:$plain_port;
        listen 127.0.0.1:$port ssl;
        server_name localhost;
        ssl_certificate     certs/localhost_chain.pem;
        ssl_certificate_key certs/localhost_key.pem;
        location / { root site; index index.html; }
    }
}
CONF
log="$demo/server.log"
out="$demo/server.out"
: > "$log"
echo "== lucid-server -t -c $conf"
"$bin/lucid-server" -t -c "$conf"
echo "== starting lucid-server -c $conf (plain http://localhost:$plain_port/, TLS https://localhost:$port/)"
"$bin/lucid-server" -c "$conf" > "$out" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    [ "$(grep -c "listening" "$out" 2>/dev/null)" -ge 2 ] && break
    kill -0 $server 2>/dev/null || { cat "$out"; echo "demo: lucid-server did not start"; exit 1; }
    sleep 0.1
done
cat "$out"

echo
echo "== lucid-client -v http://localhost:$plain_port/   (plain HTTP: no TLS)"
"$bin/lucid-client" -v "http://localhost:$plain_port/"
echo
echo "== lucid-client --trace -v --cacert $ca https://localhost:$port/   (TLS 1.3, traced)"
"$bin/lucid-client" --trace -v --cacert "$ca" "https://localhost:$port/"
echo
echo "== the server's access log ($log)"
cat "$log"

if [ $once -eq 1 ]; then
    exit 0
fi
cat <<EOF2

lucid-server is running on https://localhost:$port/ and http://localhost:$plain_port/
with the configuration $conf (Ctrl-C stops it; kill -HUP $server reloads it). Try:
  curl --cacert $ca https://localhost:$port/
  curl http://localhost:$plain_port/
  openssl s_client -connect localhost:$port -CAfile $ca
  $bin/lucid-client --trace --cacert $ca https://localhost:$port/
A browser trusts it once $ca is imported as an authority.
EOF2
wait $server

#!/usr/bin/env bash
# The main job: installs what is missing, builds, makes a local CA and a
# certificate for localhost (once), starts lucid-server on a small site, and
# fetches a page over TLS 1.3 with lucid-client, the handshake traced step by
# step. The server keeps running for you to try with curl or a browser;
# --once stops it after the fetch (for scripts).
#   scripts/demo.sh [--once] [--port N]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
once=0
port=8443
while [ $# -gt 0 ]; do
    case "$1" in
        --once) once=1 ;;
        --port) port=$2; shift ;;
        *) echo "usage: scripts/demo.sh [--once] [--port N]" >&2; exit 2 ;;
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

log="$demo/server.log"
echo "== starting lucid-server on https://localhost:$port/"
"$bin/lucid-server" --listen "127.0.0.1:$port" --cert "$certs/localhost_chain.pem" \
    --key "$certs/localhost_key.pem" --root "$demo/site" > "$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do
    grep -q "listening" "$log" 2>/dev/null && break
    kill -0 $server 2>/dev/null || { cat "$log"; echo "demo: lucid-server did not start"; exit 1; }
    sleep 0.1
done

echo "== lucid-client --trace https://localhost:$port/"
"$bin/lucid-client" --trace -v --cacert "$ca" "https://localhost:$port/"
echo
echo "== the server's log"
cat "$log"

if [ $once -eq 1 ]; then
    exit 0
fi
cat <<EOF2

lucid-server is running on https://localhost:$port/ (Ctrl-C stops it). Try:
  curl --cacert $ca https://localhost:$port/
  openssl s_client -connect localhost:$port -CAfile $ca
  $bin/lucid-client --trace --cacert $ca https://localhost:$port/
A browser trusts it once $ca is imported as an authority.
EOF2
wait $server

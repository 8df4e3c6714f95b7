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
mkdir -p "$certs" "$demo/site"

# A local CA and a localhost certificate (ECDSA P-256), made once.
if [ ! -f "$certs/localhost_chain.pem" ]; then
    echo "== making a local CA and a certificate for localhost in $certs"
    (
        cd "$certs"
        umask 077
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca_key.pem 2>/dev/null
        openssl req -x509 -new -key ca_key.pem -subj "/CN=Lucid Demo CA" -days 3650 \
            -addext "basicConstraints=critical,CA:true" \
            -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca_cert.pem
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
            -out localhost_key.pem 2>/dev/null
        openssl req -new -key localhost_key.pem -subj "/CN=localhost" -out localhost.csr
        printf '%s\n' "basicConstraints=critical,CA:false" "keyUsage=critical,digitalSignature" \
            "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" > leaf.ext
        openssl x509 -req -in localhost.csr -CA ca_cert.pem -CAkey ca_key.pem -CAcreateserial \
            -days 825 -extfile leaf.ext -out localhost_cert.pem 2>/dev/null
        cp localhost_cert.pem localhost_chain.pem
        rm -f localhost.csr leaf.ext ca_cert.srl
    )
fi
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
"$bin/lucid-client" --trace -v --cacert "$certs/ca_cert.pem" "https://localhost:$port/"
echo
echo "== the server's log"
cat "$log"

if [ $once -eq 1 ]; then
    exit 0
fi
cat <<EOF2

lucid-server is running on https://localhost:$port/ (Ctrl-C stops it). Try:
  curl --cacert $certs/ca_cert.pem https://localhost:$port/
  openssl s_client -connect localhost:$port -CAfile $certs/ca_cert.pem
  $bin/lucid-client --trace --cacert $certs/ca_cert.pem https://localhost:$port/
A browser trusts it once $certs/ca_cert.pem is imported as an authority.
EOF2
wait $server

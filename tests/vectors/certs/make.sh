#!/usr/bin/env bash
# Makes the small test PKI that unit tests load (committed beside this script):
# a root CA, an intermediate CA, and leaves for localhost/127.0.0.1 with
# ECDSA P-256, RSA-2048 and Ed25519 keys, valid for 100 years; and client
# certificates (clientAuth) under the same intermediate, one expired, one
# without clientAuth, and one under a second, unrelated root.
# Interop tests make a fresh PKI of their own at run time.
#   ./make.sh          everything
#   ./make.sh client   the client certificates only, under the existing CAs
set -euo pipefail
cd "$(dirname "$0")"
days=36500
cat > ext.cnf <<'CNF'
[v3_root]
basicConstraints = critical, CA:true
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[v3_inter]
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_leaf]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectAltName = DNS:localhost, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_client]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[v3_server_only]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
# client NAME SUBJECT ISSUER EXTENSIONS GENPKEY-ARGS...: NAME_cert.pem, NAME_key.pem and
# NAME_chain.pem (leaf + issuer), valid for 100 years
client() {
    local name=$1 subject=$2 issuer=$3 ext=$4; shift 4
    openssl genpkey "$@" -out ${name}_key.pem
    openssl req -new -key ${name}_key.pem -subj "$subject" -out ${name}.csr
    openssl x509 -req -in ${name}.csr -CA ${issuer}_cert.pem -CAkey ${issuer}_key.pem \
        -CAcreateserial -days $days -extfile ext.cnf -extensions $ext -out ${name}_cert.pem
    cat ${name}_cert.pem ${issuer}_cert.pem > ${name}_chain.pem
}
# An expired one: openssl ca sets both dates (x509 -req cannot start in the past).
expired_client() {
    local name=$1 d
    d=$(mktemp -d)
    touch $d/index.txt
    echo 1000 > $d/serial
    cat > $d/ca.cnf <<CA
[ca]
default_ca = this
[this]
database = $d/index.txt
serial = $d/serial
new_certs_dir = $d
certificate = inter_cert.pem
private_key = inter_key.pem
default_md = sha256
policy = anything
unique_subject = no
[anything]
commonName = supplied
organizationName = optional
CA
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ${name}_key.pem
    openssl req -new -key ${name}_key.pem -subj "/O=Lucid Test/CN=expired client" \
        -out ${name}.csr
    openssl ca -batch -notext -config $d/ca.cnf -in ${name}.csr -out ${name}_cert.pem \
        -startdate 20200101000000Z -enddate 20210101000000Z \
        -extfile ext.cnf -extensions v3_client
    cat ${name}_cert.pem inter_cert.pem > ${name}_chain.pem
    rm -rf $d
}
make_clients() {
    client client_ecdsa "/O=Lucid Test/CN=alice" inter v3_client \
        -algorithm EC -pkeyopt ec_paramgen_curve:P-256
    client client_rsa "/O=Lucid Test/CN=bob" inter v3_client \
        -algorithm RSA -pkeyopt rsa_keygen_bits:2048
    client client_ed25519 "/O=Lucid Test/CN=carol" inter v3_client -algorithm ED25519
    client client_no_auth "/O=Lucid Test/CN=server only" inter v3_server_only \
        -algorithm EC -pkeyopt ec_paramgen_curve:P-256
    expired_client client_expired
    # a root nobody here trusts, and a client under it
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out other_ca_key.pem
    openssl req -x509 -new -key other_ca_key.pem -subj "/CN=Some Other Root CA" -days $days \
        -extensions v3_root -config <(cat /etc/ssl/openssl.cnf ext.cnf) -out other_ca_cert.pem
    client client_other "/O=Elsewhere/CN=mallory" other_ca v3_client \
        -algorithm EC -pkeyopt ec_paramgen_curve:P-256
}
if [ "${1:-}" = client ]; then
    make_clients
    rm -f *.csr *.srl ext.cnf
    exit 0
fi
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out ca_key.pem
openssl req -x509 -new -key ca_key.pem -subj "/CN=Lucid Test Root CA" -days $days \
    -extensions v3_root -config <(cat /etc/ssl/openssl.cnf ext.cnf) -out ca_cert.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out inter_key.pem
openssl req -new -key inter_key.pem -subj "/CN=Lucid Test Intermediate CA" -out inter.csr
openssl x509 -req -in inter.csr -CA ca_cert.pem -CAkey ca_key.pem -CAcreateserial -days $days \
    -extfile ext.cnf -extensions v3_inter -out inter_cert.pem
leaf() {
    local name=$1; shift
    openssl genpkey "$@" -out ${name}_key.pem
    openssl req -new -key ${name}_key.pem -subj "/CN=localhost" -out ${name}.csr
    openssl x509 -req -in ${name}.csr -CA inter_cert.pem -CAkey inter_key.pem -CAcreateserial \
        -days $days -extfile ext.cnf -extensions v3_leaf -out ${name}_cert.pem
    cat ${name}_cert.pem inter_cert.pem > ${name}_chain.pem
}
leaf ecdsa -algorithm EC -pkeyopt ec_paramgen_curve:P-256
leaf rsa -algorithm RSA -pkeyopt rsa_keygen_bits:2048
leaf ed25519 -algorithm ED25519
make_clients
rm -f *.csr *.srl ext.cnf

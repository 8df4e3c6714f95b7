#!/usr/bin/env bash
# Makes the small test PKI that unit tests load (committed beside this script):
# a root CA, an intermediate CA, and leaves for localhost/127.0.0.1 with
# ECDSA P-256, RSA-2048 and Ed25519 keys, valid for 100 years.
# Interop tests make a fresh PKI of their own at run time.
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
CNF
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
rm -f *.csr *.srl ext.cnf

#!/bin/sh
# Makes the writer test inputs in this directory (run once; the key is random, the validity is
# fixed: 2026-01-01..2036-01-01, never "now"):
#   rsa2048.key.der   RSA-2048 private key, PKCS#8 DER (unencrypted: a test key, never used elsewhere)
#   rsa2048.cert.der  self-signed certificate for it, DER, with a subjectKeyIdentifier
# The PKCS#12 files beside them (nca-layout.p12, modern.p12; password Qwerty12) are written by
# our writer from these inputs with a seeded RNG; regenerate them with
#   MGOVSIGN_REGENERATE=1 cargo test -p mgovsign-crypto --test pkcs12 committed_writer_vectors
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/key.pem"
cat > "$tmp/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $tmp/index.txt
new_certs_dir = $tmp
serial = $tmp/serial
default_md = sha256
policy = any
x509_extensions = ext
[any]
commonName = supplied
[ext]
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
[req]
distinguished_name = dn
[dn]
CNF
: > "$tmp/index.txt"
echo 01 > "$tmp/serial"
openssl req -new -key "$tmp/key.pem" -subj "/CN=mgovsign pkcs12 test/C=KZ" -config "$tmp/ca.cnf" -out "$tmp/req.pem"
openssl ca -batch -selfsign -config "$tmp/ca.cnf" -keyfile "$tmp/key.pem" -in "$tmp/req.pem" \
    -startdate 20260101000000Z -enddate 20360101000000Z -notext -out "$tmp/cert.pem"
openssl pkcs8 -topk8 -nocrypt -in "$tmp/key.pem" -outform DER -out rsa2048.key.der
openssl x509 -in "$tmp/cert.pem" -outform DER -out rsa2048.cert.der

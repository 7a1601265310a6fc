#!/usr/bin/env bash
# Generate a throwaway test CA and a server certificate for "localhost",
# 127.0.0.1 and ::1, signed by that CA. EC P-256 keys, openssl CLI only.
#
#   usage: gen_test_ca.sh DIR
#
# Writes DIR/ca.pem, DIR/ca.key, DIR/server.pem, DIR/server.key.
# If all four files exist, the server certificate verifies against the CA and
# neither expires within a day, nothing is regenerated.
set -euo pipefail

if [[ $# -ne 1 || "$1" == "-h" || "$1" == "--help" ]]; then
  echo "usage: $0 DIR" >&2
  [[ $# -eq 1 ]] && exit 0
  exit 2
fi

dir=$1
mkdir -p "$dir"
cd "$dir"

if [[ -s ca.pem && -s ca.key && -s server.pem && -s server.key ]] \
  && openssl verify -CAfile ca.pem server.pem >/dev/null 2>&1 \
  && openssl x509 -in ca.pem -noout -checkend 86400 >/dev/null 2>&1 \
  && openssl x509 -in server.pem -noout -checkend 86400 >/dev/null 2>&1; then
  exit 0
fi

umask 077
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lp-ca.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/ca.key"
openssl req -x509 -new -sha256 -days 3650 \
  -key "$tmp/ca.key" -out "$tmp/ca.pem" \
  -subj "/O=leitplanke tests/CN=leitplanke test CA" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash"

openssl ecparam -name prime256v1 -genkey -noout -out "$tmp/server.key"
openssl req -new -sha256 -key "$tmp/server.key" -out "$tmp/server.csr" \
  -subj "/O=leitplanke tests/CN=localhost"

cat >"$tmp/server.ext" <<'EOF'
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1,IP:::1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF

openssl x509 -req -sha256 -days 825 \
  -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
  -set_serial "0x$(openssl rand -hex 16)" \
  -extfile "$tmp/server.ext" -out "$tmp/server.pem" 2>/dev/null

openssl verify -CAfile "$tmp/ca.pem" "$tmp/server.pem" >/dev/null

chmod 644 "$tmp/ca.pem" "$tmp/server.pem"
chmod 600 "$tmp/ca.key" "$tmp/server.key"
mv -f "$tmp/ca.key" "$tmp/ca.pem" "$tmp/server.key" "$tmp/server.pem" .

#!/bin/sh
# One-shot init step of docker-compose.yml: the gateway's identity-token key pair (RS256).
# Generated on first start into two volumes and kept for later runs; never committed.
#   /keys/private/identity-private.pem  PKCS#8, readable only by the services' user (185) -> api-gateway
#   /keys/public/identity-public.pem    X.509 SubjectPublicKeyInfo                        -> every service
set -eu
private=/keys/private/identity-private.pem
public=/keys/public/identity-public.pem
if [ -s "$private" ] && [ -s "$public" ]; then
  echo "identity keys present"
  exit 0
fi
umask 077
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$private.tmp"
openssl pkey -in "$private.tmp" -pubout -out "$public.tmp"
mv "$private.tmp" "$private"
mv "$public.tmp" "$public"
chown 185 "$private" && chmod 400 "$private"
chmod 444 "$public"
echo "identity keys generated"

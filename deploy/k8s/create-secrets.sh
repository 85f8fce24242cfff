#!/usr/bin/env bash
# Creates the Secrets (and the public-key ConfigMap) the CloudNexus manifests reference by name.
# No secret value is committed: this script generates them (openssl) on the machine that runs it.
# Run it once per namespace, before `kubectl apply -k deploy/k8s/overlays/<overlay>`:
#
#   deploy/k8s/create-secrets.sh cloudnexus-dev          # dev overlay's namespace
#   deploy/k8s/create-secrets.sh cloudnexus              # prod overlay's namespace
#
# Existing objects are left alone (delete one to regenerate it). Needs kubectl (with access to the
# cluster) and openssl. Creates:
#   cloudnexus-identity-signing-key  Secret    identity-private.pem  the gateway's RS256 private key
#   cloudnexus-identity-public-key   ConfigMap identity-public.pem   its public half, for every service
#   cloudnexus-db-gateway, cloudnexus-db-compute, cloudnexus-db-cluster, cloudnexus-db-billing,
#   cloudnexus-db-webhook            Secrets (basic-auth: username cn_<service>, random password),
#                                    read by CloudNativePG (roles) and by the services (datasource)
#   cloudnexus-webhook-encryption    Secret    secret-key  AES-256 key (base64) for endpoint secrets at rest
#   cloudnexus-gateway-admin         Secret    bootstrap-key  the admin API's bootstrap key (optional)
set -euo pipefail
NS="${1:?usage: $0 <namespace>}"
KUBECTL="${KUBECTL:-kubectl}"

exists() { "$KUBECTL" -n "$NS" get "$1" "$2" >/dev/null 2>&1; }
random() { openssl rand -base64 "$1" | tr -d '\n'; }

"$KUBECTL" get namespace "$NS" >/dev/null 2>&1 || "$KUBECTL" create namespace "$NS"

if ! exists secret cloudnexus-identity-signing-key; then
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/identity-private.pem")
  openssl pkey -in "$tmp/identity-private.pem" -pubout -out "$tmp/identity-public.pem"
  "$KUBECTL" -n "$NS" create secret generic cloudnexus-identity-signing-key \
    --from-file=identity-private.pem="$tmp/identity-private.pem"
  "$KUBECTL" -n "$NS" delete configmap cloudnexus-identity-public-key --ignore-not-found
  "$KUBECTL" -n "$NS" create configmap cloudnexus-identity-public-key \
    --from-file=identity-public.pem="$tmp/identity-public.pem"
fi

for svc in gateway compute cluster billing webhook; do
  if ! exists secret "cloudnexus-db-$svc"; then
    "$KUBECTL" -n "$NS" create secret generic "cloudnexus-db-$svc" --type=kubernetes.io/basic-auth \
      --from-literal=username="cn_$svc" --from-literal=password="$(random 24)"
  fi
done

if ! exists secret cloudnexus-webhook-encryption; then
  "$KUBECTL" -n "$NS" create secret generic cloudnexus-webhook-encryption --from-literal=secret-key="$(random 32)"
fi

if ! exists secret cloudnexus-gateway-admin; then
  "$KUBECTL" -n "$NS" create secret generic cloudnexus-gateway-admin --from-literal=bootstrap-key="cn_admin_$(random 24 | tr '+/' '-_')"
fi
echo "secrets present in namespace $NS"

#!/usr/bin/env bash
# make-certs.sh: a private CA and mTLS certificates for the local stack and the tests.
#
#   tools/tls/make-certs.sh <out-dir> [<role>/<name> ...]
#
# Writes <out-dir>/ca.crt (+ ca.key) and, per identity, <role>-<name>.crt/.key with
# the URI SAN spiffe://revisit/<role>/<name> (docs/security.md). Service
# certificates (role "service") also carry the DNS names <name>, revisit-<name>,
# revisit-<name>.<ns>.svc(.cluster.local) for ns=revisit and localhost + 127.0.0.1,
# so clients verify them by host name. Without identities it makes the default
# set: the four services, operator/revisitctl, operator/demo, agent/agent-1,
# supervisor/supervisor-1, manager/manager-1, platform/platform-1.
# For the security suite it also makes expired-agent (expired yesterday) and a
# foreign CA's foreign-agent. Keys are P-256, certificates valid 30 days
# (REVISIT_CERT_DAYS). Idempotent: an existing CA is reused, so certificates can be
# re-issued (rotated) while services run; they pick the new files up within
# REVISIT_TLS_REFRESH.
set -euo pipefail

out=${1:?usage: make-certs.sh <out-dir> [<role>/<name> ...]}
shift
days=${REVISIT_CERT_DAYS:-30}
mkdir -p "$out"
umask 077

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

ca() {  # ca <prefix> <CN>
  [[ -s $out/$1.crt && -s $out/$1.key ]] && return 0
  key "$out/$1.key"
  openssl req -x509 -new -key "$out/$1.key" -out "$out/$1.crt" -days 3650 -subj "/O=Revisit/CN=$2" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
}

issue() {  # issue <role>/<name> [<ca-prefix> [<days>] [<file-prefix>]]
  local id=$1 caname=${2:-ca} valid=${3:-$days}
  local role=${id%%/*} name=${id#*/}
  local file=${4:-$role-$name}
  local san="URI:spiffe://revisit/$role/$name"
  if [[ $role == service ]]; then
    san+=",DNS:$name,DNS:revisit-$name,DNS:revisit-$name.revisit.svc"
    san+=",DNS:revisit-$name.revisit.svc.cluster.local,DNS:localhost,IP:127.0.0.1"
  fi
  key "$out/$file.key"
  openssl req -new -key "$out/$file.key" -subj "/O=Revisit/OU=$role/CN=$name" -out "$out/$file.csr" 2>/dev/null
  printf 'subjectAltName=%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\n' \
    "$san" > "$out/$file.ext"
  openssl x509 -req -in "$out/$file.csr" -CA "$out/$caname.crt" -CAkey "$out/$caname.key" \
    -CAcreateserial -days "$valid" -extfile "$out/$file.ext" -out "$out/$file.crt.new" 2>/dev/null
  mv "$out/$file.crt.new" "$out/$file.crt"  # one rename: watchers never see half a file
  rm -f "$out/$file.csr" "$out/$file.ext"
}

ca ca "Revisit private CA"
if [[ $# -eq 0 ]]; then
  set -- service/order service/complaint service/loyalty service/outreach operator/revisitctl \
    operator/demo agent/agent-1 supervisor/supervisor-1 manager/manager-1 platform/platform-1
  issue agent/expired-agent ca -1 expired-agent
  ca foreign-ca "Not the Revisit CA"
  issue agent/foreign-agent foreign-ca "$days" foreign-agent
fi
for id in "$@"; do
  [[ $id == */* ]] || { echo "make-certs.sh: identity must be <role>/<name>: $id" >&2; exit 64; }
  issue "$id"
done
chmod 0644 "$out"/*.crt
echo "certificates in $out"

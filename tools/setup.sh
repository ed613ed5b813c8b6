#!/usr/bin/env bash
# Installs everything Revisit needs to build, test and run locally, from Debian
# packages and the npm registry only. Idempotent: a no-op when all is present.
# Usage: tools/setup.sh [--with-browser] [--with-containers]
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git ca-certificates tzdata curl
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  libabsl-dev librdkafka-dev libhiredis-dev redis-server kcat
  libgtest-dev libgmock-dev libbenchmark-dev libspdlog-dev nlohmann-json3-dev
  libcpp-httplib-dev libcurl4-openssl-dev libcli11-dev
  prometheus
  openssl  # tools/tls/make-certs.sh: the private CA and mTLS certificates
)
for arg in "$@"; do
  case "$arg" in
    --with-browser) APT_PACKAGES+=(chromium) ;;
    --with-containers) APT_PACKAGES+=(podman runc debootstrap uidmap slirp4netns fuse-overlayfs) ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# node/npm and kubectl may come from outside Debian already on PATH; accept those.
command -v npm >/dev/null || missing+=(nodejs npm)
command -v kubectl >/dev/null || missing+=(kubectl)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# npm ci is not used: npm 11 rejects lock files that omit other platforms' optional
# binaries of @bufbuild/buf; versions are pinned exactly in package.json.
# The Debian package starts a system redis on 6379; Revisit runs its own on free ports.

if [ ! -x tools/node/node_modules/.bin/buf ] || ! (cd tools/node && npm ls --depth=0 >/dev/null 2>&1); then
  echo "setup: installing pinned npm tools"
  (cd tools/node && npm install --no-audit --no-fund --loglevel=error)
fi
echo "setup: all dependencies present"

#!/usr/bin/env bash
# Installs everything Revisit needs to build, test and run locally, from Debian
# packages, the npm registry and Maven Central (the Apache Kafka broker, pinned in
# tools/kafka/pom.xml, into tools/kafka/lib). Idempotent: a no-op when all is present.
# Usage: tools/setup.sh [--with-browser] [--with-containers]
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  build-essential cmake ninja-build pkg-config ccache git ca-certificates tzdata curl
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler grpc-proto
  libabsl-dev librdkafka-dev libhiredis-dev redis-server kcat
  libjemalloc-dev  # the service binaries' allocator (CMake option REVISIT_JEMALLOC)
  libgtest-dev libgmock-dev libbenchmark-dev libspdlog-dev nlohmann-json3-dev
  libcpp-httplib-dev libcurl4-openssl-dev libcli11-dev libyaml-cpp-dev
  prometheus
  openssl  # tools/tls/make-certs.sh: the private CA and mTLS certificates
  clang libclang-rt-14-dev  # fuzz/: libFuzzer targets (tests/fuzz/run.sh, ctest -L fuzz)
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
# Real Kafka runs on Java 17 and comes through Maven; accept a JDK/Maven already on PATH.
command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
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
# The broker's jars, resolved once per version of tools/kafka/pom.xml.
KAFKA_LIB=tools/kafka/lib
pom_hash=$(sha256sum tools/kafka/pom.xml | cut -d' ' -f1)
if [ "$(cat "$KAFKA_LIB/.pom.sha256" 2>/dev/null)" != "$pom_hash" ]; then
  echo "setup: resolving the Apache Kafka broker from Maven Central"
  rm -rf "$KAFKA_LIB"
  mvn -q -B -f tools/kafka/pom.xml dependency:copy-dependencies
  echo "$pom_hash" >"$KAFKA_LIB/.pom.sha256"
fi
echo "setup: all dependencies present"

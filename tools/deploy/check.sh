#!/usr/bin/env bash
# The deploy part of the project's test command:
#   bash tools/deploy/check.sh BUILD_DIR
# 1. validate the Kubernetes overlays (schemas, policies, env vs --print-env);
# 2. build the image and smoke-run one service (skipped with a message where podman cannot run);
# 3. Prometheus check: a real Prometheus scrapes a /metrics endpoint and the metric is
#    queried through its HTTP API. Against a running service use prometheus_check.sh
#    directly (METRICS_HOSTPORT revisit_grpc_requests_total); here, unless
#    REVISIT_METRICS_ADDR is set, Prometheus scrapes itself.
# Prints each step's time; exits non-zero on the first failure.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BUILD_DIR="$(cd "${1:-$REPO/build}" && pwd)"
source "$HERE/lib.sh"
[ -d "$REPO/tools/node/node_modules/kubernetes-models" ] || (cd "$REPO/tools/node" && npm install --no-audit --no-fund --loglevel=error)

step() {
  local name="$1"; shift
  local t; t=$(now_s)
  echo "== deploy check: $name"
  "$@"
  echo "== deploy check: $name done in $(elapsed "$t")s"
}
step "validate manifests" node "$HERE/validate.mjs" --build-dir "$BUILD_DIR" --require-binaries
step "build images" bash "$REPO/deploy/build-images.sh" "$BUILD_DIR"
if [ -n "${REVISIT_METRICS_ADDR:-}" ]; then
  step "prometheus" bash "$HERE/prometheus_check.sh" "$REVISIT_METRICS_ADDR" "${REVISIT_METRIC:-revisit_grpc_requests_total}"
else
  step "prometheus (self-scrape)" bash "$HERE/prometheus_check.sh" self prometheus_build_info
fi

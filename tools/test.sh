#!/usr/bin/env bash
# The test command (README, .ci/run): installs what is missing, builds everything,
# checks the contracts (buf lint, buf breaking against the previous commit), runs
# every GoogleTest suite under ctest (labels unit, integration, e2e; each suite
# starts its own redis-server and local broker on free loopback ports), a short
# benchmark whose JSON is kept in $REVISIT_CI_OUT (default .ci/out), then the
# deploy checks: manifests, container image + smoke run, and Prometheus scraping a
# real Revisit metric from the local stack started with tools/revisit.
#
#   bash tools/test.sh            everything
#   REVISIT_TEST_LABELS=unit bash tools/test.sh   only ctest labels matching the regex
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${REVISIT_BUILD_DIR:-$ROOT/build}"
cd "$ROOT"
t0=$SECONDS
stamp() { echo "== $1 ($((SECONDS - t0)) s)"; }

stamp "setup"
bash tools/setup.sh --with-browser --with-containers

stamp "configure and build"
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
ninja -C "$BUILD"

stamp "contracts: buf lint and buf breaking (WIRE_JSON)"
BUF="$ROOT/tools/node/node_modules/.bin/buf"
(cd proto && "$BUF" lint)
if git rev-parse -q --verify HEAD~1 >/dev/null && git cat-file -e HEAD~1:proto/buf.yaml 2>/dev/null; then
  (cd proto && "$BUF" breaking --against "$ROOT/.git#ref=HEAD~1,subdir=proto")
  echo "buf breaking: no wire/JSON breaking change against HEAD~1"
else
  echo "buf breaking: skipped (no previous commit with proto/ in this clone)"
fi

stamp "docs: AsyncAPI and events.md agree with the protos and the code"
node tools/docs_check/check.mjs
node tools/deploy/env_table.mjs "$BUILD" --check

stamp "ctest"
ctest_log="$BUILD/Testing/ctest-run.log"
mkdir -p "$BUILD/Testing"
(cd "$BUILD" && ctest --output-on-failure -j2 --timeout 600 ${REVISIT_TEST_LABELS:+-L "$REVISIT_TEST_LABELS"}) \
  2>&1 | tee "$ctest_log"
# No test skips on purpose (there is no GTEST_SKIP). GoogleTest 1.12 reports the tests
# of a suite whose SetUpTestSuite failed as "[  SKIPPED ]", and the skip pattern that
# gtest_discover_tests sets makes CTest call them Skipped, not Failed: so a skip here is
# a failed set-up, and fails the run.
if grep -q '\*\*\*Skipped' "$ctest_log"; then
  echo "ctest: these tests were reported Skipped; a skip here is a failed SetUpTestSuite:"
  grep '\*\*\*Skipped' "$ctest_log"
  exit 1
fi

stamp "benchmark: tools/bench --quick (numbers kept per commit, never a pass/fail)"
# docs/performance.md: the short run's JSON and chart go to CI's output folder, one
# directory per commit, so figures can be compared across commits. A failed run is
# reported, not a test failure.
CI_OUT="${REVISIT_CI_OUT:-$ROOT/.ci/out}"
BENCH_OUT="$CI_OUT/bench/$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
tools/bench --quick --build "$BUILD" --out "$BENCH_OUT" || echo "tools/bench --quick failed (not a test failure)"

stamp "deploy checks against the local stack"
REVISIT_BUILD_DIR="$BUILD" tools/revisit down >/dev/null 2>&1 || true
REVISIT_BUILD_DIR="$BUILD" tools/revisit up
trap 'REVISIT_BUILD_DIR="$BUILD" tools/revisit down' EXIT
read -r _ metrics_port <.run/order.ports
REVISIT_METRICS_ADDR="127.0.0.1:$metrics_port" REVISIT_METRIC=revisit_grpc_requests_total \
  bash tools/deploy/check.sh "$BUILD"

stamp "all tests passed"

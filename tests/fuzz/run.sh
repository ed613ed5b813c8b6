#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ with clang (build dir BUILD/fuzz) and runs each
# for FUZZ_SECONDS (default 5) from its committed seeds (fuzz/corpus/<target>), writing
# new inputs to a throw-away folder. Any crash, leak or sanitizer report fails the run;
# libFuzzer leaves the input as BUILD/fuzz/crash-*: add it to the seeds and a unit test.
#   tests/fuzz/run.sh SOURCE_DIR BUILD_DIR [TARGET...]
set -euo pipefail
SRC="${1:?source dir}"; BUILD="${2:?build dir}"; shift 2
SECONDS_EACH="${FUZZ_SECONDS:-5}"
command -v clang++ >/dev/null || { echo "run.sh: clang++ missing (tools/setup.sh installs clang)" >&2; exit 1; }
cmake -S "$SRC/fuzz" -B "$BUILD/fuzz" -G Ninja -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$BUILD/fuzz" "$@" >/dev/null
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(kafka_manifests text_ids calendar config_values event_record)
for t in "${targets[@]}"; do
  t="${t#fuzz_}"
  scratch="$(mktemp -d)"
  echo "== fuzz_$t: ${SECONDS_EACH}s from fuzz/corpus/$t"
  log="$BUILD/fuzz/fuzz_$t.log"
  (cd "$BUILD/fuzz" && ./"fuzz_$t" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
    -timeout=10 -rss_limit_mb=2048 "$scratch" "$SRC/fuzz/corpus/$t" >"$log" 2>&1) ||
    { rm -rf "$scratch"; grep -v '^#' "$log" | tail -25; echo "fuzz_$t: FINDING (input in $BUILD/fuzz/)" >&2; exit 1; }
  grep '^stat::\(number_of_executed_units\|new_units_added\)' "$log" || true
  rm -rf "$scratch"
done

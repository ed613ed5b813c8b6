#!/usr/bin/env bash
# demo_report_test: `tools/revisit demo` end to end on a private stack (redis-server,
# revisit-broker and the four services as real processes, started by the launcher
# into a temp REVISIT_RUN_DIR on free ports, accelerated clock), with a small
# population; then the HTML report is opened in headless Chromium: a screenshot that
# is a real 1280x2000 PNG with content, and a DOM with every section and its charts.
# The screenshot stays in the temp dir (never in the repository).
#   usage: demo_report_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
SRC="$1"
BUILD="$2"
TMP="$(mktemp -d /tmp/revisit-demo-test.XXXXXX)"
# Random ports: other suites run beside this one and may hold the stable ones.
export REVISIT_RUN_DIR="$TMP/run" REVISIT_BUILD_DIR="$BUILD" REVISIT_PORTS=random
cleanup() {
  "$SRC/tools/revisit" down >/dev/null 2>&1 || true
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "FAIL: $*"; for f in "$TMP"/run/logs/*.log; do echo "--- $f"; tail -5 "$f"; done 2>/dev/null; exit 1; }

# 1. The demo, small: 60 customers over about a simulated month, in about a minute.
REVISIT_TIME_SCALE=57600 "$SRC/tools/revisit" demo --customers 60 --days 30 --max-wall 60 --threads 16 \
  >"$TMP/demo.out" 2>"$TMP/demo.err" || { cat "$TMP/demo.out" "$TMP/demo.err"; fail "tools/revisit demo exited $?"; }
cat "$TMP/demo.out"
REPORT="$(tail -1 "$TMP/demo.out")"
[ "$REPORT" = "$REVISIT_RUN_DIR/demo/report.html" ] || fail "last line is not the report path: $REPORT"
[ -s "$REPORT" ] || fail "report missing: $REPORT"
grep -q "^population 60, wall time" "$TMP/demo.out" || fail "no population/wall time line"
# The loop really ran: events counted from the topics.
line="$(grep '^events ' "$TMP/demo.out")"
num() { echo "$line" | sed -E "s/.*$1 ([0-9]+).*/\1/"; }
[ "$(num shipped)" -gt 0 ] || fail "nothing shipped: $line"
[ "$(num 'feedback requested')" -gt 0 ] || fail "no feedback request: $line"
[ "$(num answered)" -gt 0 ] || fail "no feedback answered: $line"
grep -q "delivered -> feedback scheduled p50" "$TMP/demo.out" || fail "no loop latency"
grep -q 'src="http\|<script\|<link ' "$REPORT" && fail "report is not self-contained"

# 2. Headless Chromium: screenshot and DOM.
CHROMIUM="$(command -v chromium || true)"
if [ -z "$CHROMIUM" ]; then bash "$SRC/tools/setup.sh" --with-browser >/dev/null; CHROMIUM="$(command -v chromium)"; fi
flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --disable-dev-shm-usage --hide-scrollbars)
timeout 120 "$CHROMIUM" "${flags[@]}" --user-data-dir="$TMP/profile1" --screenshot="$TMP/report.png" \
  --window-size=1280,2000 "file://$REPORT" >"$TMP/shot.log" 2>&1 || { cat "$TMP/shot.log"; fail "chromium screenshot"; }
[ -s "$TMP/report.png" ] || fail "no screenshot"
size=$(stat -c %s "$TMP/report.png")
[ "$size" -gt 30000 ] || fail "screenshot is trivially small ($size bytes)"
[ "$(head -c 8 "$TMP/report.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] || fail "not a PNG"
w=$((16#$(od -An -tx1 -j16 -N4 "$TMP/report.png" | tr -d ' \n')))
h=$((16#$(od -An -tx1 -j20 -N4 "$TMP/report.png" | tr -d ' \n')))
[ "$w" -eq 1280 ] && [ "$h" -eq 2000 ] || fail "screenshot is ${w}x${h}, expected 1280x2000"
echo "screenshot: ${w}x${h}, $size bytes"
timeout 120 "$CHROMIUM" "${flags[@]}" --user-data-dir="$TMP/profile2" --dump-dom "file://$REPORT" \
  >"$TMP/dom.html" 2>"$TMP/dom.log" || { cat "$TMP/dom.log"; fail "chromium --dump-dom"; }
for id in summary funnel weekly causes sla loyalty campaigns latency ratings; do
  grep -q "<section id=\"$id\"" "$TMP/dom.html" || fail "DOM has no section #$id"
done
svgs=$(grep -o '<svg' "$TMP/dom.html" | wc -l)
[ "$svgs" -ge 9 ] || fail "DOM has $svgs charts, expected at least 9"
for text in "The loop" "Complaint causes" "SLA compliance" "Tiers and value classes" \
            "Revisit rate against holdout" "delivered → feedback request scheduled"; do
  grep -qF "$text" "$TMP/dom.html" || fail "DOM lacks '$text'"
done
echo "PASS: report rendered with $svgs charts"

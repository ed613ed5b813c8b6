#!/usr/bin/env bash
# Proves metrics are real: starts Debian's Prometheus on a free loopback port, scraping
# METRICS_HOSTPORT/metrics every second, then queries METRIC_NAME through the HTTP API
# (/api/v1/query) until it has a sample.
#   bash tools/deploy/prometheus_check.sh METRICS_HOSTPORT METRIC_NAME [TIMEOUT_S]
#   bash tools/deploy/prometheus_check.sh 127.0.0.1:9464 revisit_grpc_requests_total
# METRICS_HOSTPORT "self" scrapes this Prometheus itself (for checking the check).
# Exits 0 with the sample printed, 1 (with the scrape error) otherwise.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
[ $# -ge 2 ] || { echo "usage: $0 METRICS_HOSTPORT METRIC_NAME [TIMEOUT_S]" >&2; exit 2; }
target="$1" metric="$2" timeout="${3:-30}"
command -v prometheus >/dev/null || { echo "prometheus_check: prometheus not installed (Debian package prometheus)" >&2; exit 1; }

dir="$(mktemp -d /tmp/revisit-prom.XXXXXX)"
port=$(free_port)
[ "$target" = self ] && target="127.0.0.1:$port"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$dir"; }
trap cleanup EXIT

cat >"$dir/prometheus.yml" <<YML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: revisit
    metrics_path: /metrics
    static_configs:
      - targets: ["$target"]
YML
t0=$(now_s)
prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
  --web.listen-address="127.0.0.1:$port" >"$dir/prometheus.log" 2>&1 &
pid=$!
wait_for_port 127.0.0.1 "$port" 20 || { echo "prometheus_check: Prometheus did not start:" >&2; tail -5 "$dir/prometheus.log" >&2; exit 1; }

api="http://127.0.0.1:$port/api/v1"
end=$((SECONDS + timeout))
while [ $SECONDS -lt $end ]; do
  body="$(curl -fsS --get --data-urlencode "query=$metric" "$api/query" 2>/dev/null || true)"
  n="$(printf '%s' "$body" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{try{const r=JSON.parse(s);console.log(r.status==="success"?r.data.result.length:0)}catch{console.log(0)}})')"
  if [ "${n:-0}" -gt 0 ]; then
    sample="$(printf '%s' "$body" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s).data.result[0];console.log(JSON.stringify(r.metric)+" = "+r.value[1])})')"
    echo "prometheus_check: $metric scraped from $target via Prometheus $(prometheus --version 2>&1 | awk 'NR==1{print $3}') after $(elapsed "$t0")s ($n series): $sample"
    exit 0
  fi
  sleep 1
done
echo "prometheus_check: no sample of $metric from $target within ${timeout}s; scrape state:" >&2
curl -fsS "$api/targets" 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const t of JSON.parse(s).data.activeTargets)console.error(`  ${t.scrapeUrl} health=${t.health} ${t.lastError}`)})' || true
exit 1

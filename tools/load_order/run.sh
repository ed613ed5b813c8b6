#!/usr/bin/env bash
# Runs revisit-load-order against a throw-away local stack: redis-server,
# revisit-broker and revisit-order on free loopback ports, then stops them.
# REVISIT_LOAD_TLS=on (default, mTLS as deployed) | off | both (plaintext then mTLS,
# same Redis and broker: the cost of TLS).
#
#   tools/load_order/run.sh [BUILD_DIR] [-- revisit-load-order flags]
#   e.g. tools/load_order/run.sh build -- --customers 100 --orders 2000 --concurrency 1,64
#
# BUILD_DIR (default: build) must contain revisit-order, revisit-broker,
# revisit-health and revisit-load-order. Redis runs like production
# (deploy/k8s/base/redis/redis.conf: appendonly yes, appendfsync everysec).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUILD="${1:-build}"
[[ "$BUILD" = /* ]] || BUILD="$ROOT/$BUILD"
shift || true
[[ "${1:-}" == "--" ]] && shift
LOAD_ARGS=("$@")
[[ ${#LOAD_ARGS[@]} -gt 0 ]] || LOAD_ARGS=(--customers 100 --orders 1000 --concurrency 1,64)

ORDER="$BUILD/services/order/revisit-order"
BROKER="$BUILD/tools/broker/revisit-broker"
HEALTH="$BUILD/tools/health/revisit-health"
LOAD="$BUILD/tools/load_order/revisit-load-order"
for b in "$ORDER" "$BROKER" "$HEALTH" "$LOAD"; do
  [[ -x "$b" ]] || { echo "run.sh: missing $b (build it first)" >&2; exit 2; }
done

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

WORK="$(mktemp -d "${TMPDIR:-/tmp}/revisit-load.XXXXXX")"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

REDIS_PORT="$(free_port)"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK" --save '' \
  --appendonly yes --appendfsync everysec --logfile "$WORK/redis.log" &
PIDS+=($!)
for _ in $(seq 100); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

"$BROKER" --bootstrap-file "$WORK/bootstrap" >"$WORK/broker.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [[ -s "$WORK/bootstrap" ]] && break; sleep 0.1; done
BOOTSTRAP="$(cat "$WORK/bootstrap")"

# mTLS as deployed (tools/tls/make-certs.sh); REVISIT_LOAD_TLS=off measures plaintext,
# REVISIT_LOAD_TLS=both runs plaintext then mTLS in the same invocation (the TLS cost).
"$ROOT/tools/tls/make-certs.sh" "$WORK/tls" service/order operator/revisitctl >/dev/null
TLS_ENV=(REVISIT_TLS_CERT="$WORK/tls/service-order.crt" REVISIT_TLS_KEY="$WORK/tls/service-order.key"
  REVISIT_TLS_CA="$WORK/tls/ca.crt" REVISIT_AUTHZ_FILE="$ROOT/deploy/k8s/base/security/authz.conf")
CLIENT_ENV=(REVISIT_TLS_CERT="$WORK/tls/operator-revisitctl.crt"
  REVISIT_TLS_KEY="$WORK/tls/operator-revisitctl.key" REVISIT_TLS_CA="$WORK/tls/ca.crt")
case "${REVISIT_LOAD_TLS:-on}" in
  both) MODES=(off on) ;; off) MODES=(off) ;; *) MODES=(on) ;;
esac
echo "nproc: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in "${MODES[@]}"; do
  GRPC_PORT="$(free_port)"
  env "${TLS_ENV[@]}" REVISIT_TLS="$mode" REVISIT_GRPC_PORT="$GRPC_PORT" REVISIT_METRICS_PORT=-1 \
    REVISIT_BIND_ADDRESS=127.0.0.1 REVISIT_REDIS_ADDR="127.0.0.1:$REDIS_PORT" \
    REVISIT_KAFKA_BOOTSTRAP="$BOOTSTRAP" REVISIT_INSTANCE_ID="load-$mode" REVISIT_LOG_LEVEL=warn \
    "$ORDER" >"$WORK/order-$mode.log" 2>&1 &
  PIDS+=($!)
  env "${CLIENT_ENV[@]}" REVISIT_TLS="$mode" "$HEALTH" "127.0.0.1:$GRPC_PORT" --wait 30 >/dev/null ||
    { cat "$WORK/order-$mode.log" >&2; exit 1; }
  echo "== TLS $mode: redis 127.0.0.1:$REDIS_PORT, broker $BOOTSTRAP, revisit-order 127.0.0.1:$GRPC_PORT"
  env "${CLIENT_ENV[@]}" REVISIT_TLS="$mode" "$LOAD" --target "127.0.0.1:$GRPC_PORT" "${LOAD_ARGS[@]}"
  kill -TERM "${PIDS[-1]}"; wait "${PIDS[-1]}" 2>/dev/null || true
done

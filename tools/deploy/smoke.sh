# Smoke run of one service image (sourced by deploy/build-images.sh; needs lib.sh,
# REPO, PODMAN, IMAGE, BUILD_DIR, SMOKE_PIDS, SMOKE_CTR from there).
# Redis and the local broker run on the host on free loopback ports; the container
# shares the host network (--network=host) because the broker advertises 127.0.0.1,
# which a bridged container could not reach. The service listens on a free loopback
# port with mTLS as in Kubernetes (certificates from tools/tls/make-certs.sh and the
# shipped authorization table mounted where the manifests mount them), and the host's
# revisit-health must see SERVING on the plaintext probe port, as the kubelet does.
# Then SIGTERM must drain and exit 0.

smoke_run() {
  local svc="$1" dir rport gport mport pport bootstrap="" broker out rc t0
  dir="$(mktemp -d /tmp/revisit-smoke.XXXXXX)"
  t0=$(now_s)
  rport=$(free_port); gport=$(free_port); mport=$(free_port); pport=$(free_port)
  "$REPO/tools/tls/make-certs.sh" "$dir/tls" "service/$svc" >/dev/null
  cp "$dir/tls/service-$svc.crt" "$dir/tls/tls.crt"; cp "$dir/tls/service-$svc.key" "$dir/tls/tls.key"
  chmod 0644 "$dir/tls/tls.key"  # the container's user 10001 reads it (a Secret mount's fsGroup)
  redis-server --port "$rport" --bind 127.0.0.1 --dir "$dir" --appendonly yes --save '' \
    --daemonize no >"$dir/redis.log" 2>&1 &
  SMOKE_PIDS+=($!)
  wait_for_port 127.0.0.1 "$rport" 10 || { echo "smoke: redis-server did not start" >&2; return 1; }

  broker="$(find "$BUILD_DIR" -type f -name revisit-broker -perm -u+x 2>/dev/null | head -1)"
  if [ -n "$broker" ]; then
    "$broker" >"$dir/broker.log" 2>&1 &
    SMOKE_PIDS+=($!)
    for _ in $(seq 50); do
      bootstrap="$(grep -oE '127\.0\.0\.1:[0-9]+(,127\.0\.0\.1:[0-9]+)*' "$dir/broker.log" | head -1 || true)"
      [ -n "$bootstrap" ] && break; sleep 0.2
    done
    [ -n "$bootstrap" ] || { echo "smoke: broker printed no bootstrap address:"; tail -5 "$dir/broker.log"; return 1; }
  else
    echo "smoke: revisit-broker not built; starting $svc without Kafka"
  fi

  SMOKE_CTR="revisit-smoke-$$"
  "${PODMAN[@]}" run -d --name "$SMOKE_CTR" --network=host "${ULIMITS[@]}" \
    --read-only --cap-drop=ALL --security-opt no-new-privileges --user 10001:10001 \
    -e REVISIT_GRPC_PORT="$gport" -e REVISIT_METRICS_PORT="$mport" \
    -e REVISIT_REDIS_ADDR="127.0.0.1:$rport" -e REVISIT_KAFKA_BOOTSTRAP="$bootstrap" \
    -e REVISIT_INSTANCE_ID=smoke -e REVISIT_LOG_LEVEL=info -e REVISIT_PROBE_PORT="$pport" \
    -v "$dir/tls:/etc/revisit/tls:ro" \
    -v "$REPO/deploy/k8s/base/security:/etc/revisit/authz:ro" \
    "$IMAGE" "revisit-$svc" >/dev/null

  local ok=0
  for _ in $(seq 60); do
    if REVISIT_TLS=off health_serving "$BUILD_DIR" "127.0.0.1:$pport" 2>/dev/null; then ok=1; break; fi
    [ "$("${PODMAN[@]}" inspect -f '{{.State.Running}}' "$SMOKE_CTR")" = true ] || break
    sleep 0.5
  done
  if [ $ok != 1 ]; then
    echo "smoke: revisit-$svc never reported SERVING on probe port 127.0.0.1:$pport; its log:" >&2
    "${PODMAN[@]}" logs "$SMOKE_CTR" 2>&1 | tail -20 >&2
    return 1
  fi
  echo "smoke: revisit-$svc in $IMAGE SERVING (probe port $pport, mTLS API port $gport) after $(elapsed "$t0")s"
  if curl -fsS "http://127.0.0.1:$mport/metrics" >/dev/null 2>&1; then
    echo "smoke: /metrics answers on 127.0.0.1:$mport"
  fi

  # SIGTERM -> bounded shutdown (at most 23 s with the defaults) -> exit 0 (podman stop
  # sends SIGKILL after -t).
  local t1; t1=$(now_s)
  "${PODMAN[@]}" stop -t 30 "$SMOKE_CTR" >/dev/null
  rc=$("${PODMAN[@]}" inspect -f '{{.State.ExitCode}}' "$SMOKE_CTR")
  echo "smoke: SIGTERM -> exit $rc after $(elapsed "$t1")s"
  "${PODMAN[@]}" rm -f "$SMOKE_CTR" >/dev/null; SMOKE_CTR=""
  rm -rf "$dir"
  [ "$rc" = 0 ] || { echo "smoke: revisit-$svc exited $rc on SIGTERM (want 0)" >&2; return 1; }
}

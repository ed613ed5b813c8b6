# Shared helpers for the deploy scripts (sourced, not run).

# free_port: prints a TCP port that is free on 127.0.0.1 right now.
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

# now_s: seconds since the epoch with a fraction, for timings.
now_s() { date +%s.%N; }

# elapsed START: seconds since START, one decimal.
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}'; }

# wait_for_port HOST PORT SECONDS: 0 once something listens there.
wait_for_port() {
  local end=$((SECONDS + $3))
  while [ $SECONDS -lt $end ]; do
    (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# health_serving BUILD_DIR HOST:PORT: 0 when grpc.health.v1 says SERVING, using the
# project's revisit-health CLI (address positional, or --addr as a fallback).
health_serving() {
  local cli out
  cli="$(find "$1" -type f -name revisit-health -perm -u+x 2>/dev/null | head -1)"
  [ -n "$cli" ] || { echo "revisit-health not built in $1" >&2; return 2; }
  out="$("$cli" "$2" 2>&1)" || out="$("$cli" --addr "$2" 2>&1)" || { echo "$out" >&2; return 1; }
  echo "$out" | grep -q 'NOT_SERVING' && return 1
  echo "$out" | grep -q 'SERVING'
}

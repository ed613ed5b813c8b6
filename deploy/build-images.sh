#!/usr/bin/env bash
# Builds the Revisit image with podman (runtime runc) and smoke-runs one service from it.
#   bash deploy/build-images.sh [BUILD_DIR]      (default: build)
# BUILD_DIR is the host's CMake build: its compiler cache is reused inside the image build
# (ccache base_dir => hits) and its revisit-health / revisit-broker drive the smoke run.
# Never pulls from a registry: the base image is made with debootstrap when absent.
# Where podman cannot run, prints "skipped: podman cannot run here: <reason>" and exits 0.
# Env: REVISIT_IMAGE (default localhost/revisit:dev), REVISIT_SKIP_SMOKE=1,
#      REVISIT_IMAGE_TARGETS (CMake targets to put in the image; default in the Dockerfile).
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
source "$REPO/tools/deploy/lib.sh"
BUILD_DIR="$(cd "$REPO" && mkdir -p "${1:-build}" && cd "${1:-build}" && pwd)"
IMAGE="${REVISIT_IMAGE:-localhost/revisit:dev}"
BASE=docker.io/library/debian:bookworm-slim
PODMAN=(podman --runtime runc)
skip() { echo "skipped: podman cannot run here: $*"; exit 0; }

# 1. Can podman run a container at all? Check early and cheaply.
command -v podman >/dev/null || skip "podman not installed (tools/setup.sh --with-containers)"
command -v runc >/dev/null || skip "runc not installed"
t0=$(now_s)
"$REPO/deploy/make-base-image.sh" "$BASE" || skip "could not create $BASE with debootstrap"
t_base=$(elapsed "$t0")
# Some sandboxes refuse the rlimits podman asks for (RLIMIT_NPROC/NOFILE: "error setting
# rlimit type 6: operation not permitted"); then retry with lower explicit --ulimit values.
ULIMITS=()
if ! out="$("${PODMAN[@]}" run --rm --network=none "$BASE" true 2>&1)"; then
  ok=0
  if echo "$out" | grep -q 'rlimit'; then
    nofile=$(ulimit -Hn); [ "$nofile" = unlimited ] && nofile=65536
    for nproc in 32768 16384 4096; do
      ULIMITS=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc")
      if "${PODMAN[@]}" run --rm --network=none "${ULIMITS[@]}" "$BASE" true 2>/dev/null; then ok=1; break; fi
    done
    [ $ok = 1 ] && echo "build-images: podman needs ${ULIMITS[*]} here (default rlimits refused)"
  fi
  [ $ok = 1 ] || skip "$(echo "$out" | tail -1)"
fi

# 2. Build context = the files git knows (tracked + untracked, minus .gitignore): no build/, node_modules/.
CTX="$(mktemp -d /var/tmp/revisit-ctx.XXXXXX)"
SMOKE_PIDS=()
cleanup() {
  for p in "${SMOKE_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${SMOKE_CTR:-}" ] && "${PODMAN[@]}" rm -f "$SMOKE_CTR" >/dev/null 2>&1 || true
  rm -rf "$CTX"
}
trap cleanup EXIT
(cd "$REPO" && git ls-files -co --exclude-standard -z | xargs -0 -r tar -c --no-recursion -f - 2>/dev/null) | tar -x -C "$CTX"

# 3. Build, sharing the host's ccache so already-compiled objects are hits (base_dir).
CCACHE_HOST="$(ccache -k cache_dir 2>/dev/null || echo "$HOME/.cache/ccache")"
mkdir -p "$CCACHE_HOST"
t1=$(now_s)
"${PODMAN[@]}" build --pull=never --network=host "${ULIMITS[@]}" -f "$CTX/deploy/Dockerfile" -t "$IMAGE" \
  -v "$CCACHE_HOST:/ccache:rw,z" \
  ${REVISIT_IMAGE_TARGETS:+--build-arg "TARGETS=$REVISIT_IMAGE_TARGETS"} \
  "$CTX" >"$CTX.log" 2>&1 || { tail -40 "$CTX.log" >&2; rm -f "$CTX.log"; echo "build-images: build failed" >&2; exit 1; }
grep -E '^(STEP|image:)' "$CTX.log" || true
rm -f "$CTX.log"
t_build=$(elapsed "$t1")
size=$("${PODMAN[@]}" image inspect --format '{{.Size}}' "$IMAGE")
bins=$("${PODMAN[@]}" run --rm --network=none "${ULIMITS[@]}" --entrypoint ls "$IMAGE" /usr/local/bin | tr '\n' ' ')
echo "build-images: $IMAGE built in ${t_build}s (base ${t_base}s), size $((size / 1024 / 1024)) MiB, binaries: ${bins:-none}"

# 4. Smoke run: one service, non-root, read-only root, no capabilities; health SERVING.
[ "${REVISIT_SKIP_SMOKE:-0}" = 1 ] && { echo "build-images: smoke run skipped (REVISIT_SKIP_SMOKE=1)"; exit 0; }
svc=""
for s in order complaint loyalty outreach; do
  case " $bins " in *" revisit-$s "*) svc=$s; break ;; esac
done
[ -n "$svc" ] || { echo "build-images: smoke run skipped: no service binary in the image yet"; exit 0; }
source "$REPO/tools/deploy/smoke.sh"
smoke_run "$svc"

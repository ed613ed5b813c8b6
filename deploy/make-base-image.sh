#!/usr/bin/env bash
# Creates the local image debian:bookworm-slim without pulling from any registry:
# debootstrap (variant minbase) from this machine's configured Debian mirror, then
# `podman import`. A no-op when the image already exists.
# Usage: deploy/make-base-image.sh [IMAGE]   (default docker.io/library/debian:bookworm-slim)
set -euo pipefail
IMAGE="${1:-docker.io/library/debian:bookworm-slim}"

if podman image exists "$IMAGE"; then
  echo "base: $IMAGE present"
  exit 0
fi

# The machine's Debian mirror: first deb.debian.org-style URI in the apt sources that
# serves the main archive (not -security, not third-party repos).
mirror() {
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    grep -hoE '(URIs:|deb) +https?://[^ ]+/debian/?( |$)' "$f" 2>/dev/null \
      | grep -v security | awk '{print $2}' | head -1
  done | head -1
}
MIRROR="${REVISIT_DEBIAN_MIRROR:-$(mirror)}"
[ -n "$MIRROR" ] || { echo "base: no Debian mirror found in /etc/apt/sources.list*" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "base: debootstrap not installed" >&2; exit 1; }

ROOT="$(mktemp -d /var/tmp/revisit-rootfs.XXXXXX)"
trap 'rm -rf "$ROOT"' EXIT
echo "base: debootstrap bookworm (minbase) from $MIRROR"
debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >"$ROOT.log" 2>&1 \
  || { tail -20 "$ROOT.log" >&2; rm -f "$ROOT.log"; exit 1; }
rm -f "$ROOT.log"

# Slim it like the official image: no apt lists, docs, man pages; same sources file.
cat >"$ROOT/etc/apt/sources.list" <<SRC
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb ${MIRROR%/debian*}/debian-security bookworm-security main
SRC
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/var/cache/apt/*.bin "$ROOT"/var/cache/apt/archives/*.deb \
       "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* "$ROOT"/usr/share/info/*

tar -C "$ROOT" -c . | podman import -q --change 'CMD ["bash"]' - "$IMAGE" >/dev/null
echo "base: imported $IMAGE ($(podman image inspect --format '{{.Size}}' "$IMAGE") bytes)"

#!/usr/bin/env bash
# Runs the image `make image` built as production would — read-only root file system, a tmpfs on
# /tmp, the data on a fresh volume, as its non-root user — and checks that /readyz answers 200
# and the web app is served; then removes the container and the volume.
#   scripts/image-check.sh [IMAGE]      (default pantau:latest)
# PODMAN_RUNTIME and PODMAN_RUN_FLAGS help where podman's defaults cannot run containers, e.g. in a
# VM without CAP_SYS_RESOURCE and with hybrid cgroups (crun refuses both):
#   PODMAN_RUNTIME=runc PODMAN_RUN_FLAGS="--ulimit nofile=4096:4096 --ulimit nproc=4096:4096"
set -euo pipefail
image=${1:-pantau:latest}
name=pantau-check-$$
port=$((20000 + RANDOM % 20000))
podman volume create "$name" >/dev/null
cleanup() {
  podman rm -f "$name" >/dev/null 2>&1 || true
  podman volume rm "$name" >/dev/null 2>&1 || true
}
trap cleanup EXIT
# shellcheck disable=SC2086 # PODMAN_RUN_FLAGS is a list of options
podman ${PODMAN_RUNTIME:+--runtime "$PODMAN_RUNTIME"} run -d --name "$name" --read-only --tmpfs /tmp \
  -v "$name:/data" --network host -e PANTAU_ADDR="127.0.0.1:$port" ${PODMAN_RUN_FLAGS:-} "$image" serve --demo >/dev/null
for _ in $(seq 150); do
  if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/readyz")" = 200 ]; then
    [[ $(curl -sf "http://127.0.0.1:$port/") == *"<html"* ]] || { echo "the web app is not served" >&2; exit 1; }
    echo "$image: /readyz 200 with a read-only root file system, as user $(podman inspect "$name" --format '{{.Config.User}}')"
    exit 0
  fi
  sleep 0.2
done
podman logs "$name" >&2 || true
echo "$image did not answer /readyz" >&2
exit 1

#!/usr/bin/env bash
# make image: builds the container image pantau:VERSION (and pantau:latest) from
# deploy/Containerfile with Debian's podman, or buildah, installing podman when neither is
# there (as root, or with sudo). The binary is static (CGO_ENABLED=0: the SQLite driver is pure
# Go) and embeds the web app as `make build` left it in frontend/dist.
set -euo pipefail
cd "$(dirname "$0")/.."
version=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
if command -v podman >/dev/null 2>&1; then
  build=(podman build)
elif command -v buildah >/dev/null 2>&1; then
  build=(buildah bud)
else
  echo "installing podman"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends podman >/dev/null
  build=(podman build)
fi
# PODMAN_FLAGS, e.g. "--storage-driver=vfs" where overlay mounts are refused (in a container).
[ "${build[0]}" = podman ] && [ -n "${PODMAN_FLAGS:-}" ] && build=(podman $PODMAN_FLAGS build)
ctx=$(mktemp -d /tmp/pantau-image.XXXXXX)
trap 'rm -rf "$ctx"' EXIT
CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$version" -o "$ctx/pantau" ./cmd/pantau
[[ $(go version -m "$ctx/pantau") == *CGO_ENABLED=0* ]] || { echo "the binary is not static" >&2; exit 1; }
cp /etc/ssl/certs/ca-certificates.crt "$ctx/" # the host's (Debian's ca-certificates), for outgoing TLS
mkdir "$ctx/data"
"${build[@]}" --quiet -f deploy/Containerfile -t "pantau:$version" -t pantau:latest "$ctx"
echo "built pantau:$version ($(du -h "$ctx/pantau" | cut -f1) binary)"

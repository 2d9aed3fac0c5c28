#!/usr/bin/env bash
# Installs the Debian packages the tests need (PostgreSQL server, poppler-utils, qpdf, zbar-tools,
# libnss3-tools for certutil, openssl for the PDF signature tests' time-stamping authority, chromium for the web app's browser tests) when they are missing. Needs root, or sudo.
# Also builds mailpit, the real SMTP server of the e-mail tests, once into a cache outside the
# repository (${XDG_CACHE_HOME:-$HOME/.cache}/pantau/bin, where notify/mailpittest finds it),
# and SeaweedFS, the real S3 server of the object storage tests, beside it (models/s3test).
set -euo pipefail
mailpit_dir="${XDG_CACHE_HOME:-$HOME/.cache}/pantau/bin"
if [ ! -x "$mailpit_dir/mailpit" ]; then
  echo "building mailpit v1.33.1 into $mailpit_dir (once; about a minute)"
  GOBIN="$mailpit_dir" go install github.com/axllent/mailpit@v1.33.1
fi
weed_version=v0.0.0-20261109003541-7506e5f91cd6
if [ ! -x "$mailpit_dir/weed" ]; then
  # go install refuses the module's replace directives: build it in a writable copy instead.
  echo "building SeaweedFS $weed_version into $mailpit_dir (once; 32 minutes on the 2 shared cores of the dev machine under load, less when idle)"
  go mod download github.com/seaweedfs/seaweedfs@$weed_version
  weed_src=$(mktemp -d)
  cp -r "$(go env GOMODCACHE)/github.com/seaweedfs/seaweedfs@$weed_version" "$weed_src/seaweedfs"
  chmod -R u+w "$weed_src"
  (cd "$weed_src/seaweedfs" && go build -o "$mailpit_dir/weed" ./weed)
  rm -rf "$weed_src"
fi
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v qpdf >/dev/null 2>&1 || need+=(qpdf)
command -v zbarimg >/dev/null 2>&1 || need+=(zbar-tools)
command -v certutil >/dev/null 2>&1 || need+=(libnss3-tools)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
[ -x /usr/bin/chromium ] || need+=(chromium) # browser tests of the web app (scripts/browser-test.sh)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing: ${need[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null

#!/usr/bin/env bash
# Browser tests of the web app: builds it and the binary, starts `pantau serve --demo` on a
# throwaway SQLite data directory, and drives Debian's Chromium with playwright-core
# (frontend/tests/browser). Screenshots go to $PANTAU_UI_SHOTS when it is set (never into the
# repository). With --perf it also measures speed (tests/browser/perf.mjs: a throttled phone's
# sign-in to usable dashboard, API requests, layout shift, page heights); --perf-only measures
# without running the tests. Other arguments go to node's test runner (e.g.
# --test-name-pattern=reviewer).
set -euo pipefail
cd "$(dirname "$0")/.."
perf=0
tests=1
args=()
for a in "$@"; do
  case "$a" in
    --perf) perf=1 ;;
    --perf-only) perf=1 tests=0 ;;
    *) args+=("$a") ;;
  esac
done

export CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  echo "browser tests need Debian's chromium ($CHROMIUM); scripts/deps.sh installs it" >&2
  exit 1
fi

scripts/frontend-build.sh
tmp="$(mktemp -d)"
bin="$tmp/pantau"
go build -o "$bin" ./cmd/pantau

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
export PANTAU_URL="http://127.0.0.1:$port"
export PANTAU_DEMO_PASSWORD="browser-test-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
PANTAU_DATA_DIR="$tmp/data" PANTAU_ADDR="127.0.0.1:$port" PANTAU_LOG_FORMAT=text DATABASE_URL= \
  "$bin" serve --demo >"$tmp/server.log" 2>&1 &
server=$!
cleanup() {
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  curl -sf "$PANTAU_URL/readyz" >/dev/null 2>&1 && break
  if ! kill -0 "$server" 2>/dev/null; then cat "$tmp/server.log" >&2; exit 1; fi
  sleep 0.2
done

cd frontend
status=0
if [ "$tests" = 1 ]; then
  node --test --test-concurrency=1 ${args[@]+"${args[@]}"} tests/browser/ || status=$?
fi
if [ "$perf" = 1 ] && [ "$status" = 0 ]; then
  node tests/browser/perf.mjs || status=$?
fi
if [ "$status" != 0 ]; then
  echo "--- server log (last 40 lines)" >&2
  tail -n 40 "$tmp/server.log" >&2
fi
exit "$status"

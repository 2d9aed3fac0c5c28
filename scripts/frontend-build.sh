#!/usr/bin/env bash
# Builds the web app into frontend/dist (npm ci when package-lock.json changed, then the Vite
# build when a source or the API's OpenAPI document changed). The build first checks that the
# committed API types (frontend/src/lib/schema.d.ts) are what api/openapi.json gives, and stops
# when they are stale: run `npm run api:types` in frontend/ and commit. Without npm it says so and
# leaves dist as it is: `go build` still works (dist holds a committed placeholder) and the server
# then shows a "frontend not built" page instead of the app.
set -euo pipefail
cd "$(dirname "$0")/../frontend"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: building Pantau without the web app (install Node.js 20 and npm, then run make build)" >&2
  exit 0
fi
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
stamp=dist/index.html
if [ ! -f "$stamp" ] || [ -n "$(find src index.html public package-lock.json vite.config.ts tsconfig.json scripts ../api/openapi.json -newer "$stamp" -print -quit 2>/dev/null)" ]; then
  npm run --silent build
else
  echo "frontend/dist is up to date"
fi

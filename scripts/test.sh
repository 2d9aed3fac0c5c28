#!/usr/bin/env bash
# make test: installs what the tests need, starts a throwaway PostgreSQL cluster, runs every
# test on SQLite and on PostgreSQL, and stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
. scripts/pg.sh
pg_start
trap pg_stop EXIT
export PANTAU_TEST_REQUIRE_POSTGRES=1
go build ./...
go vet ./...
go test -count=1 -timeout 20m ./...

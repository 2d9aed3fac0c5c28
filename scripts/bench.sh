#!/usr/bin/env bash
# make bench: the Go benchmarks, then Pantau at national scale on SQLite and on PostgreSQL.
# For each database it loads the synthetic national data set (pantau seed --national), starts
# `pantau serve` on 127.0.0.1, and measures in one run: requests/s and p99 of GET /healthz and
# of GET /api/v1/periods/2025/summary (wrk), claim-and-verify writes per second and single-item
# writes (claims) per second with 8 writers (scripts/load), the seed time and the server's peak
# memory (VmHWM). Single-item writes are set against what the database itself does on this
# machine in the same run: pgbench (TPC-B-like, 8 clients) on the same PostgreSQL cluster, and
# SQLite's own single-writer bound (one-row write transactions with the server's settings). Everything stays on the loopback
# interface, every step is bounded in time, and the servers, the throwaway PostgreSQL cluster
# and the temporary files are removed on exit.
#
# Knobs (environment): BENCH_DURATION (wrk, default 10s), BENCH_THREADS (2),
# BENCH_CONNECTIONS (32), BENCH_WRITE_DURATION (15s), BENCH_WRITE_CONCURRENCY (8),
# BENCH_WRITE_OPS (3000), BENCH_GO=0 skips the Go benchmarks.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${BENCH_DURATION:-10s}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
WRITE_DURATION=${BENCH_WRITE_DURATION:-15s}
WRITE_CONCURRENCY=${BENCH_WRITE_CONCURRENCY:-8}
WRITE_OPS=${BENCH_WRITE_OPS:-3000}
YEAR=2025

scripts/deps.sh
if ! command -v wrk >/dev/null 2>&1; then
  echo "installing: wrk"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null 2>&1 ||
    { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends wrk >/dev/null; }
fi

. scripts/pg.sh
WORK=$(mktemp -d /tmp/pantau-bench.XXXXXX)
SERVER_PID=""

stop_server() {
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  # The server gives requests in flight ten seconds; do not wait much longer than that.
  for _ in $(seq 1 60); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.25
  done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}
cleanup() {
  stop_server
  pg_stop
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pg_start
export PANTAU_TEST_REQUIRE_POSTGRES=1

echo "== building"
scripts/frontend-build.sh # the binary embeds the web app: measure the one in this tree
go build -o bin/pantau ./cmd/pantau
go build -o "$WORK/load" ./scripts/load
LOAD="$WORK/load"
GO_BENCH_FAILED=0

if [ "${BENCH_GO:-1}" != 0 ]; then
  echo "== Go benchmarks"
  # A failing package is reported at the end; the server measurements still run.
  go test -run '^$' -bench . -benchmem -timeout 20m ./... 2>&1 | tee "$WORK/go-bench.txt" || GO_BENCH_FAILED=1
fi

# ms converts a wrk duration (850.00us, 1.23ms, 1.01s, 2.00m) to milliseconds.
ms() {
  awk -v d="$1" 'BEGIN {
    n = d + 0; u = d; sub(/^[0-9.]+/, "", u)
    f = (u == "us") ? 0.001 : (u == "ms") ? 1 : (u == "s") ? 1000 : (u == "m") ? 60000 : 1
    printf "%.2f", n * f }'
}

declare -A R

# measure NAME URL PATH [TOKEN]: wrk on one path, results into R[NAME,rps] and R[NAME,p99].
measure() {
  local key=$1 url=$2 auth=()
  [ -n "${3:-}" ] && auth=(-H "Authorization: Bearer $3")
  local out="$WORK/$key.wrk"
  # Clients ask for gzip as browsers do; the summary is kept compressed once per revision.
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --timeout 10s --latency -H "Accept-Encoding: gzip" "${auth[@]}" "$url" >"$out"
  sed 's/^/    /' "$out"
  R[$key,rps]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$out")
  R[$key,p99]=$(ms "$(awk '$1 == "99%" {print $2}' "$out")")
  local bad
  bad=$(awk '/Non-2xx or 3xx responses:/ {print $NF}' "$out")
  if [ -n "$bad" ]; then
    echo "!! $key: $bad responses were not 2xx" >&2
    R[$key,rps]="${R[$key,rps]} (${bad} non-2xx)"
  fi
}

# run_db NAME DATABASE_URL: the whole measurement on one database.
run_db() {
  local db=$1 url=$2
  local data="$WORK/$db-data" port base token t0 t1
  mkdir -p "$data"
  echo "== $db: pantau seed --national"
  t0=$(date +%s.%N)
  DATABASE_URL="$url" PANTAU_DATA_DIR="$data" bin/pantau seed --national
  t1=$(date +%s.%N)
  R[$db,seed]=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
  # A live database was vacuumed and checkpointed long ago (pgbench -i also vacuums its
  # tables): settle the fresh one so that autovacuum does not run during the measurements.
  if [ -n "$url" ]; then "$(pg_bin)/psql" -q -v ON_ERROR_STOP=1 "$url" -c "VACUUM (ANALYZE)" -c "CHECKPOINT"; fi

  port=$("$LOAD" port)
  base="http://127.0.0.1:$port"
  echo "== $db: pantau serve on $base"
  DATABASE_URL="$url" PANTAU_DATA_DIR="$data" PANTAU_ADDR="127.0.0.1:$port" \
    PANTAU_ADMIN_EMAIL="$ADMIN_EMAIL" PANTAU_ADMIN_PASSWORD="$ADMIN_PASSWORD" \
    bin/pantau serve >"$WORK/$db-server.log" 2>&1 &
  SERVER_PID=$!
  "$LOAD" wait -url "$base" -timeout 60s || { tail -n 20 "$WORK/$db-server.log" >&2; return 1; }
  token=$(PANTAU_ADMIN_EMAIL="$ADMIN_EMAIL" PANTAU_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$LOAD" token -url "$base")

  # The first summary is computed from the database; wrk then measures the cached one.
  R[$db,cold]=$("$LOAD" get -url "$base" -path "/api/v1/periods/$YEAR/summary" -token "$token" | sed -n 's/.*ms=//p')
  R[$db,bytes]=$("$LOAD" get -url "$base" -path "/api/v1/periods/$YEAR/summary" -token "$token" | sed -n 's/.*bytes=\([0-9]*\).*/\1/p')

  echo "== $db: wrk GET /healthz ($DURATION, $THREADS threads, $CONNECTIONS connections)"
  measure "$db-healthz" "$base/healthz"
  echo "== $db: wrk GET /api/v1/periods/$YEAR/summary"
  measure "$db-summary" "$base/api/v1/periods/$YEAR/summary" "$token"
  R[$db,ratio]=$(awk -v s="${R[$db-summary,rps]%% *}" -v h="${R[$db-healthz,rps]%% *}" 'BEGIN {printf "%.1f", (h > 0 ? 100 * s / h : 0)}')

  echo "== $db: claim → evidence → approve ($WRITE_CONCURRENCY workers, at most $WRITE_OPS operations or $WRITE_DURATION)"
  PANTAU_ADMIN_EMAIL="$ADMIN_EMAIL" PANTAU_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$LOAD" writes -url "$base" -year "$YEAR" \
    -concurrency "$WRITE_CONCURRENCY" -ops "$WRITE_OPS" -duration "$WRITE_DURATION" | tee "$WORK/$db-writes.txt"
  R[$db,wps]=$(sed -n 's/^RESULT.* ops_per_s=\([0-9.]*\).*/\1/p' "$WORK/$db-writes.txt")
  R[$db,wp99]=$(sed -n 's/^RESULT.* p99_ms=\([0-9.]*\).*/\1/p' "$WORK/$db-writes.txt")
  R[$db,werr]=$(sed -n 's/^RESULT.* errors=\([0-9]*\).*/\1/p' "$WORK/$db-writes.txt")

  echo "== $db: single-item writes (claims, $WRITE_CONCURRENCY workers, $WRITE_DURATION)"
  PANTAU_ADMIN_EMAIL="$ADMIN_EMAIL" PANTAU_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$LOAD" writes -mode claims -url "$base" -year "$YEAR" \
    -concurrency "$WRITE_CONCURRENCY" -ops 100000 -duration "$WRITE_DURATION" | tee "$WORK/$db-claims.txt"
  R[$db,cps]=$(sed -n 's/^RESULT.* ops_per_s=\([0-9.]*\).*/\1/p' "$WORK/$db-claims.txt")
  R[$db,cp99]=$(sed -n 's/^RESULT.* p99_ms=\([0-9.]*\).*/\1/p' "$WORK/$db-claims.txt")

  R[$db,hwm]=$(awk '/^VmHWM:/ {printf "%.0f", $2 / 1024}' "/proc/$SERVER_PID/status")
  stop_server
}

ADMIN_EMAIL="bench-admin@example.com"
ADMIN_PASSWORD=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')

run_db sqlite ""
echo "== sqlite: the database's own bound (one writer, one-row transactions, WAL, synchronous=FULL)"
"$LOAD" sqlite-bound -dir "$WORK" -duration "$WRITE_DURATION" | tee "$WORK/sqlite-bound.txt"
R[sqlite,base]=$(sed -n 's/^RESULT tps=\([0-9.]*\).*/\1/p' "$WORK/sqlite-bound.txt")

PG_DB="pantau_bench_$$"
"$(pg_bin)/psql" -q -v ON_ERROR_STOP=1 "$PANTAU_TEST_DATABASE_URL" -c "CREATE DATABASE $PG_DB"
PG_URL=$(printf '%s' "$PANTAU_TEST_DATABASE_URL" | sed -E "s#/[^/?]*(\\?|\$)#/$PG_DB\\1#")
run_db postgres "$PG_URL"
echo "== postgres: pgbench (TPC-B-like, $WRITE_CONCURRENCY clients, $WRITE_DURATION) on the same cluster"
"$(pg_bin)/pgbench" -q -i -s 4 "$PG_URL" >/dev/null 2>&1
"$(pg_bin)/pgbench" -c "$WRITE_CONCURRENCY" -j 2 -T "${WRITE_DURATION%s}" "$PG_URL" 2>/dev/null | tee "$WORK/pgbench.txt"
R[postgres,base]=$(awk '/^tps = / {printf "%.1f", $3}' "$WORK/pgbench.txt")
"$(pg_bin)/psql" -q "$PANTAU_TEST_DATABASE_URL" -c "DROP DATABASE $PG_DB" || true

echo
echo "== summary (national data set: 546 Pemda, 3 periods, 163,800 items; $(nproc) CPUs shared by server and load)"
row() { printf '%-40s %16s %16s\n' "$1" "$2" "$3"; }
row "" sqlite postgres
row "seed --national, s" "${R[sqlite,seed]}" "${R[postgres,seed]}"
row "GET /healthz, req/s" "${R[sqlite-healthz,rps]}" "${R[postgres-healthz,rps]}"
row "GET /healthz, p99 ms" "${R[sqlite-healthz,p99]}" "${R[postgres-healthz,p99]}"
row "GET summary $YEAR, req/s" "${R[sqlite-summary,rps]}" "${R[postgres-summary,rps]}"
row "GET summary $YEAR, p99 ms" "${R[sqlite-summary,p99]}" "${R[postgres-summary,p99]}"
row "summary / healthz, %" "${R[sqlite,ratio]}" "${R[postgres,ratio]}"
row "summary first (uncached), ms" "${R[sqlite,cold]}" "${R[postgres,cold]}"
row "summary body, bytes" "${R[sqlite,bytes]}" "${R[postgres,bytes]}"
row "claim+evidence+approve, ops/s" "${R[sqlite,wps]}" "${R[postgres,wps]}"
row "claim+evidence+approve, p99 ms" "${R[sqlite,wp99]}" "${R[postgres,wp99]}"
row "claim+evidence+approve, errors" "${R[sqlite,werr]}" "${R[postgres,werr]}"
row "single-item writes (claims), ops/s" "${R[sqlite,cps]}" "${R[postgres,cps]}"
row "single-item writes, p99 ms" "${R[sqlite,cp99]}" "${R[postgres,cp99]}"
row "database alone (SQLite bound / pgbench), tps" "${R[sqlite,base]}" "${R[postgres,base]}"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}'; }
row "single-item writes / database alone" "$(ratio "${R[sqlite,cps]}" "${R[sqlite,base]}")" "$(ratio "${R[postgres,cps]}" "${R[postgres,base]}")"
row "server peak memory (VmHWM), MiB" "${R[sqlite,hwm]}" "${R[postgres,hwm]}"
if [ -f "$WORK/go-bench.txt" ]; then
  echo
  echo "Go benchmarks (ns/op, B/op, allocs/op):"
  awk '/^Benchmark/ {
    line = sprintf("  %-52s", $1)
    for (i = 3; i < NF; i++) if ($(i+1) == "ns/op" || $(i+1) == "B/op" || $(i+1) == "allocs/op") line = line sprintf(" %14s %s", $i, $(i+1))
    print line }' "$WORK/go-bench.txt"
fi
if [ "$GO_BENCH_FAILED" != 0 ]; then
  echo "!! go test -bench failed (output above)" >&2
  exit 1
fi

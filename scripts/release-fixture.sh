#!/usr/bin/env bash
# Records what a release made and answered, for the upgrade test (cmd/pantau/upgrade_test.go):
#   scripts/release-fixture.sh v0.3.0
# builds the tag's binary from `git archive` in a temporary directory, seeds the demo data set with
# it on SQLite and on PostgreSQL, issues a progress report, serves it once (a commitment is signed
# by the regent; the audit chain is sealed) and writes cmd/pantau/testdata/upgrade/TAG/:
#   sqlite.db.gz      the SQLite database (VACUUM INTO: one compact file)
#   postgres.sql.gz   pg_dump --inserts of the PostgreSQL schema, unqualified, to load into any schema
#   sqlite.json.gz, postgres.json.gz   what the release answered: schema version, rows per table, the
#                     audit chain's head and `audit verify`, the periods, each period's summary and
#                     the report's and the commitment's verification codes with what
#                     GET /api/v1/verify/{code} answered
# Run it once per release and commit the result; the test never builds an old release.
# Needs git, go, curl, jq, sqlite3, psql, pg_dump, and PostgreSQL: PANTAU_TEST_DATABASE_URL, or
# Debian's PostgreSQL for a throwaway cluster (scripts/pg.sh).
set -euo pipefail
tag=${1:?usage: scripts/release-fixture.sh TAG}
cd "$(dirname "$0")/.."
repo=$PWD
out=$repo/cmd/pantau/testdata/upgrade/$tag
work=$(mktemp -d /tmp/pantau-release.XXXXXX)
. scripts/pg.sh
pid=""
cleanup() {
  [ -z "$pid" ] || kill "$pid" 2>/dev/null || true
  pg_stop
  rm -rf "$work"
}
trap cleanup EXIT

echo "building $tag"
mkdir "$work/src"
git archive "$tag" | tar -x -C "$work/src"
(cd "$work/src" && CGO_ENABLED=0 go build -ldflags "-X main.version=$tag" -o "$work/pantau" ./cmd/pantau)
bin=$work/pantau
export PANTAU_DEMO_PASSWORD=kata-sandi-demo # the demo data set's, not a secret
port=$((20000 + RANDOM % 20000))
base=http://127.0.0.1:$port

# login EMAIL prints a bearer token of a demo user.
login() {
  curl -sf -H 'Content-Type: application/json' -d "{\"email\":\"$1\",\"password\":\"$PANTAU_DEMO_PASSWORD\"}" "$base/api/v1/auth/login" | jq -r .token
}

# sign_commitment: the coordinator drafts Seruyan's 2020 commitment, the regent makes a signing
# key and signs it; prints its verification code.
sign_commitment() {
  local coordinator regent id code
  coordinator=$(login koordinator@demo.pantau.id)
  regent=$(login bupati.seruyan@demo.pantau.id)
  send() { curl -sf -X "$2" -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -d "$4" "$base$3"; }
  send "$regent" PUT /api/v1/me/signing-key '{"passphrase":"frasa-sandi-bupati"}' >/dev/null
  read -r id code < <(send "$coordinator" POST /api/v1/commitments '{"region_code":"62.08","year":2020}' | jq -r '"\(.id) \(.verification_code)"')
  send "$coordinator" PUT "/api/v1/commitments/$id/signatories/regent" \
    '{"user_email":"bupati.seruyan@demo.pantau.id","name":"Bupati Seruyan","title":"Bupati Seruyan"}' >/dev/null
  send "$regent" POST "/api/v1/commitments/$id/signatories/regent/sign" '{"mode":"sign","passphrase":"frasa-sandi-bupati"}' >/dev/null
  echo "$code"
}

# answers NAME: seed, report, serve and record what the release answered into $work/NAME.json.
answers() {
  local name=$1
  export PANTAU_DATA_DIR=$work/$name
  "$bin" seed --demo >/dev/null
  local code
  code=$("$bin" report progress --year 2019 --region 62.08 -o "$work/$name.pdf" 2>/dev/null | sed -n 's/.*verification code \([A-Z0-9-]*\).*/\1/p')
  PANTAU_ADDR=127.0.0.1:$port "$bin" serve >"$work/$name.log" 2>&1 &
  pid=$!
  for _ in $(seq 100); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.1; done
  local token
  token=$(login admin@demo.pantau.id)
  local get=(curl -sf -H "Authorization: Bearer $token")
  "${get[@]}" "$base/api/v1/periods" >"$work/periods.json"
  echo '{}' >"$work/summaries.json"
  for year in $(jq -r '.[].year' "$work/periods.json"); do
    "${get[@]}" "$base/api/v1/periods/$year/summary" | jq --arg y "$year" --slurpfile s "$work/summaries.json" '$s[0] + {($y): .}' >"$work/s.json"
    mv "$work/s.json" "$work/summaries.json"
  done
  local signed
  signed=$(sign_commitment)
  echo '[]' >"$work/documents.json"
  for c in "$code" "$signed"; do
    curl -sf "$base/api/v1/verify/$c" | jq --arg c "$c" --slurpfile d "$work/documents.json" '$d[0] + [{code: $c, verify: .}]' >"$work/d.json"
    mv "$work/d.json" "$work/documents.json"
  done
  sleep 2 # the sealer chains the sign-in's audit events
  kill -TERM "$pid"
  wait "$pid" || true
  pid=""
  local verified
  verified=$("$bin" audit verify | sed 's/ checked in .*//')
  jq -n --arg tag "$tag" --arg db "$name" --arg verified "$verified" \
    --slurpfile periods "$work/periods.json" --slurpfile summaries "$work/summaries.json" \
    --slurpfile documents "$work/documents.json" \
    '{release: $tag, database: $db, audit_verify: $verified, periods: $periods[0],
      summaries: $summaries[0], documents: $documents[0]}' >"$work/$name.json"
}

rm -rf "$out"
mkdir -p "$out"
echo "SQLite"
# sqlite_facts: what the release's database holds, read after the answers (a sign-in adds a session
# and audit events).
sqlite_facts() {
  local db=$work/sqlite/pantau.db
  {
    echo '{"schema_version":' "$(sqlite3 "$db" 'SELECT max(version) FROM schema_migrations')" ','
    echo '"audit_head":' "$(sqlite3 -json "$db" 'SELECT seq, hash FROM audit_head' | jq '.[0]')" ', "rows": {'
    sqlite3 "$db" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name" |
      while read -r t; do echo "\"$t\": $(sqlite3 "$db" "SELECT count(*) FROM \"$t\"")"; done | paste -sd,
    echo '}}'
  } | jq . >"$work/facts.json"
}
answers sqlite
sqlite_facts
jq -s '.[0] + .[1]' "$work/sqlite.json" "$work/facts.json" | gzip -9n >"$out/sqlite.json.gz"
sqlite3 "$work/sqlite/pantau.db" "VACUUM INTO '$out/sqlite.db'"
gzip -9nf "$out/sqlite.db"

echo "PostgreSQL"
url=${PANTAU_TEST_DATABASE_URL:-}
if [ -z "$url" ]; then
  pg_start >/dev/null
  url=$PANTAU_TEST_DATABASE_URL
fi
schema=pantau_release
export PGOPTIONS="-c client_min_messages=warning"
psql -q "$url" -c "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema"
sep='?'
case $url in *\?*) sep='&' ;; esac
export DATABASE_URL="$url${sep}search_path=$schema"
answers postgres
psql -qAt "$url" >"$work/facts.json" <<SQL
SELECT json_build_object(
  'schema_version', (SELECT max(version) FROM $schema.schema_migrations),
  'audit_head', (SELECT json_build_object('seq', seq, 'hash', hash) FROM $schema.audit_head),
  'rows', (SELECT json_object_agg(table_name, (xpath('/row/n/text()',
      query_to_xml(format('SELECT count(*) AS n FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text::int
      ORDER BY table_name)
    FROM information_schema.tables WHERE table_schema = '$schema' AND table_type = 'BASE TABLE'));
SQL
jq -s '.[0] + .[1]' "$work/postgres.json" "$work/facts.json" | gzip -9n >"$out/postgres.json.gz"
# Unqualified, so that the test loads it into a schema of its own: no search_path reset, no psql
# meta-commands (\restrict), no comments.
pg_dump "$url" -n "$schema" --inserts --rows-per-insert=500 --no-owner --no-privileges --no-comments |
  sed -e '/^\\/d' -e '/^--/d' -e "/^CREATE SCHEMA $schema;/d" -e "/set_config('search_path'/d" -e "s/\b$schema\.//g" |
  gzip -9n >"$out/postgres.sql.gz"
psql -q "$url" -c "DROP SCHEMA $schema CASCADE"
ls -l "$out"

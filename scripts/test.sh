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
export PANTAU_TEST_REQUIRE_MAILPIT=1 # the e-mail tests fail, never skip, without mailpit (scripts/deps.sh builds it)
export PANTAU_TEST_REQUIRE_S3=1      # the object storage tests fail, never skip, without SeaweedFS (likewise)
scripts/frontend-build.sh          # npm ci + vite build, so the binary embeds the web app
(cd frontend && npm test --silent) # the web app's unit tests (vitest)
frontend/node_modules/.bin/redocly lint api/openapi.json  # the API document (rules: redocly.yaml)
go build ./...
go vet ./...
go test -count=1 -timeout 20m ./...
# The contract's tests again on PostgreSQL as a load-balanced deployment serves them: two
# instances on one database and one SeaweedFS bucket, requests alternating between them
# (api/instances_test.go).
contract_tests=$(grep -ho '^func Test[A-Za-z0-9_]*' api/{contract,roles,badinput,summary,programme,evidence,commitments,delegation_permits,delegation_documents,remediation,comments}_test.go | sed 's/^func //' | paste -sd'|')
PANTAU_TEST_TWO_INSTANCES=1 go test -count=1 -timeout 20m -run "^($contract_tests)\$/^postgres\$" ./api
# Shared state under the race detector — the session and summary caches, the work pools, the
# argon2id pool, the attempt limits, the audit sealer, the orphan sweep, the e-mail outbox, SQLite's
# write group and statement cache —
# with the tests that drive them concurrently (selected: the pure-Go SQLite is slow under -race).
go test -race -count=1 -timeout 20m -run 'TestLoginLimit|TestSigningLimit|TestKeyDerivationPoolIsBounded|TestVerifyPoolIsBounded|TestVerifyMemoryIsBounded|TestLogoutReachesOtherInstances|TestSummaryCachingHeaders|TestSummaryCheckedInTheBackground|TestSessionRenewedInTheBackground|TestLostConnections|TestOutboxTwoSenders|TestWritesOnOneInstanceSeenOnTheOther' ./api
go test -race -count=1 -timeout 20m -run 'TestAuditChainUnderConcurrentWriters|TestSweepRacesUploads|TestConcurrentWritesToOneItem|TestChangesReach|TestConcurrentWritesAllHeard|TestFollowReconnects|TestLeadOneAtATime|TestShareFilesFirstStartTogether|TestWritesWaitingForSQLite|TestAFailedWriteInAGroup' ./models
go test -race -count=1 ./internal/stmtcache
# A short run of each fuzzer over the JSON decoders and the upload path (the seed corpora
# already ran above as ordinary tests). The budget is a count of new inputs, not a duration:
# Go 1.26's fuzz coordinator can report its own deadline as a failure when -fuzztime is a
# duration and the workers are busy at that moment (go.dev/issue/75804, fixed in Go 1.27).
for target in FuzzJSONBodies FuzzUpload; do
  go test -run '^$' -fuzz "^$target\$" -fuzztime 3000x ./api
done
scripts/browser-test.sh            # the web app in headless Chromium against pantau serve --demo

#!/usr/bin/env bash
# Runs every test against a throwaway PostgreSQL + PostGIS cluster that the tests start and stop.
# Extra arguments go to `dotnet test`, e.g. ./test.sh --filter "FullyQualifiedName~Http".
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

export IOP_TEST_PGDATA
IOP_TEST_PGDATA=$(mktemp -d /tmp/iop-test.XXXXXX)
chmod 755 "$IOP_TEST_PGDATA"   # the server runs as the postgres user when we are root

cleanup() {
  # A crashed test run can leave its cluster running: stop whatever lives under our folder.
  for pidfile in "$IOP_TEST_PGDATA"/*/postmaster.pid; do
    [ -f "$pidfile" ] && kill -9 "$(head -n 1 "$pidfile")" 2>/dev/null || true
  done
  rm -rf "$IOP_TEST_PGDATA"
}
trap cleanup EXIT

log=$(mktemp)
set +e
dotnet test IopDirectory.sln -c Release --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e

# One plain closing line for CI: "N passed, N failed".
count() { { grep -oE "$1: +[0-9]+" "$log" || true; } | awk '{ s += $2 } END { print s + 0 }'; }
passed=$(count Passed)
failed=$(count Failed)
rm -f "$log"
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"

#!/usr/bin/env bash
# The whole test suite, as CI runs it: a throwaway PostgreSQL on a free port (unless
# CIBA_TEST_POSTGRES names a server to use), every test project, and one closing line
# "tests: N passed, N failed[, N skipped]".
set -uo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

cluster_dir=""
cleanup() {
  if [ -n "$cluster_dir" ]; then
    stop_cluster "$cluster_dir"
    rm -rf "$cluster_dir"
  fi
}
trap cleanup EXIT

if [ -z "${CIBA_TEST_POSTGRES:-}" ]; then
  ensure_postgres_binaries || { echo "tests: 0 passed, 1 failed"; exit 1; }
  cluster_dir=$(mktemp -d /tmp/ciba-test-pg.XXXXXX)
  chmod 755 "$cluster_dir"
  port=$(free_port)
  PG_EXTRA_OPTS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
    start_cluster "$cluster_dir" "$port" || { cat "$cluster_dir/server.log" 2>/dev/null; echo "tests: 0 passed, 1 failed"; exit 1; }
  export CIBA_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "Test PostgreSQL on 127.0.0.1:$port"
fi

if ! dotnet build Ciba.sln -c Release -nologo -v q -clp:ErrorsOnly; then
  echo "The build failed."
  echo "tests: 0 passed, 1 failed"
  exit 1
fi

log=$(mktemp /tmp/ciba-test-log.XXXXXX)
dotnet test Ciba.sln -c Release --no-build -nologo "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

read -r passed failed skipped < <(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" \
  | sed -E 's/.*Failed: +([0-9]+), Passed: +([0-9]+), Skipped: +([0-9]+).*/\2 \1 \3/' \
  | awk '{p+=$1; f+=$2; s+=$3} END {print p+0, f+0, s+0}')
rm -f "$log"

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  # A test host crashed or a project reported no summary: count it as a failure.
  failed=1
fi

line="tests: $passed passed, $failed failed"
if [ "$skipped" -gt 0 ]; then line="$line, $skipped skipped"; fi
echo "$line"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ]

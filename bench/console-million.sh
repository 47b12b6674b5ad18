#!/usr/bin/env bash
# Console page times with a million finished auth requests (issue 10 item 6): starts Ciba as
# ./run.sh does (Development, demo organization) on a private PostgreSQL, fills 1,000,000 redeemed
# requests of the demo organization with generate_series, signs in as the demo administrator and
# times the Activity page: the first page, a page 900,000 rows deep (a keyset cursor), and the
# first page filtered by a status. Each figure is the median of --runs requests (after one warm-up).
#   bench/console-million.sh [--rows 1000000] [--runs 15] [--keep-data]
# --keep-data measures again over the rows an earlier run left in .data/bench-console-postgres.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh

rows=1000000; runs=15; keep=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --keep-data) keep=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

ensure_postgres_binaries
data_dir="$PWD/.data/bench-console-postgres"
port=$(free_port)
start_cluster "$data_dir" "$port"
psql=("$(pg_bin_dir)/psql" -h 127.0.0.1 -p "$port" -U postgres -qAtX)
if [ -z "$keep" ]; then
  "${psql[@]}" -c "DROP DATABASE IF EXISTS ciba_console WITH (FORCE)" postgres
  "${psql[@]}" -c "CREATE DATABASE ciba_console" postgres
fi

app_port=$(free_port)
url="http://127.0.0.1:$app_port"
jar=$(mktemp /tmp/ciba-console-jar.XXXXXX)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -f "$jar"
  stop_cluster "$data_dir"
}
trap cleanup EXIT

dotnet build src/Ciba.Web -c Release -nologo -v q -clp:ErrorsOnly
ASPNETCORE_ENVIRONMENT=Development \
ConnectionStrings__Ciba="Host=127.0.0.1;Port=$port;Database=ciba_console;Username=postgres" \
Ciba__PublicOrigin="$url" \
Ciba__Notifications__DispatcherEnabled=false \
Logging__LogLevel__Default=Warning \
  dotnet src/Ciba.Web/bin/Release/net10.0/Ciba.Web.dll --contentRoot "$PWD/src/Ciba.Web" --urls "$url" >/tmp/ciba-console-server.log 2>&1 &
server_pid=$!
for _ in $(seq 1 360); do
  curl -fsS "$url/readyz" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "$url/readyz" >/dev/null || { echo "server did not become ready"; cat /tmp/ciba-console-server.log; exit 1; }

if [ -z "$keep" ]; then
echo "filling $rows finished requests..."
start=$(date +%s)
"${psql[@]}" ciba_console <<SQL
INSERT INTO "BackchannelRequests" ("Id", "OrganizationId", "ApplicationId", "UserId", "AuthReqIdHash", "LinkKeyHash", "Scope",
    "Channels", "CreatedAt", "ExpiresAt", "IntervalSeconds", "LastPolledAt", "Status", "DecidedAt", "AuthenticatedAt", "RedeemedAt")
SELECT gen_random_uuid(), o."Id", a."Id", u."Id",
    sha256(('a' || g)::bytea), sha256(('l' || g)::bytea), 'openid profile',
    4, t, t + interval '120 seconds', 2, t + interval '20 seconds', 3, t + interval '15 seconds', t + interval '15 seconds', t + interval '20 seconds'
FROM generate_series(1, $rows) AS g
CROSS JOIN LATERAL (SELECT now() - interval '1 hour' - g * interval '2 seconds' AS t) AS times
JOIN "Organizations" o ON o."Handle" = 'demo'
JOIN "Applications" a ON a."ClientId" = 'demo-tv'
JOIN "AspNetUsers" u ON u."UserName" = 'alice' AND u."OrganizationId" = o."Id";
VACUUM ANALYZE "BackchannelRequests";
SQL
echo "filled in $(( $(date +%s) - start )) s"
fi
rows=$("${psql[@]}" -c 'SELECT count(*) FROM "BackchannelRequests"' ciba_console)
echo "table: $rows rows, $("${psql[@]}" -c "SELECT pg_size_pretty(pg_total_relation_size('\"BackchannelRequests\"'))" ciba_console)"

# Sign in as the demo administrator (antiforgery token from the form).
token=$(curl -fsS -c "$jar" -b "$jar" "$url/t/demo/login" | grep -o 'name="__RequestVerificationToken"[^>]*value="[^"]*"' | sed 's/.*value="//; s/"$//' | head -1)
curl -fsS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "Login=admin" --data-urlencode "Password=Admin-Passw0rd!" \
  --data-urlencode "__RequestVerificationToken=$token" "$url/t/demo/login"

# A keyset cursor 900,000 rows deep (or 90 % of --rows): the page after that row.
deep=$(( rows * 9 / 10 ))
cursor_text=$("${psql[@]}" -c "SELECT replace(\"Id\"::text, '-', '') || ((extract(epoch FROM \"CreatedAt\") * 10000000)::bigint + 621355968000000000)
  FROM \"BackchannelRequests\" ORDER BY \"CreatedAt\" DESC, \"Id\" DESC OFFSET $deep LIMIT 1" ciba_console)
cursor=$(printf %s "$cursor_text" | base64 -w0 | tr '+/' '-_' | tr -d '=')

median_ms() {
  local path="$1" status times=()
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$url$path")
  [ "$status" = 200 ] || { echo "GET $path answered $status" >&2; exit 1; }
  for _ in $(seq 1 "$runs"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -b "$jar" "$url$path")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)] * 1000}'
}

echo "machine: $(nproc) cores; PostgreSQL $("$(pg_bin_dir)/psql" --version | awk '{print $3}'); $rows finished requests; median of $runs"
echo "Activity, first page:                 $(median_ms "/t/demo/console/activity") ms"
echo "Activity, page $deep rows deep:       $(median_ms "/t/demo/console/activity?after=$cursor") ms"
echo "Activity, first page, status filter:  $(median_ms "/t/demo/console/activity?status=Redeemed") ms"
echo "Deliveries, first page:               $(median_ms "/t/demo/console/activity/deliveries") ms"

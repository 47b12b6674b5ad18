#!/usr/bin/env bash
# Telemetry on against off, measured in the same minutes: two Ciba servers over one PostgreSQL, one
# with telemetry off and one with metrics (Prometheus, scraped every 5 s) and traces (sampled at
# --trace-ratio, exported over OTLP to a local sink), benchmarked in alternation so that whatever
# else the machine is doing weighs on both alike.
#   bench/telemetry-ab.sh [--rounds 4] [--seconds 10] [--warmup 5] [--concurrency 32] [--scenario poll|backchannel|notify|redeem] [--trace-ratio 0.1|none]
# (--trace-ratio none: the "on" server has metrics only)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh

rounds=4; seconds=10; warmup=5; concurrency=32; scenario=poll; trace_ratio=0.1
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --scenario) scenario="$2"; shift 2 ;;
    --trace-ratio) trace_ratio="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

ensure_postgres_binaries
data_dir="$PWD/.data/bench-postgres"
port=$(free_port)
PG_EXTRA_OPTS="-c max_connections=300" start_cluster "$data_dir" "$port"
psql="$(pg_bin_dir)/psql"
"$psql" -h 127.0.0.1 -p "$port" -U postgres -qc "DROP DATABASE IF EXISTS ciba_bench WITH (FORCE)" postgres
"$psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE ciba_bench" postgres

db="Host=127.0.0.1;Port=$port;Database=ciba_bench;Username=postgres"
postmaster_pid=$(head -1 "$data_dir/postmaster.pid")
off_pid=""; on_pid=""; sink_pid=""; scraper_pid=""
cleanup() {
  [ -n "$scraper_pid" ] && kill "$scraper_pid" 2>/dev/null
  for pid in $off_pid $on_pid; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null
  stop_cluster "$data_dir"
}
trap cleanup EXIT

dotnet build src/Ciba.Web -c Release -nologo -v q -clp:ErrorsOnly
dotnet build bench/Ciba.Bench -c Release -nologo -v q -clp:ErrorsOnly

sink_port=$(free_port)
python3 - "$sink_port" <<'PY' &
import http.server, sys
class Sink(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
    def log_message(self, *args): pass
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
PY
sink_pid=$!

# The requests name the synthetic users in turn, so the per-person limits (product.md §14) are not hit.
users=20000
common=(ASPNETCORE_ENVIRONMENT=Development "CIBA_DEMO_USERS=$users" "ConnectionStrings__Ciba=$db;Maximum Pool Size=100" Logging__LogLevel__Default=Warning)
start_server() { # name url extra-env...
  local log="/tmp/ciba-bench-$1.log" url="$2"; shift 2
  env "${common[@]}" "Ciba__PublicOrigin=${url%%;*}" "$@" \
    dotnet src/Ciba.Web/bin/Release/net10.0/Ciba.Web.dll --contentRoot "$PWD/src/Ciba.Web" --urls "$url" >"$log" 2>&1 &
}
wait_ready() {
  for _ in $(seq 1 240); do curl -fsS "$1/readyz" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "server $1 did not become ready" >&2; return 1
}

off_url="http://127.0.0.1:$(free_port)"
start_server off "$off_url"
off_pid=$!
wait_ready "$off_url" # the first server migrates and seeds alone
on_url="http://127.0.0.1:$(free_port)"
metrics_port=$(free_port)
on_env=(Ciba__Telemetry__Metrics__Enabled=true Ciba__Telemetry__Prometheus__Enabled=true "Ciba__Telemetry__Prometheus__Port=$metrics_port")
if [ "$trace_ratio" != none ]; then
  on_env+=(Ciba__Telemetry__Traces__Enabled=true "Ciba__Telemetry__Traces__SampleRatio=$trace_ratio" "Ciba__Telemetry__OtlpEndpoint=http://127.0.0.1:$sink_port/")
fi
start_server on "$on_url;http://127.0.0.1:$metrics_port" "${on_env[@]}"
on_pid=$!
wait_ready "$on_url"
( while sleep 5; do curl -fsS "http://127.0.0.1:$metrics_port/metrics" >/dev/null 2>&1; done ) &
scraper_pid=$!

echo "telemetry A/B: scenario $scenario, $rounds rounds of ${seconds}s each way, traces sampled at $trace_ratio; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
  for side in off on; do
    if [ "$side" = off ]; then url="$off_url"; pid="$off_pid"; else url="$on_url"; pid="$on_pid"; fi
    printf 'round %s %-3s ' "$round" "$side"
    dotnet bench/Ciba.Bench/bin/Release/net10.0/Ciba.Bench.dll --url "$url" --scenario "$scenario" \
      --concurrency "$concurrency" --seconds "$seconds" --warmup "$warmup" --server-pid "$pid" --users "$users" \
      --db "$db" --postgres-pid "$postmaster_pid" | grep -E '^(backchannel|notify|poll|redeem) '
  done
done

#!/usr/bin/env bash
# Benchmarks a running Ciba the way ./run.sh starts it (Release build, local PostgreSQL with its
# default durability settings on the same machine), then PostgreSQL alone with pgbench for scale.
#   bench/run.sh [--seconds 20] [--warmup 60] [--concurrency 32] [--scenario all|backchannel|notify|poll|redeem|floor]
#                [--nodes 1] [--pgbench] [--telemetry off|metrics|on] [--trace-ratio 0.1] [--users 20000]
#                [--redeem-factor 2] [--pg-stat] [--profile FILE] [--pg-tcp]
# Scenarios (all: in this order): backchannel (External channel, demo-kiosk), notify (Email + SMS
# through the outbox, demo-tv), poll (pending / slow_down), redeem (polls of approved requests).
# --nodes 2: two servers on two ports over the one database (the first migrates and seeds, the
# second starts once the first is ready); the load tool's connections alternate between them and
# the server CPU per request counts both. PostgreSQL CPU counts this cluster's processes only.
# --redeem-factor F: the redeem scenario prepares the warm-up's rate × seconds × F approved
# requests for the measured window (each is redeemed once) and fails loudly if they run out.
# --profile FILE: samples the (first) server's CPU over the measured window with `perf record` (JIT frames
# named through DOTNET_PerfMapEnabled) into FILE and prints the hottest symbols; `perf report -i FILE`
# reads it further. One scenario at a time makes the profile readable.
# Server logs: .data/bench-server.log (and -2, … for more nodes), so checkouts side by side do not
# overwrite each other's.
# --pg-stat: loads pg_stat_statements and prints, after the run, the statements by total time with
# their calls and rows (round trips and rows per request are these over the requests made).
# --users N: the server seeds N synthetic users (CIBA_DEMO_USERS) and the backchannel requests name
# them in turn, so the per-person anti-fatigue limits (product.md §14) stay in force and are not hit.
# --pg-tcp: the servers (and pgbench) reach PostgreSQL over TCP on 127.0.0.1 instead of its Unix
# socket (ADR 0035), to measure what the socket saves.
# --telemetry metrics: the Ciba, ASP.NET Core and HttpClient meters with the Prometheus endpoint on a
# port of its own, scraped every 5 s; on: that plus traces (sampled at --trace-ratio) exported over
# OTLP to a local sink that accepts and drops them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh

seconds=20; warmup=60; concurrency=32; users=20000; scenario=all; pg_tcp=""; pgbench=""; pgstat=""; profile=""; telemetry=off; trace_ratio=0.1
nodes=1; redeem_factor=2
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --users) users="$2"; shift 2 ;;
    --scenario) scenario="$2"; shift 2 ;;
    --pgbench) pgbench=1; shift ;;
    --pg-stat) pgstat=1; shift ;;
    --profile) profile="$2"; shift 2 ;;
    --telemetry) telemetry="$2"; shift 2 ;;
    --trace-ratio) trace_ratio="$2"; shift 2 ;;
    --nodes) nodes="$2"; shift 2 ;;
    --redeem-factor) redeem_factor="$2"; shift 2 ;;
    --pg-tcp) pg_tcp=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$nodes" in ''|*[!0-9]*|0) echo "--nodes is a whole number from 1" >&2; exit 2 ;; esac
case "$scenario" in all|backchannel|notify|poll|redeem|floor) ;; *) echo "--scenario is all, backchannel, notify, poll, redeem or floor" >&2; exit 2 ;; esac

ensure_postgres_binaries
data_dir="$PWD/.data/bench-postgres"
port=$(free_port)
pg_opts="-c max_connections=$((100 * nodes + 100))"
[ -n "$pgstat" ] && pg_opts="$pg_opts -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all"
# A cluster left running by an earlier run may lack the library: restart it with these options.
stop_cluster "$data_dir"
PG_EXTRA_OPTS="$pg_opts" start_cluster "$data_dir" "$port"
psql="$(pg_bin_dir)/psql"
"$psql" -h 127.0.0.1 -p "$port" -U postgres -qc "DROP DATABASE IF EXISTS ciba_bench WITH (FORCE)" postgres
"$psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE ciba_bench" postgres

pg_host=$(connection_host "$data_dir" "$port")
[ -n "$pg_tcp" ] && pg_host=127.0.0.1
db="Host=$pg_host;Port=$port;Database=ciba_bench;Username=postgres"
postmaster_pid=$(head -1 "$data_dir/postmaster.pid")
server_pids=(); server_urls=(); metrics_ports=(); sink_pid=""; scraper_pid=""
cleanup() {
  [ -n "$scraper_pid" ] && kill "$scraper_pid" 2>/dev/null
  for pid in ${server_pids[@]+"${server_pids[@]}"}; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null
  stop_cluster "$data_dir"
}
trap cleanup EXIT

dotnet build src/Ciba.Web -c Release -nologo -v q -clp:ErrorsOnly
dotnet build bench/Ciba.Bench -c Release -nologo -v q -clp:ErrorsOnly

case "$telemetry" in
  off|metrics) ;;
  on)
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
    sink_pid=$! ;;
  *) echo "--telemetry is off, metrics or on" >&2; exit 2 ;;
esac

# start_node N: starts node N (1, 2, …) on a free port and waits until it is ready. Every node has
# the first node's public origin, as nodes behind one load balancer do (one issuer).
start_node() {
  local n="$1" url urls log env_=() metrics_port
  url="http://127.0.0.1:$(free_port)"
  urls="$url"
  log="$PWD/.data/bench-server.log"
  [ "$n" -gt 1 ] && log="$PWD/.data/bench-server-$n.log"
  [ "$n" = 1 ] && [ -n "$profile" ] && env_+=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
  if [ "$telemetry" != off ]; then
    metrics_port=$(free_port)
    urls="$url;http://127.0.0.1:$metrics_port"
    metrics_ports+=("$metrics_port")
    env_+=(Ciba__Telemetry__Metrics__Enabled=true Ciba__Telemetry__Prometheus__Enabled=true "Ciba__Telemetry__Prometheus__Port=$metrics_port")
    [ "$telemetry" = on ] && env_+=(Ciba__Telemetry__Traces__Enabled=true "Ciba__Telemetry__Traces__SampleRatio=$trace_ratio" "Ciba__Telemetry__OtlpEndpoint=http://127.0.0.1:$sink_port/")
  fi
  env ${env_[@]+"${env_[@]}"} \
  ASPNETCORE_ENVIRONMENT=Development \
  CIBA_DEMO_USERS="$users" \
  ConnectionStrings__Ciba="$db;Maximum Pool Size=100${CIBA_BENCH_DB_OPTIONS:-}" \
  Ciba__PublicOrigin="${server_urls[0]:-$url}" \
  Logging__LogLevel__Default=Warning \
    dotnet src/Ciba.Web/bin/Release/net10.0/Ciba.Web.dll --contentRoot "$PWD/src/Ciba.Web" --urls "$urls" >"$log" 2>&1 &
  server_pids+=($!)
  server_urls+=("$url")
  for _ in $(seq 1 120); do
    curl -fsS "$url/readyz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "$url/readyz" >/dev/null || { echo "server $n did not become ready"; cat "$log"; exit 1; }
}

# The first node migrates and seeds alone; the others start once it is ready.
for n in $(seq 1 "$nodes"); do start_node "$n"; done

if [ "$telemetry" != off ]; then
  # Prometheus scrapes every node every 5 s, as a busy installation might.
  ( while sleep 5; do for p in "${metrics_ports[@]}"; do curl -fsS "http://127.0.0.1:$p/metrics" >/dev/null 2>&1; done; done ) &
  scraper_pid=$!
fi

echo "telemetry: $telemetry$([ "$telemetry" = on ] && echo " (traces sampled at $trace_ratio)"); nodes: $nodes"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; PostgreSQL $("$psql" --version | awk '{print $3}') on the same machine"
if [ -n "$pgstat" ]; then
  "$psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()" ciba_bench >/dev/null
fi
profiler_pid=""
if [ -n "$profile" ]; then
  ( sleep "$warmup"; exec perf record -e cpu-clock -F 499 -g -p "${server_pids[0]}" -o "$profile" -- sleep "$seconds" >/dev/null 2>&1 ) &
  profiler_pid=$!
fi
bench_status=0
dotnet bench/Ciba.Bench/bin/Release/net10.0/Ciba.Bench.dll --url "$(IFS=,; echo "${server_urls[*]}")" --scenario "$scenario" \
  --concurrency "$concurrency" --seconds "$seconds" --warmup "$warmup" --server-pid "$(IFS=,; echo "${server_pids[*]}")" --users "$users" \
  --db "$db" --postgres-pid "$postmaster_pid" --redeem-factor "$redeem_factor" || bench_status=$?

if [ -n "$profiler_pid" ]; then
  wait "$profiler_pid" || true
  echo "Server CPU samples by symbol (perf, measured window; full report: perf report -i $profile):"
  perf report -i "$profile" --no-children --sort dso,sym --stdio -g none 2>/dev/null | grep -E '^ +[0-9.]+%' | head -45 || true
fi

if [ -n "$pgstat" ]; then
  echo "PostgreSQL statements (warm-up and measured window; per request = calls / requests of both):"
  "$psql" -h 127.0.0.1 -p "$port" -U postgres -P pager=off -c "SELECT calls, rows, round(total_exec_time::numeric, 1) AS total_ms, round(mean_exec_time::numeric * 1000, 0) AS mean_us, left(regexp_replace(query, '\s+', ' ', 'g'), 160) AS query FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 25" ciba_bench
fi

if [ -n "$pgbench" ]; then
  # PostgreSQL alone, over the same socket and with prepared statements as Ciba; CPU per transaction
  # counts the postmaster and every process it started, as the load tool does.
  pg_cpu_ticks() {
    local total=0 pid fields
    for stat in /proc/[0-9]*/stat; do
      fields=$(sed 's/^.*) //' "$stat" 2>/dev/null) || continue
      set -- $fields
      pid=${stat#/proc/}; pid=${pid%/stat}
      if [ "$pid" = "$postmaster_pid" ]; then total=$((total + ${12} + ${13} + ${14} + ${15}))
      elif [ "${2:-}" = "$postmaster_pid" ]; then total=$((total + ${12} + ${13})); fi
    done
    echo "$total"
  }
  run_pgbench() { # LABEL pgbench-arguments…
    local label="$1" before after out tps; shift
    before=$(pg_cpu_ticks)
    out=$("$(pg_bin_dir)/pgbench" -h "$pg_host" -p "$port" -U postgres -M prepared -c "$concurrency" -j 2 -T "$seconds" "$@" pgbench 2>/dev/null)
    after=$(pg_cpu_ticks)
    tps=$(echo "$out" | grep -E '^tps' | head -1 | sed -E 's/^tps = ([0-9.]+).*/\1/')
    echo "  $label: tps=${tps%.*} postgres_cpu_us_per_tx=$(awk -v t="$((after - before))" -v n="$tps" -v s="$seconds" 'BEGIN { if (n > 0) printf "%d", t * 10000 / (n * s) }')"
  }
  echo "PostgreSQL alone (pgbench, $concurrency clients, ${seconds}s):"
  "$psql" -h 127.0.0.1 -p "$port" -U postgres -qc "DROP DATABASE IF EXISTS pgbench" postgres 2>/dev/null
  "$psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE pgbench" postgres
  "$(pg_bin_dir)/pgbench" -h 127.0.0.1 -p "$port" -U postgres -i -q -s 10 pgbench >/dev/null 2>&1
  run_pgbench "select-only (one indexed lookup)" -S
  cat > /tmp/ciba-pgbench-update.sql <<'SQL'
\set aid random(1, 1000000)
\startpipeline
SELECT set_config('synchronous_commit', 'off', true);
UPDATE pgbench_accounts SET abalance = abalance + 1 WHERE aid = :aid;
\endpipeline
SQL
  run_pgbench "single-row update, non-durable commit, one round trip (a pending poll's database work)" -f /tmp/ciba-pgbench-update.sql
fi
exit "$bench_status"

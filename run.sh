#!/usr/bin/env bash
# Starts Ciba: a local PostgreSQL under .data/ (unless ConnectionStrings__Ciba is given), the
# migrations, the demo organization (Development), and the web app on http://127.0.0.1:5080.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/postgres.sh

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
url="${CIBA_URL:-http://127.0.0.1:5080}"
export Ciba__PublicOrigin="${Ciba__PublicOrigin:-$url}"
data_dir="$PWD/.data/postgres"
started_cluster=""

if [ -z "${ConnectionStrings__Ciba:-}" ]; then
  ensure_postgres_binaries
  port="${CIBA_PG_PORT:-$(cluster_port "$data_dir" || true)}"
  port="${port:-55432}"
  start_cluster "$data_dir" "$port"
  started_cluster=1
  psql="$(pg_bin_dir)/psql"
  if ! "$psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='ciba'" postgres | grep -q 1; then
    "$psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE ciba" postgres
  fi
  export ConnectionStrings__Ciba="Host=$(connection_host "$data_dir" "$port");Port=$port;Database=ciba;Username=postgres"
  echo "PostgreSQL: port $port (its Unix socket when the path allows), data in .data/postgres"
fi

# The Data Protection key ring is encrypted at rest with a certificate (ADR 0014). In Development a
# self-signed one is made once under .data/; elsewhere the operator sets Ciba__DataProtection__CertificatePath.
if [ -z "${Ciba__DataProtection__CertificatePath:-}" ] && [ "$ASPNETCORE_ENVIRONMENT" = "Development" ]; then
  cert_dir="$PWD/.data/keys"
  if [ ! -f "$cert_dir/key-ring.pem" ]; then
    mkdir -p "$cert_dir"
    (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Ciba development key ring" \
      -keyout "$cert_dir/key-ring.key" -out "$cert_dir/key-ring.crt" 2>/dev/null \
      && cat "$cert_dir/key-ring.crt" "$cert_dir/key-ring.key" > "$cert_dir/key-ring.pem" \
      && rm -f "$cert_dir/key-ring.crt" "$cert_dir/key-ring.key")
    echo "Created the development key-ring certificate .data/keys/key-ring.pem"
  fi
  export Ciba__DataProtection__CertificatePath="$cert_dir/key-ring.pem"
fi

app_pid=""
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill -TERM "$app_pid" 2>/dev/null
    wait "$app_pid" 2>/dev/null || true
  fi
  if [ -n "$started_cluster" ]; then stop_cluster "$data_dir"; fi
}
trap cleanup EXIT
# Ctrl-C (or a TERM from a supervisor) stops the app gracefully, then the database.
trap 'exit 130' INT
trap 'exit 143' TERM

dotnet build src/Ciba.Web -c Release -nologo -v q -clp:ErrorsOnly
cat <<TXT

  Ciba is starting on $url  (Ctrl-C stops it; the database keeps its data)
  Ready check:  $url/readyz
  Demo organization 'demo' (Development):
    console    $url/t/demo/console   admin / Admin-Passw0rd!
    users      alice / Alice-Passw0rd!   bob / Bob-Passw0rd!
    clients    demo-tv / demo-tv-secret   demo-kiosk / demo-kiosk-secret   demo-web / demo-web-secret

TXT
dotnet src/Ciba.Web/bin/Release/net10.0/Ciba.Web.dll --contentRoot "$PWD/src/Ciba.Web" --urls "$url" &
app_pid=$!
wait "$app_pid"

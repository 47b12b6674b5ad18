# Shared by run.sh and test.sh: find (or install) PostgreSQL's server binaries and run a private
# cluster in a folder of ours. PostgreSQL refuses to run as root, so as root the cluster belongs to
# the 'postgres' system user and its commands run through runuser.

pg_bin_dir() {
  local dir
  if command -v pg_config >/dev/null 2>&1; then
    dir=$(pg_config --bindir 2>/dev/null)
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  fi
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

ensure_postgres_binaries() {
  if pg_bin_dir >/dev/null; then return 0; fi
  echo "PostgreSQL server binaries not found; installing them with apt-get." >&2
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >&2
  # Debian's package starts a system cluster on 5432; ours are private, so it is not needed.
  pg_bin_dir >/dev/null
}

# Runs a PostgreSQL command as the cluster's owner.
pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $(( 20000 + RANDOM % 20000 ))
}

# start_cluster DATA_DIR PORT: initializes the cluster on first use, then starts it on 127.0.0.1:PORT
# with trust authentication for the superuser 'postgres'.
start_cluster() {
  local data_dir="$1" port="$2" bin
  bin=$(pg_bin_dir) || { echo "PostgreSQL binaries are missing." >&2; return 1; }
  mkdir -p "$data_dir"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    chown -R postgres: "$data_dir"
    # The postgres user must be able to reach the folder.
    if ! runuser -u postgres -- test -x "$data_dir"; then
      echo "The 'postgres' user cannot reach $data_dir (check the permissions of its parent folders)." >&2
      return 1
    fi
  fi
  if [ ! -f "$data_dir/PG_VERSION" ]; then
    pg_as_owner "$bin/initdb" -D "$data_dir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null \
      || pg_as_owner "$bin/initdb" -D "$data_dir" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
  fi
  if pg_as_owner "$bin/pg_ctl" -D "$data_dir" status >/dev/null 2>&1; then
    return 0
  fi
  pg_as_owner "$bin/pg_ctl" -D "$data_dir" -w -t 60 -l "$data_dir/server.log" \
    -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$data_dir' ${PG_EXTRA_OPTS:-}" start >/dev/null
}

# connection_host DATA_DIR PORT: what a client on this machine connects to, the cluster's Unix
# socket folder (ADR 0035: no TCP stack between Ciba and its database), or 127.0.0.1 when the
# socket's path is longer than the kernel allows (107 bytes).
connection_host() {
  local socket="$1/.s.PGSQL.$2"
  if [ "${#socket}" -le 100 ]; then echo "$1"; else echo 127.0.0.1; fi
}

stop_cluster() {
  local data_dir="$1" bin
  bin=$(pg_bin_dir) || return 0
  [ -f "$data_dir/postmaster.pid" ] || return 0
  pg_as_owner "$bin/pg_ctl" -D "$data_dir" -m fast -w stop >/dev/null 2>&1 || true
}

# The port a running cluster listens on (from postmaster.pid), or nothing.
cluster_port() {
  local data_dir="$1"
  [ -f "$data_dir/postmaster.pid" ] && sed -n 4p "$data_dir/postmaster.pid"
}

#!/usr/bin/env bash
# A PgBouncer in transaction mode in front of the PostgreSQL server on 127.0.0.1:5432, the way production
# pools connections (docs/deployment.md, "PgBouncer"). Its ini, user list, log and PID file live in a folder
# of its own; a wildcard database entry passes every database name through, so per-test databases work.
#
#   scripts/pgbouncer.sh start <folder> [port]   starts it (as the postgres user: it refuses to run as root)
#   scripts/pgbouncer.sh stop <folder>           stops the one started in <folder>, by its PID
set -euo pipefail

command=${1:?usage: pgbouncer.sh start|stop <folder> [port]}
folder=${2:?usage: pgbouncer.sh start|stop <folder> [port]}
port=${3:-6432}
binary=${PGBOUNCER:-/usr/sbin/pgbouncer}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
  start)
    mkdir -p "$folder"
    [ "$(id -u)" = 0 ] && chown postgres "$folder"
    # Trust, like the server behind it; the user still has to be listed.
    printf '"postgres" ""\n' >"$folder/userlist.txt"
    cat >"$folder/pgbouncer.ini" <<INI
[databases]
; connect_query: node-postgres sends statement_timeout as a start-up parameter, which PgBouncer does not pass
; on (it is ignored below); each server connection gets the server's default bound instead.
* = host=127.0.0.1 port=5432 connect_query='SET statement_timeout = 5000'

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
unix_socket_dir =
auth_type = trust
auth_file = $folder/userlist.txt
admin_users = postgres
stats_users = postgres
pool_mode = transaction
default_pool_size = 10
max_client_conn = 500
ignore_startup_parameters = statement_timeout
logfile = $folder/pgbouncer.log
pidfile = $folder/pgbouncer.pid
INI
    [ "$(id -u)" = 0 ] && chown postgres "$folder"/*
    as_postgres "$binary" -d "$folder/pgbouncer.ini"
    for _ in $(seq 1 40); do
      if pg_isready -h 127.0.0.1 -p "$port" -U postgres -d postgres -q 2>/dev/null; then
        echo "PgBouncer $(cat "$folder/pgbouncer.pid") listening on 127.0.0.1:$port (transaction mode)"
        exit 0
      fi
      sleep 0.25
    done
    echo "FATAL: PgBouncer did not start on 127.0.0.1:$port:" >&2
    cat "$folder/pgbouncer.log" >&2 || true
    exit 1
    ;;
  stop)
    if [ -s "$folder/pgbouncer.pid" ]; then
      pid=$(cat "$folder/pgbouncer.pid")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    ;;
  *)
    echo "usage: pgbouncer.sh start|stop <folder> [port]" >&2
    exit 2
    ;;
esac

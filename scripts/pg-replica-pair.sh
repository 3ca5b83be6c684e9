#!/usr/bin/env bash
# A PostgreSQL primary and a streaming replica of it, in a folder of their own, for the read-replica tests:
#
#   scripts/pg-replica-pair.sh start <dir>    initdb, start the primary, pg_basebackup -R -X stream, start the replica
#   scripts/pg-replica-pair.sh stop <dir>     stop both (the folder stays; remove it yourself)
#
# Ports: PRIMARY_PORT (default 55432) and REPLICA_PORT (default 55433). Run as root (the servers run as the
# postgres user through runuser) or as the postgres user itself. `start` writes <dir>/env, to be sourced:
#   TEST_REPLICA_PRIMARY_URL, TEST_REPLICA_URL   connection strings (database postgres)
#   TEST_REPLICA_PRIMARY_DATA, TEST_REPLICA_DATA  the data folders, for pg_ctl stop/start by a test
#   TEST_REPLICA_LOG                               the replica's log, every statement in it (log_statement=all)
# The replica's postgresql.conf holds its port, so `pg_ctl -D "$TEST_REPLICA_DATA" -l "$TEST_REPLICA_LOG" start`
# starts it again as it was.
set -euo pipefail

action="${1:-}"
dir="${2:-}"
if [ -z "$action" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop <dir>" >&2
  exit 2
fi
primary_port="${PRIMARY_PORT:-55432}"
replica_port="${REPLICA_PORT:-55433}"

version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
bin="/usr/lib/postgresql/$version/bin"

as_postgres() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

primary="$dir/primary"
replica="$dir/replica"

case "$action" in
  start)
    mkdir -p "$dir"
    if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$dir"; fi
    if [ -e "$primary" ]; then
      echo "$primary exists already: stop the pair and remove $dir first" >&2
      exit 1
    fi
    as_postgres "$bin/initdb" -A trust -U postgres -D "$primary" >/dev/null
    cat >>"$primary/postgresql.conf" <<EOF
port = $primary_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 5
wal_keep_size = '256MB'
fsync = off
log_line_prefix = '%m [%p] %d '
EOF
    # Its own replication entry: the replica connects over TCP as postgres.
    echo "host replication postgres 127.0.0.1/32 trust" >>"$primary/pg_hba.conf"
    as_postgres "$bin/pg_ctl" -D "$primary" -w -l "$dir/primary.log" start >/dev/null
    as_postgres "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$replica" -R -X stream >/dev/null
    cat >>"$replica/postgresql.conf" <<EOF
port = $replica_port
hot_standby = on
hot_standby_feedback = on
log_statement = 'all'
EOF
    as_postgres "$bin/pg_ctl" -D "$replica" -w -l "$dir/replica.log" start >/dev/null
    cat >"$dir/env" <<EOF
export TEST_REPLICA_PRIMARY_URL=postgresql://postgres@127.0.0.1:$primary_port/postgres
export TEST_REPLICA_URL=postgresql://postgres@127.0.0.1:$replica_port/postgres
export TEST_REPLICA_PRIMARY_DATA=$primary
export TEST_REPLICA_DATA=$replica
export TEST_REPLICA_LOG=$dir/replica.log
EOF
    cat "$dir/env"
    ;;
  stop)
    for data in "$replica" "$primary"; do
      if [ -f "$data/postmaster.pid" ]; then as_postgres "$bin/pg_ctl" -D "$data" -w -m fast stop >/dev/null || true; fi
    done
    ;;
  *)
    echo "usage: $0 start|stop <dir>" >&2
    exit 2
    ;;
esac

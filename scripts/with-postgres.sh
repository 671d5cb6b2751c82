#!/usr/bin/env bash
# Runs CMD... next to a throwaway PostgreSQL cluster, for the SQL baseline of
# `corridor bench ledger` (crates/corridor-sqlbaseline) and its tests.
#
# Installs Debian's `postgresql` package if it is missing (needs root), starts
# a cluster with default durability (fsync=on, synchronous_commit=on) in a temp
# dir under $CORRIDOR_PG_TMP (default /var/tmp, disk-backed: a tmpfs would make
# fsync free), listening on 127.0.0.1 at the first free port from 55432, exports
# CORRIDOR_BENCH_PG_URL and CORRIDOR_TEST_PG_URL, runs CMD and stops the cluster.
#
# Usage: scripts/with-postgres.sh cargo test -p corridor-sqlbaseline
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 CMD [ARG...]" >&2
  exit 2
fi

if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  echo "with-postgres: installing Debian's postgresql package" >&2
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
fi
bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

dir=$(mktemp -d "${CORRIDOR_PG_TMP:-/var/tmp}/corridor-pg.XXXXXX")
# initdb refuses to run as root: run the server as `postgres` when we are root.
if [[ $EUID -eq 0 ]]; then
  chown postgres: "$dir"
  as_owner() { (cd "$dir" && runuser -u postgres -- "$@"); }
else
  as_owner() { (cd "$dir" && "$@"); }
fi
stop() {
  if [[ -f $dir/data/postmaster.pid ]]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$dir"
}
trap stop EXIT

port=55432
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
  port=$((port + 1))
done

as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-locale >"$dir/initdb.log"
as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -s \
  -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir" start ||
  { cat "$dir/server.log" >&2; exit 1; }
as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres corridor_bench

# The unix socket: the baseline's best case on one machine (TCP on loopback is slower).
export CORRIDOR_BENCH_PG_URL="host=$dir port=$port user=postgres dbname=corridor_bench"
export CORRIDOR_TEST_PG_URL=$CORRIDOR_BENCH_PG_URL
echo "with-postgres: $("$bin/postgres" --version) at $CORRIDOR_BENCH_PG_URL" >&2
"$@"

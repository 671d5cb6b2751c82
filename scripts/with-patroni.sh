#!/usr/bin/env bash
# Runs CMD... next to a throwaway highly available PostgreSQL cluster: one etcd
# member and two Patroni members (pg1, pg2) streaming to each other in strict
# synchronous mode, for the failover tests of the PostgreSQL journal.
#
# Installs Debian's `postgresql`, `patroni` and `etcd-server` packages if they
# are missing (needs root). Everything listens on 127.0.0.1 at the first free
# ports (PostgreSQL from 55442, Patroni REST from 58008, etcd from 52379) and
# lives in a temp dir under $CORRIDOR_PG_TMP (default /var/tmp, disk-backed so
# fsync costs what it costs). Patroni runs initdb, makes one member the primary
# and the other its synchronous standby (synchronous_mode_strict: no COMMIT
# returns before the standby has flushed it), and fails over on its own when the
# primary's postmaster dies; the old primary rejoins as the standby (pg_rewind).
#
# Once a leader and a streaming synchronous standby exist, it creates database
# `corridor`, exports
#   CORRIDOR_TEST_PATRONI_URL  libpq multi-host URL of both members, read-write
#   CORRIDOR_TEST_PATRONI_DIR  the temp dir, which holds two executables:
#     kill-primary   SIGKILLs the leader's postmaster, prints the member's name
#     wait-healthy   waits (60 s at most, or $1 seconds) for a leader and a
#                    streaming synchronous standby again; exits 1 on timeout
# runs CMD, then stops Patroni, PostgreSQL and etcd and removes the temp dir.
# After kill-primary, writes through the URL fail or block for about 4 to 9 s
# (until the old primary is back as synchronous standby: strict mode), and
# wait-healthy returns after about 8 to 13 s (2-core machine, Patroni 3.0.2).
#
# Usage: scripts/with-patroni.sh cargo test -p corridor-journal-pg
#        scripts/with-patroni.sh bash      (a shell next to the cluster)
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 CMD [ARG...]" >&2
  exit 2
fi

if ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null ||
  ! command -v patroni >/dev/null || ! command -v etcd >/dev/null; then
  echo "with-patroni: installing Debian's postgresql, patroni and etcd-server packages" >&2
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql patroni etcd-server >&2
fi
bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

dir=$(mktemp -d "${CORRIDOR_PG_TMP:-/var/tmp}/corridor-patroni.XXXXXX")
chmod 755 "$dir"
# initdb refuses to run as root: Patroni and PostgreSQL run as `postgres` when
# we are root. setpriv execs, so $! is Patroni's own PID, not a wrapper's.
if [[ $EUID -eq 0 ]]; then
  run_as=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  owner=postgres
else
  run_as=()
  owner=$(id -un)
fi

pids=()
stop() {
  local pid member postmaster
  for pid in "${pids[@]:1}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # Patroni stops its PostgreSQL on SIGTERM; give it a bounded time to do so.
  for _ in $(seq 1 150); do
    local alive=0
    for pid in "${pids[@]:1}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive -eq 0 ]] && break
    sleep 0.2
  done
  for pid in "${pids[@]:1}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for member in pg1 pg2; do
    postmaster=$dir/$member/data/postmaster.pid
    if [[ -f $postmaster ]] && kill -0 "$(head -n 1 "$postmaster")" 2>/dev/null; then
      "${run_as[@]}" "$bin/pg_ctl" -D "$dir/$member/data" -m immediate -w stop >/dev/null 2>&1 ||
        kill -KILL "$(head -n 1 "$postmaster")" 2>/dev/null || true
    fi
  done
  [[ ${#pids[@]} -gt 0 ]] && { kill -KILL "${pids[0]}" 2>/dev/null || true; }
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap stop EXIT
# A signal ends the script through `exit`, so the EXIT trap still stops everything.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

taken=" "
# Sets variable $1 to the first port from $2 up that nothing listens on and that
# this script has not given out already.
pick_port() {
  local port=$2
  while [[ $taken == *" $port "* ]] || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
  done
  taken+="$port "
  printf -v "$1" '%s' "$port"
}
etcd_client='' etcd_peer='' pg1='' pg2='' api1='' api2=''
pick_port etcd_client 52379
pick_port etcd_peer 52379
pick_port pg1 55442
pick_port pg2 55442
pick_port api1 58008
pick_port api2 58008

# Patroni 3.0 speaks etcd's v3 API through its JSON gateway (section `etcd3`),
# so etcd 3.4 needs no --enable-v2 and python3-etcd is not used.
# The daemons run in a session of their own, so a Ctrl-C meant for CMD does not reach
# them (setsid execs here: $! stays the daemon's PID).
mkdir -p "$dir/etcd"
setsid etcd --name corridor-test --data-dir "$dir/etcd/data" \
  --listen-client-urls "http://127.0.0.1:$etcd_client" \
  --advertise-client-urls "http://127.0.0.1:$etcd_client" \
  --listen-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-advertise-peer-urls "http://127.0.0.1:$etcd_peer" \
  --initial-cluster "corridor-test=http://127.0.0.1:$etcd_peer" \
  --initial-cluster-state new >"$dir/etcd/etcd.log" 2>&1 &
pids+=($!)

# Writes the Patroni configuration of member $1 (PostgreSQL port $2, REST port $3).
# Timing: loop_wait 1 s, and primary_start_timeout 0 so a crashed primary fails
# over at once instead of being restarted in place (strict synchronous mode makes
# that lossless). ttl 10 bounds how long a vanished Patroni keeps the leader key;
# Patroni wants ttl >= loop_wait + 2 * retry_timeout.
member_config() {
  local name=$1 port=$2 api=$3
  mkdir -p "$dir/$name"
  cat >"$dir/$name/patroni.yml" <<EOF
scope: corridor-test
namespace: /corridor/
name: $name
log:
  level: INFO
restapi:
  listen: 127.0.0.1:$api
  connect_address: 127.0.0.1:$api
etcd3:
  hosts: 127.0.0.1:$etcd_client
bootstrap:
  dcs:
    ttl: 10
    loop_wait: 1
    retry_timeout: 4
    primary_start_timeout: 0
    maximum_lag_on_failover: 1048576
    synchronous_mode: true
    synchronous_mode_strict: true
    postgresql:
      use_pg_rewind: true
      use_slots: true
      parameters:
        synchronous_commit: 'on'
        wal_log_hints: 'on'
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 256MB
  initdb:
    - encoding: UTF8
    - no-locale
postgresql:
  listen: 127.0.0.1:$port
  connect_address: 127.0.0.1:$port
  data_dir: $dir/$name/data
  bin_dir: $bin
  pgpass: $dir/$name/pgpass
  authentication:
    superuser:
      username: postgres
    replication:
      username: replicator
  parameters:
    unix_socket_directories: $dir/$name
    logging_collector: 'on'
    log_directory: $dir/$name/log
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication replicator 127.0.0.1/32 trust
EOF
}
member_config pg1 "$pg1" "$api1"
member_config pg2 "$pg2" "$api2"
chown -R "$owner": "$dir/pg1" "$dir/pg2"

# Both members start at once; the one that wins the initialize key runs initdb,
# the other clones it with pg_basebackup.
for member in pg1 pg2; do
  (cd "$dir/$member" && exec setsid "${run_as[@]}" env HOME="$dir/$member" patroni "$dir/$member/patroni.yml") \
    >"$dir/$member/patroni.log" 2>&1 &
  pids+=($!)
done

cat >"$dir/cluster.json" <<EOF
{"members": {
  "pg1": {"pg": $pg1, "api": $api1, "data": "$dir/pg1/data"},
  "pg2": {"pg": $pg2, "api": $api2, "data": "$dir/pg2/data"}}}
EOF

# What both tools below share: the members (from cluster.json) and the cluster as the
# first Patroni REST API that answers sees it (None when none answers).
cat >"$dir/patroni_cluster.py" <<'EOF'
import json, os, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
MEMBERS = json.load(open(os.path.join(HERE, 'cluster.json')))['members']

def cluster():
    for member in MEMBERS.values():
        try:
            url = 'http://127.0.0.1:%d/cluster' % member['api']
            with urllib.request.urlopen(url, timeout=2) as response:
                return json.load(response)
        except OSError:
            continue
    return None
EOF

cat >"$dir/kill-primary" <<'EOF'
#!/usr/bin/python3
"""SIGKILLs the postmaster of the current Patroni leader (found through the REST API)
and prints the member's name; exits 1 when there is no leader."""
import os, signal, sys

from patroni_cluster import MEMBERS, cluster

leaders = [m['name'] for m in (cluster() or {'members': []})['members'] if m['role'] == 'leader']
if not leaders:
    sys.exit('kill-primary: no leader')
name = leaders[0]
with open(os.path.join(MEMBERS[name]['data'], 'postmaster.pid')) as pidfile:
    pid = int(pidfile.readline())
os.kill(pid, signal.SIGKILL)
print('kill-primary: killed %s (postmaster %d)' % (name, pid), file=sys.stderr)
print(name)
EOF

cat >"$dir/wait-healthy" <<'EOF'
#!/usr/bin/python3
"""Waits until there is a running leader and a synchronous standby streaming from it, with
every member's postmaster alive. Usage: wait-healthy [TIMEOUT_SECONDS] (default 60);
exits 1 with the last reason on timeout."""
import os, sys, time
import psycopg2

from patroni_cluster import MEMBERS, cluster

def postmaster_alive(member):
    try:
        with open(os.path.join(member['data'], 'postmaster.pid')) as pidfile:
            os.kill(int(pidfile.readline()), 0)
        return True
    except (OSError, ValueError):
        return False

def streaming_sync_standbys(port):
    conn = psycopg2.connect(host='127.0.0.1', port=port, user='postgres', dbname='postgres',
                            connect_timeout=2)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT pg_is_in_recovery(), (SELECT count(*) FROM pg_stat_replication"
                        " WHERE state = 'streaming' AND sync_state = 'sync')")
            recovery, count = cur.fetchone()
    finally:
        conn.close()
    return 0 if recovery else count

def problem():
    """None when healthy, else why not."""
    state = cluster()
    if state is None:
        return 'no Patroni REST API answers'
    roles = {m['name']: (m['role'], m['state']) for m in state['members']}
    leaders = [n for n, (role, run) in roles.items() if role == 'leader' and run == 'running']
    syncs = [n for n, (role, run) in roles.items()
             if role == 'sync_standby' and run in ('running', 'streaming')]
    if len(leaders) != 1 or not syncs:
        return 'members %s' % roles
    down = [n for n, m in MEMBERS.items() if not postmaster_alive(m)]
    if down:
        return 'postmaster down on %s' % down
    try:
        if streaming_sync_standbys(MEMBERS[leaders[0]]['pg']) < 1:
            return 'no streaming synchronous standby on %s' % leaders[0]
    except psycopg2.Error as error:
        return 'leader %s: %s' % (leaders[0], str(error).strip())
    return None

timeout_s = float(sys.argv[1]) if len(sys.argv) > 1 else 60.0
start = time.monotonic()
while True:
    reason = problem()
    if reason is None:
        print('wait-healthy: healthy after %.1f s' % (time.monotonic() - start), file=sys.stderr)
        sys.exit(0)
    if time.monotonic() - start > timeout_s:
        sys.exit('wait-healthy: not healthy after %.0f s: %s' % (timeout_s, reason))
    time.sleep(0.2)
EOF
chmod 755 "$dir/kill-primary" "$dir/wait-healthy"

show_logs() {
  for log in "$dir/etcd/etcd.log" "$dir/pg1/patroni.log" "$dir/pg2/patroni.log"; do
    echo "--- $log" >&2
    tail -n 30 "$log" >&2 || true
  done
}
# initdb, the first checkpoint and pg_basebackup take a while on a slow machine.
"$dir/wait-healthy" 180 || { show_logs; exit 1; }

hosts="127.0.0.1:$pg1,127.0.0.1:$pg2"
params="target_session_attrs=read-write&connect_timeout=2"
"$bin/psql" -q -X "postgresql://postgres@$hosts/postgres?$params" -c 'CREATE DATABASE corridor'

export CORRIDOR_TEST_PATRONI_URL="postgresql://postgres@$hosts/corridor?$params"
export CORRIDOR_TEST_PATRONI_DIR=$dir
echo "with-patroni: $("$bin/postgres" --version), patroni $(patroni --version | cut -d' ' -f2)," \
  "etcd $(etcd --version | head -n 1 | cut -d' ' -f3) at $CORRIDOR_TEST_PATRONI_URL" >&2

# CMD runs in the background so that SIGTERM or SIGHUP stops the cluster at once rather
# than after CMD. It keeps this script's stdin and gets the default SIGINT back (a
# background command would ignore it), so Ctrl-C reaches it as in the foreground; this
# script then waits for CMD to end and exits with its status.
( trap - INT QUIT; exec "$@" ) <&0 &
cmd=$!
trap 'kill -TERM "$cmd" 2>/dev/null || true; exit 143' TERM
trap 'kill -HUP "$cmd" 2>/dev/null || true; exit 129' HUP
trap ':' INT
while kill -0 "$cmd" 2>/dev/null; do wait "$cmd" || true; done
wait "$cmd"

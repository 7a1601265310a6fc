#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the demo and the tests.
#   scripts/pg.sh start DIR   -> initdb into DIR (if empty), start on a free loopback port,
#                                print the connection URL (also written to DIR/url)
#   scripts/pg.sh stop DIR
# PostgreSQL refuses to run as root: when run as root, the cluster runs as the unprivileged
# 'postgres' system user (created by the Debian package). Authentication is 'trust' on
# 127.0.0.1 only; the superuser is 'lp'.
set -euo pipefail
cmd="${1:?usage: pg.sh start|stop DIR}"
dir="${2:?usage: pg.sh start|stop DIR}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
[ -x "$bin/pg_ctl" ] || { echo "pg.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

free_port() {
  local p
  for p in $(seq "${PG_PORT_FROM:-55432}" 65000); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return 0
    fi
  done
  return 1
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres:postgres "$dir"
      chmod 700 "$dir"
      # The postgres user must be able to reach DIR; fail with a clear message if not.
      runuser -u postgres -- test -w "$dir" || {
        echo "pg.sh: user postgres cannot write $dir (a parent directory is not searchable); use a directory under /tmp" >&2
        exit 1
      }
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U lp --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
      }
    fi
    port="$(free_port)"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start \
      -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$dir' -c fsync=${PG_FSYNC:-on} -c max_connections=200" >/dev/null || {
      tail -n 30 "$dir/postgres.log" >&2
      exit 1
    }
    url="postgresql://lp@127.0.0.1:$port/postgres"
    echo "$url" | as_owner tee "$dir/url" >/dev/null
    echo "$url"
    ;;
  stop)
    [ -f "$dir/data/postmaster.pid" ] || exit 0
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *)
    echo "usage: pg.sh start|stop DIR" >&2
    exit 2
    ;;
esac

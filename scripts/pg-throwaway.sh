#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks: initdb in a
# temporary folder, listening on 127.0.0.1 at a free port, trust auth,
# no fsync (its data is thrown away).
#
#   eval "$(scripts/pg-throwaway.sh start)"   # sets POLYWIRE_PG_DIR and
#                                             # POLYWIRE_TEST_PG_URL
#   scripts/pg-throwaway.sh stop "$POLYWIRE_PG_DIR"
#
# PostgreSQL refuses to run as root, so as root the cluster runs as the
# `postgres` user (created by Debian's package), else as `nobody`.
# Binaries: $PG_BIN, else the newest /usr/lib/postgresql/*/bin, else PATH.
set -euo pipefail

pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  local newest
  newest=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$newest" ]; then echo "$newest"; return; fi
  dirname "$(command -v initdb)"
}

# Runs a command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$OWNER" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start() {
  local bin dir port
  bin=$(pg_bin)
  if [ ! -x "$bin/initdb" ]; then
    echo "pg-throwaway: no initdb found (apt-get install -y postgresql)" >&2
    exit 1
  fi
  dir=$(mktemp -d "${TMPDIR:-/tmp}/polywire-pg.XXXXXX")
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then
    OWNER=postgres
    id "$OWNER" >/dev/null 2>&1 || OWNER=nobody
    chown "$OWNER" "$dir"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U polywire --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  # A free port can be taken between the check and the start: retry.
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start \
      -o "-h 127.0.0.1 -p $port -k $dir -F -c max_connections=200" >/dev/null 2>&1; then
      echo "$port" >"$dir/port"
      break
    fi
    port=
  done
  if [ -z "$port" ]; then
    cat "$dir/server.log" >&2 || true
    echo "pg-throwaway: the server did not start" >&2
    exit 1
  fi
  as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U polywire polywire
  echo "POLYWIRE_PG_DIR=$dir"
  echo "POLYWIRE_TEST_PG_URL=postgres://polywire@127.0.0.1:$port/polywire"
  echo "pg-throwaway: PostgreSQL at 127.0.0.1:$port, data in $dir" >&2
}

stop() {
  local dir=${1:?usage: pg-throwaway.sh stop DIR}
  [ -d "$dir/data" ] || { echo "pg-throwaway: no cluster in $dir" >&2; exit 1; }
  OWNER=$(stat -c %U "$dir")
  as_owner "$(pg_bin)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac

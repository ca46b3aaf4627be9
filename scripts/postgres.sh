#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the workspace tests: installs Debian's `postgresql` when it is missing, runs
# initdb into a temporary folder (as the `postgres` user when we are root: the server refuses to run as root), starts
# it on a free local port with its socket in that folder, and exports I2V_TEST_POSTGRES. Sourced by test.sh;
# i2v_stop_test_postgres stops it and removes the folder. Any failure leaves I2V_TEST_POSTGRES unset (the PostgreSQL
# tests then report as skipped) and says why.

i2v_postgres_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$bin" ] && [ -x "$bin/initdb" ] && echo "$bin"
}

i2v_start_test_postgres() {
  [ -n "${I2V_TEST_POSTGRES:-}" ] && return 0
  local bin
  bin=$(i2v_postgres_bin)
  if [ -z "$bin" ]; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo -n"
    echo "Installing postgresql with apt-get (for the workspace tests) ..."
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null || {
      echo "Could not install postgresql; the PostgreSQL workspace tests will be skipped." >&2
      return 0
    }
    bin=$(i2v_postgres_bin)
    [ -z "$bin" ] && { echo "postgresql installed but no initdb found; PostgreSQL tests skipped." >&2; return 0; }
  fi

  I2V_PG_DIR=$(mktemp -d /tmp/i2v-pg.XXXXXX)
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || { echo "No postgres user; PostgreSQL tests skipped." >&2; rm -rf "$I2V_PG_DIR"; return 0; }
    chown postgres "$I2V_PG_DIR"
    as=(runuser -u postgres --)
  fi
  local port=55432
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done

  if ! "${as[@]}" "$bin/initdb" -D "$I2V_PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >"$I2V_PG_DIR/initdb.log" 2>&1; then
    echo "initdb failed (see $I2V_PG_DIR/initdb.log); PostgreSQL tests skipped." >&2
    return 0
  fi
  if ! "${as[@]}" "$bin/pg_ctl" -D "$I2V_PG_DIR/data" -l "$I2V_PG_DIR/server.log" -w -t 60 \
      -o "-p $port -k $I2V_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >/dev/null; then
    echo "PostgreSQL did not start (see $I2V_PG_DIR/server.log); PostgreSQL tests skipped." >&2
    return 0
  fi
  I2V_PG_BIN=$bin
  export I2V_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true"
  echo "PostgreSQL for the tests: 127.0.0.1:$port (throwaway, in $I2V_PG_DIR)"
}

i2v_stop_test_postgres() {
  [ -z "${I2V_PG_DIR:-}" ] && return 0
  if [ -n "${I2V_PG_BIN:-}" ]; then
    if [ "$(id -u)" -eq 0 ]; then
      runuser -u postgres -- "$I2V_PG_BIN/pg_ctl" -D "$I2V_PG_DIR/data" -m fast -w stop >/dev/null 2>&1
    else
      "$I2V_PG_BIN/pg_ctl" -D "$I2V_PG_DIR/data" -m fast -w stop >/dev/null 2>&1
    fi
  fi
  rm -rf "$I2V_PG_DIR"
  unset I2V_PG_DIR I2V_PG_BIN
}

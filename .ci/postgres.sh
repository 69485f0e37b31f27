#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback, for the state tests that run against PostgreSQL.
#
#   source .ci/postgres.sh         starts it, exports STOCKYARD_TEST_POSTGRES_URL, and stops it
#                                  (and deletes it) when the sourcing shell exits: what .ci/run does
#   .ci/postgres.sh CMD [ARG...]   runs CMD with the cluster up, then stops it: for local runs, e.g.
#                                  .ci/postgres.sh swift test --filter 'StockyardStateTests|PostgresStateTests'
#
# Installs Debian's `postgresql` when no server binaries are found. The cluster lives in a temporary
# directory owned by the `postgres` user (the server refuses to run as root), listens on 127.0.0.1
# only, on STOCKYARD_TEST_POSTGRES_PORT (default 54329), with its socket in its own directory.
# It trades durability for speed (fsync off): it is deleted at exit anyway. The test role gets a
# random password per run, and CREATEDB, because the CLI tests make a database each. When openssl
# is there (Debian's postgresql pulls it in) the server also speaks TLS with a self-signed
# certificate, exported as STOCKYARD_TEST_POSTGRES_ROOTCERT.

stockyard_postgres_start() {
    local port="${STOCKYARD_TEST_POSTGRES_PORT:-54329}"
    local bindir
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
        echo "Installing: postgresql"
        export DEBIAN_FRONTEND=noninteractive
        # Only our throwaway cluster is wanted, not the package's default one on port 5432.
        if [ ! -e /etc/postgresql-common/createcluster.conf ]; then
            mkdir -p /etc/postgresql-common
            echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
        fi
        apt-get update -qq
        apt-get install -y -qq postgresql >/dev/null
        bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    fi

    # As root, run the server as `postgres`; as anyone else, as oneself.
    local -a as_owner=()
    if [ "$(id -u)" = 0 ]; then as_owner=(runuser -u postgres --); fi

    STOCKYARD_PG_DIR="$(mktemp -d /tmp/stockyard-pg.XXXXXX)"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$STOCKYARD_PG_DIR"
    chmod 700 "$STOCKYARD_PG_DIR"
    local data="$STOCKYARD_PG_DIR/data"
    "${as_owner[@]}" "$bindir/initdb" -D "$data" -U postgres -E UTF8 --locale=C \
        --auth-local=trust --auth-host=scram-sha-256 >"$STOCKYARD_PG_DIR/initdb.log" 2>&1 \
        || { cat "$STOCKYARD_PG_DIR/initdb.log" >&2; return 1; }
    # TLS too, with a throwaway self-signed certificate, so the sslmode=require and verify-full
    # paths are tested against a real handshake; the tests trust it through ROOTCERT.
    local ssl=""
    if command -v openssl >/dev/null 2>&1 && openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=127.0.0.1" \
        -addext "subjectAltName=IP:127.0.0.1" -keyout "$data/server.key" -out "$data/server.crt" >/dev/null 2>&1; then
        [ "$(id -u)" = 0 ] && chown postgres:postgres "$data/server.key" "$data/server.crt"
        chmod 600 "$data/server.key"
        cp "$data/server.crt" "$STOCKYARD_PG_DIR/root.crt"
        chmod 644 "$STOCKYARD_PG_DIR/root.crt"
        export STOCKYARD_TEST_POSTGRES_ROOTCERT="$STOCKYARD_PG_DIR/root.crt"
        ssl="-c ssl=on"
    fi
    "${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -l "$STOCKYARD_PG_DIR/server.log" -w -t 60 \
        -o "-p $port -k $STOCKYARD_PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off $ssl" \
        start >/dev/null || { cat "$STOCKYARD_PG_DIR/server.log" >&2; return 1; }
    STOCKYARD_PG_STOP=("${as_owner[@]}" "$bindir/pg_ctl" -D "$data" -m immediate stop)

    local password
    password="$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    "${as_owner[@]}" "$bindir/psql" -h "$STOCKYARD_PG_DIR" -p "$port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
        -c "CREATE ROLE stockyard LOGIN CREATEDB PASSWORD '$password'" \
        -c "CREATE DATABASE stockyard_test OWNER stockyard" >/dev/null || return 1
    export STOCKYARD_TEST_POSTGRES_URL="postgres://stockyard:$password@127.0.0.1:$port/stockyard_test"
    echo "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') for the tests: 127.0.0.1:$port, database stockyard_test (stopped at exit)"
}

stockyard_postgres_stop() {
    if [ -n "${STOCKYARD_PG_DIR:-}" ]; then
        "${STOCKYARD_PG_STOP[@]}" >/dev/null 2>&1 || true
        rm -rf "$STOCKYARD_PG_DIR"
        STOCKYARD_PG_DIR=""
    fi
}

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
    # Sourced: stop at the caller's exit, keeping whatever EXIT trap it already has.
    stockyard_postgres_start || return 1
    __stockyard_previous_trap="$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")"
    trap "stockyard_postgres_stop; ${__stockyard_previous_trap}" EXIT
else
    set -euo pipefail
    trap stockyard_postgres_stop EXIT
    stockyard_postgres_start
    if [ $# -gt 0 ]; then "$@"; fi
fi

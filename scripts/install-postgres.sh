#!/usr/bin/env bash
# Installs PostgreSQL from the Debian/Ubuntu packages, starts a cluster and creates the TechEmpower benchmark
# database the samples/Fortunes app and `interlude bench db` use: database hello_world, owned by user
# benchmarkdbuser (password benchmarkdbpass), with table world (10,000 rows: id 1..10000, randomNumber 1..10000)
# and table fortune (TechEmpower's 12 messages). Safe to run again: what exists is kept, the tables are refilled
# only when their row counts are wrong. Connection: Host=127.0.0.1;Port=5432 (PGPORT overrides the port).
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo -n" # never waits for a password: without one it fails, and the caller skips what needs it
fi

if ! command -v pg_lsclusters >/dev/null 2>&1; then
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y postgresql
fi

port="${PGPORT:-5432}"

# The newest installed server version, and its cluster "main" (created when the package did not create one).
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$version/main"; then
    $SUDO pg_createcluster "$version" main --port "$port"
fi
cluster_port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -q online; then
    $SUDO pg_ctlcluster "$version" main start
fi

psql_admin() {
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -p $cluster_port $*"
    else
        $SUDO -u postgres psql -v ON_ERROR_STOP=1 -qAt -p "$cluster_port" "$@"
    fi
}

# Wait for the server to accept connections (a fresh start takes a moment).
for _ in $(seq 1 30); do
    if psql_admin -c "'select 1'" >/dev/null 2>&1; then break; fi
    sleep 1
done

# bench db runs up to three servers at once, each with a pool of up to 64 connections (TechEmpower's own
# PostgreSQL allows 2,000); the default of 100 would refuse some of them.
if [ "$(psql_admin -c "'show max_connections'")" -lt 512 ]; then
    psql_admin -c "'alter system set max_connections = 512'"
    $SUDO pg_ctlcluster "$version" main restart
    for _ in $(seq 1 30); do
        if psql_admin -c "'select 1'" >/dev/null 2>&1; then break; fi
        sleep 1
    done
fi

if [ "$(psql_admin -c "\"select count(*) from pg_roles where rolname = 'benchmarkdbuser'\"")" != "1" ]; then
    psql_admin -c "\"create user benchmarkdbuser with password 'benchmarkdbpass'\""
fi
if [ "$(psql_admin -c "\"select count(*) from pg_database where datname = 'hello_world'\"")" != "1" ]; then
    psql_admin -c "\"create database hello_world owner benchmarkdbuser encoding 'UTF8' template template0\""
fi

sql=$(mktemp)
trap 'rm -f "$sql"' EXIT
chmod 644 "$sql"
cat >"$sql" <<'SQL'
SET client_min_messages = warning;
SET ROLE benchmarkdbuser;
CREATE TABLE IF NOT EXISTS world (
    id integer NOT NULL PRIMARY KEY,
    randomnumber integer NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS fortune (
    id integer NOT NULL PRIMARY KEY,
    message varchar(2048) NOT NULL
);
DO $$
BEGIN
    IF (SELECT count(*) FROM world) <> 10000 THEN
        DELETE FROM world;
        INSERT INTO world (id, randomnumber)
        SELECT x, least(floor(random() * 10000 + 1)::integer, 10000) FROM generate_series(1, 10000) AS x;
    END IF;
    IF (SELECT count(*) FROM fortune) <> 12 THEN
        DELETE FROM fortune;
        INSERT INTO fortune (id, message) VALUES
            (1, 'fortune: No such file or directory'),
            (2, 'A computer scientist is someone who fixes things that aren''t broken.'),
            (3, 'After enough decimal places, nobody gives a damn.'),
            (4, 'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1'),
            (5, 'A computer program does what you tell it to do, not what you want it to do.'),
            (6, 'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen'),
            (7, 'Any program that runs right is obsolete.'),
            (8, 'A list is only as strong as its weakest link. — Donald Knuth'),
            (9, 'Feature: A bug with seniority.'),
            (10, 'Computers make very fast, very accurate mistakes.'),
            (11, '<script>alert("This should not be displayed in a browser alert box.");</script>'),
            (12, 'フレームワークのベンチマーク');
    END IF;
END
$$;
SQL
psql_admin -d hello_world -f "$sql"

echo "PostgreSQL $version is running on port $cluster_port with database hello_world (user benchmarkdbuser):" \
    "world $(psql_admin -d hello_world -c "'select count(*) from world'") rows," \
    "fortune $(psql_admin -d hello_world -c "'select count(*) from fortune'") rows"

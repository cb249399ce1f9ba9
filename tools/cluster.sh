#!/usr/bin/env bash
# A whole local topology on loopback ports, for trying and testing several hosts (called by ./build.sh cluster, which provisions and builds):
#   cluster up --dir DIR [--roles ROLES1,ROLES2]   two PostgreSQL primaries (the first with a streaming replica), Redis, an S3 server and two
#                                                   sample hosts; prints one JSON object as its last line and returns, the topology running
#   cluster start-host --dir DIR --index N          starts host N (0 or 1) again, e.g. after it was killed; prints the same JSON
#   cluster start-redis --dir DIR                   starts Redis again (empty) on its port, after it was stopped; prints the same JSON
#   cluster down --dir DIR                          stops everything `up` started, by PID
# ROLES is one host's roles joined by '+': reads, uploads, jobs (default reads+uploads+jobs for both).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PG_BIN=/usr/lib/postgresql/15/bin
HOST_DLL="$ROOT/samples/ImageSocial.SampleHost/bin/Release/net10.0/ImageSocial.SampleHost.dll"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# A process that is running: a killed host can stay a zombie for a while (its parent, the shell that started it, is gone).
alive() { local state; state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1; [[ $state != Z* ]]; }
as_postgres() { if [[ $(id -u) -eq 0 ]]; then setpriv --reuid=postgres --regid=postgres --init-groups "$@"; else "$@"; fi; }

verb=${1:-}; shift || true
DIR="" INDEX="" ROLES="reads+uploads+jobs,reads+uploads+jobs"
while [[ $# -gt 0 ]]; do
    case $1 in
        --dir) DIR=$2; shift 2 ;;
        --index) INDEX=$2; shift 2 ;;
        --roles) ROLES=$2; shift 2 ;;
        *) die "unknown option $1" ;;
    esac
done
[[ -n $DIR ]] || die "--dir DIR is required"
mkdir -p "$DIR"; DIR=$(cd "$DIR" && pwd); chmod 755 "$DIR"
STATE="$DIR/cluster.state"

save() { declare -p PG1_PORT PG2_PORT PG1R_PORT REDIS_PORT S3_PORT HOST_PORTS HOST_PIDS HOST_ROLES S3_PID REDIS_PID > "$STATE"; }

start_postgres() { # start_postgres NAME PORT
    local data="$DIR/$1"
    as_postgres "$PG_BIN/pg_ctl" -D "$data" -l "$data/server.log" -o "-p $2 -k '' -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" -w -s start
}

start_redis() { # an empty Redis on the topology's port (it keeps nothing that is not elsewhere)
    say "starting Redis on 127.0.0.1:$REDIS_PORT"
    mkdir -p "$DIR/redis"; rm -f "$DIR/redis/redis.pid"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$DIR/redis" --save "" --appendonly no --daemonize yes \
        --pidfile "$DIR/redis/redis.pid" --logfile "$DIR/redis.log"
    for _ in $(seq 50); do [[ -s $DIR/redis/redis.pid ]] && break; sleep 0.1; done
    REDIS_PID=$(cat "$DIR/redis/redis.pid")
    save
}

pg_conn() { echo "Host=127.0.0.1;Port=$1;Username=postgres;Database=postgres;Timeout=5;Command Timeout=60"; }

start_host() { # start_host INDEX
    local i=$1 roles=${HOST_ROLES[$1]} jobs=false
    [[ $roles == *jobs* ]] && jobs=true
    mkdir -p "$DIR/host$i"
    say "starting sample host $i on http://127.0.0.1:${HOST_PORTS[$i]} (roles: $roles)"
    env ASPNETCORE_URLS="http://127.0.0.1:${HOST_PORTS[$i]}" IMAGESOCIAL_DATA="$DIR/host$i" \
        ImageSocial__IdNode=$((i + 1)) \
        ImageSocial__Providers__Metadata=postgres ImageSocial__Postgres__LogicalShardCount=64 \
        ImageSocial__Postgres__Servers__0__Name=pg1 ImageSocial__Postgres__Servers__0__ConnectionString="$(pg_conn "$PG1_PORT")" \
        ImageSocial__Postgres__Servers__0__ReplicaConnectionString="$(pg_conn "$PG1R_PORT")" \
        ImageSocial__Postgres__Servers__1__Name=pg2 ImageSocial__Postgres__Servers__1__ConnectionString="$(pg_conn "$PG2_PORT")" \
        ImageSocial__Providers__Blobs=s3 ImageSocial__S3__ServiceUrl="http://127.0.0.1:$S3_PORT" ImageSocial__S3__Bucket=imagesocial \
        ImageSocial__S3__AccessKey=S3RVER ImageSocial__S3__SecretKey=S3RVER ImageSocial__S3__ForcePathStyle=true \
        ImageSocial__Providers__Cache=redis ImageSocial__Providers__Jobs=redis ImageSocial__Redis__Configuration="127.0.0.1:$REDIS_PORT" \
        ImageSocial__Jobs__Enabled=$jobs Host__Roles="$roles" Auth__SigningKey="$(cat "$DIR/signing-key")" \
        nohup dotnet "$HOST_DLL" > "$DIR/host$i.log" 2>&1 < /dev/null &
    HOST_PIDS[$i]=$!
    save
    local deadline=$((SECONDS + 120))
    # Answering is enough: /health says 503 while a shared component (Redis, a server) is down, and the host still serves.
    until [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${HOST_PORTS[$i]}/health" 2>/dev/null) != 000 ]]; do
        alive "${HOST_PIDS[$i]}" || die "host $i exited; see $DIR/host$i.log"
        [[ $SECONDS -lt $deadline ]] || die "host $i did not answer /health within 120 s; see $DIR/host$i.log"
        sleep 0.5
    done
}

print_json() {
    printf '{"hosts": ["http://127.0.0.1:%s", "http://127.0.0.1:%s"], "hostPids": [%s, %s], "roles": ["%s", "%s"], ' \
        "${HOST_PORTS[0]}" "${HOST_PORTS[1]}" "${HOST_PIDS[0]}" "${HOST_PIDS[1]}" "${HOST_ROLES[0]}" "${HOST_ROLES[1]}"
    printf '"postgres": {"primaries": ["127.0.0.1:%s", "127.0.0.1:%s"], "replica": "127.0.0.1:%s"}, "redis": "127.0.0.1:%s", ' "$PG1_PORT" "$PG2_PORT" "$PG1R_PORT" "$REDIS_PORT"
    printf '"redisPid": %s, "s3": "http://127.0.0.1:%s", "s3Pid": %s, "bucket": "imagesocial", "dir": "%s"}\n' "$REDIS_PID" "$S3_PORT" "$S3_PID" "$DIR"
}

case $verb in
    up)
        [[ ! -f $STATE ]] || die "$DIR already holds a topology; run ./build.sh cluster down --dir $DIR first"
        [[ -f $HOST_DLL ]] || die "the sample host is not built at $HOST_DLL"
        PG1_PORT=$(free_port) PG2_PORT=$(free_port) PG1R_PORT=$(free_port) REDIS_PORT=$(free_port) S3_PORT=$(free_port)
        HOST_PORTS=("$(free_port)" "$(free_port)") HOST_PIDS=(0 0) HOST_ROLES=(${ROLES//,/ })
        [[ ${#HOST_ROLES[@]} -eq 2 ]] || die "--roles takes two hosts' roles, e.g. reads+uploads+jobs,reads"
        S3_PID=0 REDIS_PID=0
        save
        for pg in pg1 pg2; do
            say "creating PostgreSQL primary $pg"
            mkdir -p "$DIR/$pg"; [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$DIR/$pg"
            as_postgres "$PG_BIN/initdb" -D "$DIR/$pg" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 > /dev/null
        done
        start_postgres pg1 "$PG1_PORT"; start_postgres pg2 "$PG2_PORT"
        say "cloning pg1 into a streaming replica (pg_basebackup)"
        mkdir -p "$DIR/pg1r"; chmod 700 "$DIR/pg1r"; [[ $(id -u) -eq 0 ]] && chown postgres:postgres "$DIR/pg1r"
        as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PG1_PORT" -U postgres -D "$DIR/pg1r" -R -X stream --no-sync
        start_postgres pg1r "$PG1R_PORT"
        start_redis
        say "starting the S3 server (s3rver) on 127.0.0.1:$S3_PORT with bucket 'imagesocial'"
        mkdir -p "$DIR/s3"
        NODE_OPTIONS=--openssl-legacy-provider nohup node "${IMAGESOCIAL_S3RVER:-$HOME/.cache/imagesocial/s3rver/node_modules/s3rver/bin/s3rver.js}" --address 127.0.0.1 --port "$S3_PORT" --directory "$DIR/s3" \
            --configure-bucket imagesocial --silent > "$DIR/s3.log" 2>&1 < /dev/null &
        S3_PID=$!
        until curl -s -o /dev/null "http://127.0.0.1:$S3_PORT/"; do alive "$S3_PID" || die "s3rver exited; see $DIR/s3.log"; sleep 0.2; done
        python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())' > "$DIR/signing-key"
        save
        start_host 0
        start_host 1
        print_json
        ;;
    start-host)
        [[ -f $STATE ]] || die "no topology in $DIR"
        # shellcheck disable=SC1090
        source "$STATE"
        [[ $INDEX == 0 || $INDEX == 1 ]] || die "--index is 0 or 1"
        ! alive "${HOST_PIDS[$INDEX]}" || die "host $INDEX is running (PID ${HOST_PIDS[$INDEX]})"
        start_host "$INDEX"
        print_json
        ;;
    start-redis)
        [[ -f $STATE ]] || die "no topology in $DIR"
        # shellcheck disable=SC1090
        source "$STATE"
        ! alive "$REDIS_PID" || die "Redis is running (PID $REDIS_PID)"
        start_redis
        print_json
        ;;
    down)
        [[ -f $STATE ]] || die "no topology in $DIR"
        # shellcheck disable=SC1090
        source "$STATE"
        for pid in "${HOST_PIDS[@]}" "$S3_PID" "$REDIS_PID"; do
            [[ $pid -gt 0 ]] && kill "$pid" 2>/dev/null || true
        done
        for pid in "${HOST_PIDS[@]}" "$S3_PID" "$REDIS_PID"; do
            [[ $pid -gt 0 ]] || continue # never `kill 0`: that is the caller's whole process group
            for _ in $(seq 50); do alive "$pid" || break; sleep 0.2; done
            kill -9 "$pid" 2>/dev/null || true
        done
        for pg in pg1r pg1 pg2; do
            [[ -f $DIR/$pg/postmaster.pid ]] && as_postgres "$PG_BIN/pg_ctl" -D "$DIR/$pg" -m immediate -w -s stop || true
        done
        rm -f "$STATE"
        say "stopped everything started in $DIR"
        ;;
    *) die "usage: cluster up|start-host|start-redis|down --dir DIR [--index N] [--roles R1,R2]" ;;
esac

#!/usr/bin/env bash
# ./build.sh run | test | bench | admin | pack — each verb provisions what it needs, idempotently, and says what it does.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { printf '==> %s\n' "$*"; }

apt_ready=0
need_apt() { # need_apt CHECK_CMD PACKAGE...
    local check=$1; shift
    if eval "$check" >/dev/null 2>&1; then return 0; fi
    say "installing Debian packages: $*"
    local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
    if [[ $apt_ready -eq 0 ]]; then $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq; apt_ready=1; fi
    # Waits for another apt or dpkg run (an unattended upgrade) rather than failing on its lock.
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >/dev/null
}

provision() {
    command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
    need_apt "/usr/bin/python3 -c 'import onnx, numpy'" python3-onnx python3-numpy
    say "restoring NuGet packages"
    dotnet restore ImageSocial.Sdk.sln --nologo -v q
}

build() {
    say "building (Release)"
    dotnet build ImageSocial.Sdk.sln -c Release --no-restore --nologo -v q -clp:ErrorsOnly
}

# The PostgreSQL provider's tests start real servers from these binaries (two primaries and a pg_basebackup replica).
provision_postgres() {
    need_apt "test -x /usr/lib/postgresql/15/bin/postgres -a -x /usr/lib/postgresql/15/bin/pg_basebackup -a -x /usr/lib/postgresql/15/bin/initdb" postgresql-15
}

# The S3 provider's tests start a real S3-compatible server: the npm package s3rver, run by the machine's Node.js.
S3RVER_VERSION=3.7.1
S3RVER_DIR="$HOME/.cache/imagesocial/s3rver"
provision_s3rver() {
    command -v node >/dev/null && command -v npm >/dev/null || need_apt "command -v node && command -v npm" nodejs npm
    if [[ ! -f $S3RVER_DIR/node_modules/s3rver/package.json ]] || ! grep -q "\"version\": \"$S3RVER_VERSION\"" "$S3RVER_DIR/node_modules/s3rver/package.json"; then
        say "installing s3rver $S3RVER_VERSION (npm) into $S3RVER_DIR"
        mkdir -p "$S3RVER_DIR"
        (cd "$S3RVER_DIR" && npm install --no-audit --no-fund --silent "s3rver@$S3RVER_VERSION" >/dev/null)
    fi
    export IMAGESOCIAL_S3RVER="$S3RVER_DIR/node_modules/s3rver/bin/s3rver.js"
}

# The Redis provider's tests start Debian's redis-server (the package's own service is not used: it is stopped if apt started it).
provision_redis() {
    if ! command -v redis-server >/dev/null 2>&1; then
        need_apt "command -v redis-server" redis-server
        local sudo=""; [[ $(id -u) -ne 0 ]] && sudo="sudo"
        $sudo systemctl disable --now redis-server >/dev/null 2>&1 || true
    fi
}

# Real photographs for the tests and the quality benchmark, edited with libvips' command-line tool (see tools/real-photos.sh).
provision_real_photos() {
    need_apt "command -v vips && command -v vipsheader" libvips-tools
    export IMAGESOCIAL_REAL_PHOTOS; IMAGESOCIAL_REAL_PHOTOS=$(tools/real-photos.sh | tail -1)
}

# Videos: Debian's ffmpeg (ffprobe and ffmpeg, which the video provider runs), and real clips for the tests (see tools/real-clips.sh).
provision_ffmpeg() {
    need_apt "command -v ffmpeg && command -v ffprobe" ffmpeg
}

provision_real_clips() {
    provision_ffmpeg
    export IMAGESOCIAL_REAL_CLIPS; IMAGESOCIAL_REAL_CLIPS=$(tools/real-clips.sh | tail -1)
}

# The web front end's browser tests: Debian's Chromium and its WebDriver (driven by Selenium from NuGet; nothing is downloaded at run time).
provision_chromium() {
    need_apt "command -v chromium && command -v chromedriver" chromium chromium-driver
}

cmd_test() {
    provision
    provision_chromium
    provision_postgres
    provision_s3rver
    provision_redis
    provision_real_photos
    provision_real_clips
    build
    say "running the tests"
    local log rc=0
    log=$(mktemp)
    dotnet test ImageSocial.Sdk.sln -c Release --no-build --nologo 2>&1 | tee "$log" || rc=$?
    local passed failed
    passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
    failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
    rm -f "$log"
    # The vector servers' kits need a server this machine cannot run; say so rather than let a skip pass unnoticed.
    [[ -n ${IMAGESOCIAL_TEST_QDRANT:-} ]] || say "skipped: the Qdrant conformance kit and move test (IMAGESOCIAL_TEST_QDRANT is not set: no Qdrant server can run here)"
    [[ -n ${IMAGESOCIAL_TEST_MILVUS:-} ]] || say "skipped: the Milvus conformance kit and move test (IMAGESOCIAL_TEST_MILVUS is not set: no Milvus server can run here)"
    if [[ $rc -ne 0 && $failed -eq 0 ]]; then failed=1; fi
    echo "$passed passed, $failed failed"
    return $rc
}

cmd_run() {
    provision
    provision_ffmpeg
    if [[ -d samples/ImageSocial.SampleHost ]]; then
        say "starting the sample host on ${ASPNETCORE_URLS:-http://127.0.0.1:5080} (data: ${IMAGESOCIAL_DATA:-./data})"
        exec dotnet run --project samples/ImageSocial.SampleHost -c Release --no-launch-profile
    fi
    echo "The sample host (samples/ImageSocial.SampleHost) has not landed yet; './build.sh test' exercises the SDK end to end." >&2
    exit 2
}

cmd_bench() {
    provision
    build
    local suite=${1:-}; shift || true
    if [[ ! -d benchmarks/ImageSocial.Benchmarks ]]; then
        echo "No benchmarks have landed yet." >&2; exit 2
    fi
    [[ $suite == thumbs || $suite == embed || $suite == load ]] && need_apt "command -v vipsthumbnail" libvips-tools
    [[ $suite == metadata ]] && provision_postgres
    [[ $suite == s3 ]] && provision_s3rver
    [[ $suite == redis ]] && { provision_postgres; provision_redis; need_apt "command -v vips" libvips-tools; }
    [[ $suite == load ]] && provision_redis
    [[ $suite == feed ]] && { provision_postgres; provision_redis; }
    [[ $suite == sync ]] && { provision_postgres; need_apt "command -v vips" libvips-tools; }
    [[ $suite == quality || $suite == thumbs-peers ]] && provision_real_photos
    [[ $suite == video ]] && provision_real_clips
    if [[ ($suite == embed || $suite == thumbs-peers) && ! -d benchmarks/node/node_modules/sharp ]]; then
        say "installing onnxruntime-node and sharp for the benchmarks' peers (npm)"
        (cd benchmarks/node && npm ci --ignore-scripts --no-audit --no-fund --silent)
    fi
    if [[ $suite == ann-compare ]]; then
        need_apt "test -f /usr/include/hnswlib/hnswlib.h && /usr/bin/python3 -c 'import hnswlib, faiss, numpy'" \
            libhnswlib-dev python3-hnswlib python3-faiss python3-numpy g++
        exec benchmarks/ann-compare.sh "$@"
    fi
    exec dotnet run --project benchmarks/ImageSocial.Benchmarks -c Release --no-build -- "$suite" "$@"
}

# The administration tool: ./build.sh admin shards map|move ... and ./build.sh admin dead-letters list|retry ... (see README).
cmd_admin() {
    command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK (dotnet) is not on PATH" >&2; exit 1; }
    say "building the administration tool" >&2
    dotnet build tools/ImageSocial.Admin -c Release --nologo -v q "-clp:ErrorsOnly;NoSummary" >&2
    exec dotnet run --project tools/ImageSocial.Admin -c Release --no-build -- "$@"
}

# A local topology of several hosts (see tools/cluster.sh): two PostgreSQL primaries and a replica, Redis, s3rver, two sample hosts.
cmd_cluster() {
    if [[ ${1:-} == up || ${1:-} == start-host || ${1:-} == start-redis ]]; then
        provision >&2
        provision_postgres; provision_redis; provision_s3rver
        build >&2
    else
        provision_s3rver
    fi
    exec bash tools/cluster.sh "$@"
}

cmd_pack() {
    provision
    say "packing NuGet packages into artifacts/"
    dotnet pack ImageSocial.Sdk.sln -c Release --no-restore --nologo -v q -o "$ROOT/artifacts"
}

case "${1:-}" in
    run) shift; cmd_run "$@" ;;
    test) shift; cmd_test "$@" ;;
    bench) shift; cmd_bench "$@" ;;
    admin) shift; cmd_admin "$@" ;;
    shards) shift; cmd_admin shards "$@" ;;
    blobs) shift; cmd_admin blobs "$@" ;;
    vectors) shift; cmd_admin vectors "$@" ;;
    backup) shift; cmd_admin backup "$@" ;;
    restore) shift; cmd_admin restore "$@" ;;
    cluster) shift; cmd_cluster "$@" ;;
    pack) shift; cmd_pack "$@" ;;
    *) echo "usage: ./build.sh run | test | bench thumbs|ann|ann-compare|metadata|load|s3|redis|sync|feed|quality|video|blob-crypto|backup [options] | admin shards|dead-letters|blobs|vectors ... | blobs migrate ... | vectors rebuild --space ID ... | backup --to DIR ... | restore --from DIR ... (--help) | cluster up|start-host|down --dir DIR ... | pack" >&2; exit 2 ;;
esac

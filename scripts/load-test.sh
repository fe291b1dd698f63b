#!/usr/bin/env bash
# Load test of mgovsign serve on loopback: verified PUTs per second and their latency.
#
#   scripts/load-test.sh            # 1 document: COUNT1 PUTs; 10 documents: COUNT10 PUTs
#   COUNT1=3000 COUNT10=500 CONCURRENCY=8 SECONDS=120 scripts/load-test.sh
#
# Starts `mgovsign serve --dev` (release build; SQLite with synchronous=FULL, the dev PKI, the
# dev OCSP responder on loopback: revocation REQUIRED; checked OCSP answers cached per
# certificate while fresh, as `serve` does by default — MGOVSIGN_OCSP_CACHE_ENTRIES=0 asks the
# responder on every PUT; the server's INFO logs, one event per request, go to a file),
# then runs the driver crates/mgovsign-server/examples/load.rs, which mints the sessions
# through the service API, pre-signs their API №2 sets (GOST 34.10-2015 CMS_SIGN_ONLY,
# timestamped) outside the measurement and PUTs them from CONCURRENCY keep-alive connections.
# Every answer must be 200 success. Bounded: SECONDS per run, and the whole script by timeout.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT1=${COUNT1:-3000}
COUNT10=${COUNT10:-500}
CONCURRENCY=${CONCURRENCY:-8}
SECONDS_PER_RUN=${SECONDS:-120}
TARGET=${CARGO_TARGET_DIR:-target}

echo "== building (release)"
# Two commands: `--example load` would restrict a joint build to the example, leaving a
# stale (or no) `mgovsign` binary.
cargo build --release -q -p mgovsign-cli --bin mgovsign
cargo build --release -q -p mgovsign-server --example load

dir=$(mktemp -d)
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT

run() { # docs count
    # A fresh server per run, so one run's sessions do not weigh on the next.
    "$TARGET/release/mgovsign" serve --dev --listen 127.0.0.1:0 --dev-dir "$dir/dev-$1" \
        >"$dir/banner-$1" 2>"$dir/log-$1" &
    server_pid=$!
    for _ in $(seq 1 300); do
        grep -q "demo page:" "$dir/banner-$1" && break
        kill -0 "$server_pid" 2>/dev/null || { cat "$dir/log-$1"; exit 1; }
        sleep 0.1
    done
    base=$(sed -n 's|.*demo page: *\(http://[^/]*\)/.*|\1|p' "$dir/banner-$1")
    [ -n "$base" ] || { echo "server did not start"; cat "$dir/log-$1"; exit 1; }
    echo "== $1 document(s): $2 PUTs against $base (load before: $(cut -d' ' -f1-3 /proc/loadavg))"
    timeout $((SECONDS_PER_RUN + 600)) "$TARGET/release/examples/load" --base "$base" --key dev-key \
        --count "$2" --docs "$1" --concurrency "$CONCURRENCY" --seconds "$SECONDS_PER_RUN"
    echo "   load after: $(cut -d' ' -f1-3 /proc/loadavg)"
    kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
run 1 "$COUNT1"
run 10 "$COUNT10"

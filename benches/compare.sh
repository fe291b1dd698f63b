#!/usr/bin/env bash
# mgovsign against its peers (OpenSSL, the gost engine, libcrypto's CMS, libxml2, xmlsec1) on
# this machine: builds what it needs, runs every comparison RUNS times (both sides in the same
# run), and writes BENCHMARKS.md (machine, method, table of medians with spread, goals) and
# benches/ratios.svg (bar chart of the ratios).
#
#   benches/compare.sh                 # RUNS=5, default settings (about 20 minutes on 2 cores)
#   QUICK=1 RUNS=2 benches/compare.sh  # smoke run (a few minutes); BENCHMARKS.md says so
#
# Env:  RUNS (default 5); QUICK=1; CARGO_TARGET_DIR is honoured; OUT_DIR (default a temp dir,
#       kept) receives the per-run logs and results.txt; ONLY="crypto cms xml crl pki facade
#       load" runs a subset (the table marks the rest skipped); NO_REPORT=1 skips writing
#       BENCHMARKS.md / benches/ratios.svg.
# Rows whose tools are missing are skipped, and the table says why.
# The comparisons themselves live in scripts/bench-*-vs-*.sh (each prints its own human table
# and `RESULT name=… ours=… peer=… unit=…` lines) and scripts/load-test.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
RUNS="${RUNS:-5}"
QUICK="${QUICK:-0}"
ONLY="${ONLY:-crypto cms xml crl pki facade load}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
OUT_DIR="${OUT_DIR:-$(mktemp -d -t mgovsign-compare.XXXXXX)}"
mkdir -p "$OUT_DIR"
RESULTS="$OUT_DIR/results.txt"
SKIPPED="$OUT_DIR/skipped.txt"
MACHINE="$OUT_DIR/machine.txt"
: >"$RESULTS"
: >"$SKIPPED"
: >"$MACHINE"
T_START=$(date +%s)

if [ "$QUICK" = 1 ]; then
  CRIT=(--warm-up-time 0.5 --measurement-time 1 --sample-size 10)
  OSSL_SECS=1 CMS_ITERS=5 XML_MS=300 XML_REPEAT=30 C14N_FILES=5 CRL_RUNS=2
  LOAD_SECS=5 LOAD_COUNT1=150 LOAD_COUNT10=30
else
  CRIT=(--warm-up-time 1 --measurement-time 3)
  OSSL_SECS=3 CMS_ITERS=101 XML_MS=2000 XML_REPEAT=300 C14N_FILES=30 CRL_RUNS=5
  LOAD_SECS=20 LOAD_COUNT1=1500 LOAD_COUNT10=250
fi

say() { printf '\n### %s\n' "$*"; }
skip() { # id reason
  echo "$1 $2" >>"$SKIPPED"
  echo "SKIP $1: $2"
}
want() { [[ " $ONLY " == *" $1 "* ]]; }
have() { command -v "$1" >/dev/null 2>&1; }

# ---- tools ------------------------------------------------------------------------------
have python3 || { echo "python3 is required (medians, the report, the gost engine timing)" >&2; exit 1; }
have cargo || { echo "cargo is required" >&2; exit 1; }
HAVE_OPENSSL=0 HAVE_GOST=0 HAVE_GCC=0 HAVE_XMLLINT=0 HAVE_XMLSEC=0
have openssl && HAVE_OPENSSL=1
[ "$HAVE_OPENSSL" = 1 ] && openssl engine gost >/dev/null 2>&1 && HAVE_GOST=1
have gcc && echo '#include <openssl/cms.h>
#include <openssl/ts.h>
int main(void){return 0;}' | gcc -x c - -o "$OUT_DIR/cc-check" -lcrypto >/dev/null 2>&1 && HAVE_GCC=1
have xmllint && HAVE_XMLLINT=1
have xmlsec1 && HAVE_XMLSEC=1

# Row-id prefixes of each group (benches/report.py matches skipped rows by prefix).
declare -A ROWS_OF=([crypto]="rsa2048 gost512" [cms]="cms" [xml]="c14n xml_" [crl]="crl"
  [pki]="chain_warm" [facade]="facade" [load]="server")
for g in crypto cms xml crl pki facade load; do
  if ! want "$g"; then
    for r in ${ROWS_OF[$g]}; do skip "$r" "not in ONLY=\"$ONLY\""; done
  fi
done
if want crypto && [ "$HAVE_OPENSSL" = 0 ]; then skip rsa2048 "openssl not installed"; skip gost512 "openssl not installed"; fi
if want crypto && [ "$HAVE_OPENSSL" = 1 ] && [ "$HAVE_GOST" = 0 ]; then
  skip gost512 "gost engine not loadable (apt-get install libengine-gost-openssl): ours only"
fi
if want cms && { [ "$HAVE_OPENSSL" = 0 ] || [ "$HAVE_GCC" = 0 ]; }; then
  skip cms "needs openssl, gcc and the libcrypto headers (apt-get install build-essential libssl-dev)"
fi
if want xml && { [ "$HAVE_XMLLINT" = 0 ] || [ "$HAVE_XMLSEC" = 0 ]; }; then
  skip c14n "needs xmllint (libxml2-utils) and xmlsec1"; skip xml_ "needs xmllint (libxml2-utils) and xmlsec1"
fi
if want crl && [ "$HAVE_OPENSSL" = 0 ]; then skip crl "openssl not installed"; fi

# ---- machine ----------------------------------------------------------------------------
{
  echo "quick=$QUICK"
  echo "runs=$RUNS"
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then echo "dirty=1"; fi
  echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  echo "cores=$(nproc)"
  echo "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "kernel=$(uname -sr)"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "rustc=$(rustc --version)"
  echo "openssl=$(openssl version 2>/dev/null || echo absent)"
  echo "gost_engine=$([ "$HAVE_GOST" = 1 ] && openssl engine gost 2>/dev/null | head -1 || echo absent)"
  echo "libxml2=$(xmllint --version 2>&1 | head -1 || echo absent)"
  echo "xmlsec1=$(xmlsec1 --version 2>/dev/null || echo absent)"
  echo "gcc=$(gcc --version 2>/dev/null | head -1 || echo absent)"
  echo "settings=$([ "$QUICK" = 1 ] && echo "QUICK=1: " || echo "default: ")criterion ${CRIT[*]}; openssl speed ${OSSL_SECS}s; CMS ${CMS_ITERS} iterations/case; bench_xml ${XML_MS} ms/figure, xmlsec1 --repeat ${XML_REPEAT}; CRL best of ${CRL_RUNS}; load ${LOAD_SECS}s per run (≤ ${LOAD_COUNT1} / ${LOAD_COUNT10} PUTs), 8 connections"
} >>"$MACHINE"
cat "$MACHINE"

# ---- build ------------------------------------------------------------------------------
say "building (release) into $CARGO_TARGET_DIR"
cargo bench -p mgovsign-benches --no-run --quiet 2>&1 | grep -v '^ *Executable' || true
cargo build --release --quiet -p mgovsign-benches --example cms_compare
cargo build --release --quiet -p mgovsign-xmldsig --example bench_xml
cargo build --release --quiet -p mgovsign-testkit --example bigcrl
if want load; then
  cargo build --release --quiet -p mgovsign-cli -p mgovsign-server --example load \
    || skip server "the server or its load driver does not build (see the log)"
fi
CRL_FILE="$OUT_DIR/big.crl"

# Runs a comparison script, keeps its log, appends its RESULT lines tagged with the run.
collect() { # run group command...
  local run=$1 group=$2
  shift 2
  local log="$OUT_DIR/run$run-$group.log" t0=$SECONDS
  if "$@" >"$log" 2>&1; then
    grep '^RESULT ' "$log" | sed "s/^/run=$run /" >>"$RESULTS" || true
    echo "  $group: $((SECONDS - t0)) s, $(grep -c '^RESULT ' "$log" || true) results"
  else
    grep '^RESULT ' "$log" | sed "s/^/run=$run /" >>"$RESULTS" || true
    echo "  $group: FAILED after $((SECONDS - t0)) s (log: $log)"
    tail -5 "$log" | sed 's/^/    /'
  fi
}

# Criterion output -> RESULT lines (ops/s from the median time estimate), ours only.
criterion() { # run group bench name=criterion-id...
  local run=$1 group=$2 bench=$3
  shift 3
  local log="$OUT_DIR/run$run-$group.log" t0=$SECONDS filter
  filter="^($(printf '%s\n' "$@" | cut -d= -f2- | sed 's/[][()+.*?^$|]/\\&/g' | paste -sd'|'))\$"
  if cargo bench --quiet -p mgovsign-benches --bench "$bench" -- "${CRIT[@]}" "$filter" >"$log" 2>&1; then
    python3 - "$log" "$@" <<'PY' | sed "s/^/run=$run /" >>"$RESULTS"
import re, sys
text = open(sys.argv[1]).read()
units = {"ps": 1e-12, "ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
found = {}
for m in re.finditer(r"^(\S+)\s*\n?\s*time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", text, re.M):
    found[m.group(1)] = 1.0 / (float(m.group(2)) * units[m.group(3)])
for spec in sys.argv[2:]:
    name, cid = spec.split("=", 1)
    if cid in found:
        print(f"RESULT name={name} ours={found[cid]:.2f} peer=- unit=ops/s")
PY
    echo "  $group: $((SECONDS - t0)) s"
  else
    echo "  $group: FAILED after $((SECONDS - t0)) s (log: $log)"
    tail -5 "$log" | sed 's/^/    /'
  fi
}

# scripts/load-test.sh's human output -> RESULT lines (it has no machine-readable mode).
load_test() { # run
  local run=$1 log="$OUT_DIR/run$1-load.log" t0=$SECONDS
  env SECONDS="$LOAD_SECS" COUNT1="$LOAD_COUNT1" COUNT10="$LOAD_COUNT10" CONCURRENCY=8 \
    scripts/load-test.sh >"$log" 2>&1 || echo "  load: load-test.sh failed (log: $log)"
  awk -v run="$run" '
    /^docs=[0-9]+ puts_ok=/ {
      for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
      sub(/\/s$/, "", v["throughput"]); sub(/ms$/, "", v["p50"]); sub(/ms$/, "", v["p99"])
      name = (v["docs"] == 1) ? "server_1doc" : "server_" v["docs"] "docs"
      printf "run=%s RESULT name=%s ours=%s peer=- unit=PUT/s p50=%s p99=%s\n", run, name, v["throughput"], v["p50"], v["p99"]
    }' "$log" >>"$RESULTS"
  echo "  load: $((SECONDS - t0)) s"
}

# ---- runs -------------------------------------------------------------------------------
for run in $(seq "$RUNS"); do
  say "run $run/$RUNS (load: $(cut -d' ' -f1-3 /proc/loadavg))"
  if want crypto && [ "$HAVE_OPENSSL" = 1 ]; then
    collect "$run" crypto env BENCH_FILTER='^(gost2015_512|rsa2048)/' BENCH_ARGS="${CRIT[*]}" \
      scripts/bench-crypto-vs-openssl.sh "$OSSL_SECS"
  fi
  if want cms && [ "$HAVE_OPENSSL" = 1 ] && [ "$HAVE_GCC" = 1 ]; then
    collect "$run" cms env NO_BUILD=1 scripts/bench-cms-vs-openssl.sh "$CMS_ITERS"
  fi
  if want xml && [ "$HAVE_XMLLINT" = 1 ] && [ "$HAVE_XMLSEC" = 1 ]; then
    collect "$run" xml env NO_BUILD=1 BENCH_MS="$XML_MS" REPEAT="$XML_REPEAT" \
      C14N_FILES="$C14N_FILES" scripts/bench-xml-vs-libxml2.sh
  fi
  if want crl && [ "$HAVE_OPENSSL" = 1 ]; then
    collect "$run" crl env NO_BUILD=1 CRL_FILE="$CRL_FILE" scripts/bench-crl-vs-openssl.sh "$CRL_RUNS"
  fi
  if want pki; then
    criterion "$run" pki pki chain_warm_gost=validate_warm/gost2015/crl chain_warm_rsa=validate_warm/rsa/crl
  fi
  if want facade; then
    criterion "$run" facade facade facade_1doc=facade_verify_1doc_gost2015/warm/threads=1 \
      facade_10docs=facade_verify_mix10_gost2015/warm/threads=1
  fi
  if want load && ! grep -q '^server ' "$SKIPPED"; then
    load_test "$run"
  fi
done
rm -f "$CRL_FILE"

ELAPSED=$(($(date +%s) - T_START))
{
  echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "elapsed=$((ELAPSED / 60)) min $((ELAPSED % 60)) s"
} >>"$MACHINE"

if [ "${NO_REPORT:-0}" != 1 ]; then
  python3 "$ROOT/benches/report.py" "$RESULTS" "$MACHINE" "$SKIPPED" "$ROOT/BENCHMARKS.md" "$ROOT/benches/ratios.svg"
  say "wrote BENCHMARKS.md and benches/ratios.svg (logs and results: $OUT_DIR)"
  sed -n '/^| operation/,/^$/p' "$ROOT/BENCHMARKS.md"
fi
echo "total: $((ELAPSED / 60)) min $((ELAPSED % 60)) s"

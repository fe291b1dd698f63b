#!/usr/bin/env bash
# CMS sign and verify, ours beside OpenSSL's libcrypto in-process, same machine, same inputs:
# RSA-2048, attached and detached, 1 KiB and 1 MiB, with the chain and a timestamp.
#   * ours:    `benches/examples/cms_compare.rs` (release): `mgovsign_cms::sign_with_timestamp`
#              (in-process dev RSA TSA) and the full `mgovsign_cms::verify` with the timestamp
#              required (parse, signer checks, token, chain leaf -> CA -> root through a warm
#              Validator, revocation skipped); median of N iterations. It also writes the
#              fixtures: the dev PKI's RSA signer and chain, the content, and its CMS per case.
#   * openssl: `benches/c/cms_openssl.c`, built here with `cc -O2 -lcrypto`: CMS_sign + an
#              in-process TS_RESP_CTX timestamp (a throwaway RSA-2048 TSA made here with
#              `openssl req`), and d2i + CMS_verify (chain in an X509_STORE) +
#              TS_RESP_verify_token of OUR CMS for the case; median of N iterations.
# Prints both tables, the ratios, and one machine-readable line per figure:
#   RESULT name=cms_<sign|verify>_<attached|detached>_<1k|1m> ours=<ops/s> peer=<ops/s> unit=ops/s
#
# Usage: scripts/bench-cms-vs-openssl.sh [iterations (default 21)]
# Env:   CARGO_TARGET_DIR is honoured; PROFILE=dev uses the (faster to build) dev profile;
#        NO_BUILD=1 skips the cargo build (benches/compare.sh builds once).
# Needs: cc and the libcrypto headers (Debian: apt-get install build-essential libssl-dev).
set -euo pipefail

RUNS="${1:-21}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
PROFILE="${PROFILE:-release}"
echo "== machine: $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg), $(openssl version)"
echo "== building ours ($PROFILE) and the C harness"
if [ "$PROFILE" = release ]; then
  [ "${NO_BUILD:-0}" = 1 ] || (cd "$ROOT" && cargo build --release --quiet -p mgovsign-benches --example cms_compare)
  BIN="$TARGET/release/examples/cms_compare"
else
  [ "${NO_BUILD:-0}" = 1 ] || (cd "$ROOT" && cargo build --quiet -p mgovsign-benches --example cms_compare)
  BIN="$TARGET/debug/examples/cms_compare"
fi
cc -O2 -o "$WORK/cms_openssl" "$ROOT/benches/c/cms_openssl.c" -lcrypto
# The OpenSSL side's TSA (TS_RESP_CTX needs a key; the dev TSA's stays inside the testkit).
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/tsa.key" -out "$WORK/tsa.pem" \
  -days 3650 -subj "/CN=bench TSA/C=KZ" -addext "extendedKeyUsage=critical,timeStamping" \
  >/dev/null 2>&1

echo "== ours ($RUNS iterations each)"
"$BIN" "$WORK" "$RUNS" | tee "$WORK/ours.txt"
echo "== openssl ($RUNS iterations each)"
# 2026-12-01T12:00:00Z: the instant ours validates at (inside the dev PKI's validity).
BENCH_AT_UNIX=1796126400 "$WORK/cms_openssl" "$WORK" "$WORK/tsa.pem" "$WORK/tsa.key" "$RUNS" \
  | tee "$WORK/openssl.txt"

echo "== ratios (openssl time / our time; > 1 means ours is faster)"
awk '
  { split($5, s, "="); split($6, v, "="); key = $2 " " $3 " " $4 }
  FNR == NR { os[key] = s[2]; ov[key] = v[2]; next }
  (key in os) { printf "%-28s sign %5.2fx  verify %5.2fx\n", key, os[key] / s[2], ov[key] / v[2] }
' "$WORK/openssl.txt" "$WORK/ours.txt"
awk '
  { split($5, s, "="); split($6, v, "="); key = $3 "_" ($4 == 1024 ? "1k" : "1m") }
  FNR == NR { os[key] = s[2]; ov[key] = v[2]; next }
  (key in os) {
    printf "RESULT name=cms_sign_%s ours=%.2f peer=%.2f unit=ops/s\n", key, 1e6 / s[2], 1e6 / os[key]
    printf "RESULT name=cms_verify_%s ours=%.2f peer=%.2f unit=ops/s\n", key, 1e6 / v[2], 1e6 / ov[key]
  }
' "$WORK/openssl.txt" "$WORK/ours.txt"

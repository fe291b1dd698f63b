#!/usr/bin/env bash
# CMS sign and verify, ours beside OpenSSL's libcrypto in-process, same machine, same inputs:
#   * ours:    `crates/mgovsign-cms/examples/bench_cms.rs` (release): `mgovsign_cms::sign` and
#              the full `mgovsign_cms::verify` (parse, signer checks, chain through a warm
#              Validator, revocation skipped), RSA-2048 and GOST-2015-512, attached/detached,
#              1 KiB and 1 MiB; median of N runs.
#   * openssl: `benches/c/cms_openssl.c`, built here with `cc -O2 -lcrypto`: CMS_sign and
#              d2i + CMS_verify with the chain in an X509_STORE (RSA-2048 only; the gost
#              engine does not know the NCA GOST OIDs), same sizes, median of N runs.
# No timestamp on either side. Prints both tables and the verify ratios openssl/ours.
#
# Usage: scripts/bench-cms-vs-openssl.sh [runs (default 21)]
# Env:   CARGO_TARGET_DIR is honoured; PROFILE=dev uses the (faster to build) dev profile.
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
  (cd "$ROOT" && cargo build --release --quiet -p mgovsign-cms --example bench_cms)
  BIN="$TARGET/release/examples/bench_cms"
else
  (cd "$ROOT" && cargo build --quiet -p mgovsign-cms --example bench_cms)
  BIN="$TARGET/debug/examples/bench_cms"
fi
cc -O2 -o "$WORK/cms_openssl" "$ROOT/benches/c/cms_openssl.c" -lcrypto

echo "== ours ($RUNS runs each)"
"$BIN" "$WORK" "$RUNS" | tee "$WORK/ours.txt"
echo "== openssl ($RUNS runs each)"
# 2026-12-01T12:00:00Z: the instant ours validates at (inside the dev PKI's validity).
BENCH_AT_UNIX=1796126400 "$WORK/cms_openssl" "$WORK/rsa_signer.pem" "$WORK/rsa_signer.key" \
  "$WORK/rsa_ca.pem" "$RUNS" | tee "$WORK/openssl.txt"

echo "== ratios (openssl time / our time; > 1 means ours is faster)"
awk '
  { split($5, s, "="); split($6, v, "="); key = $2 " " $3 " " $4 }
  FNR == NR { os[key] = s[2]; ov[key] = v[2]; next }
  (key in os) { printf "%-28s sign %5.2fx  verify %5.2fx\n", key, os[key] / s[2], ov[key] / v[2] }
' "$WORK/openssl.txt" "$WORK/ours.txt"

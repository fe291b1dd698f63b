#!/usr/bin/env bash
# Compare mgovsign-xmldsig with libxml2 / xmlsec1 on this machine, on the same inputs:
#   * C14N 1.0 WithComments of a generated ~10 KB and ~1 MB document (parse + canonicalize):
#     ours in-process (examples/bench_xml.rs) vs `xmllint --c14n --repeat` (parse + C14N 100
#     times per file argument, output to /dev/null; for 10 KB the file is given 50 times so
#     process start-up is amortised over 5000 runs).
#   * RSA-2048 verify and sign of the 10 KB document (enveloped, Kalkan layout): ours
#     in-process vs `xmlsec1 --verify --repeat N` / `xmlsec1 --sign --repeat N` (one process,
#     N operations; xmlsec1 verify also checks the certificate chain, ours only the
#     signature — the certificate step is mgovsign-pki's and is measured in its own bench).
# Prints rates and the ratio ours/theirs (>1 = we are faster), and machine-readable lines
# (for benches/compare.sh):
#   RESULT name=<c14n_10k|c14n_1m> ours=<MB/s> peer=<MB/s> unit=MB/s
#   RESULT name=<xml_verify_10k|xml_sign_10k> ours=<ops/s> peer=<ops/s> unit=ops/s
#
# Usage: scripts/bench-xml-vs-libxml2.sh
# Env:   CARGO_TARGET_DIR is honoured; BENCH_MS (default 3000) = time per measurement of ours;
#        REPEAT (default 500) = xmlsec1 --repeat count; C14N_FILES (default 50) = how many
#        times the 10 KB file is given to one `xmllint --c14n --repeat` (x100 runs each);
#        NO_BUILD=1 runs the already built example (benches/compare.sh builds once).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
REPEAT="${REPEAT:-500}"

command -v xmllint >/dev/null || { echo "xmllint not found (libxml2-utils)" >&2; exit 1; }
command -v xmlsec1 >/dev/null || { echo "xmlsec1 not found (xmlsec1)" >&2; exit 1; }

echo "== machine: $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== $(xmllint --version 2>&1 | head -1); $(xmlsec1 --version)"

echo "== ours (cargo run --release --example bench_xml)"
if [ "${NO_BUILD:-0}" = 1 ]; then
  "${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/bench_xml" "$WORK"
else
  (cd "$ROOT" && cargo run -q --release -p mgovsign-xmldsig --example bench_xml -- "$WORK")
fi | tee "$WORK/ours.txt"
ours() { awk -v k="$1" '$1 == k {print $2}' "$WORK/ours.txt"; }

# Seconds of wall time for a command (stdout discarded).
secs() {
  local s e
  s=$(date +%s.%N)
  "$@" >/dev/null 2>"$WORK/err.txt" || { cat "$WORK/err.txt" >&2; return 1; }
  e=$(date +%s.%N)
  echo "$s $e" | awk '{printf "%.6f", $2 - $1}'
}

echo "== xmllint --c14n"
size10k=$(stat -c %s "$WORK/doc10k.xml")
size1m=$(stat -c %s "$WORK/doc1m.xml")
files10k=()
C14N_FILES="${C14N_FILES:-50}"
for _ in $(seq "$C14N_FILES"); do files10k+=("$WORK/doc10k.xml"); done
# Identical output first (the comparison is only meaningful if both do the same work).
for n in 10k 1m; do
  xmllint --c14n "$WORK/doc$n.xml" | cmp -s - "$WORK/doc$n.c14n" \
    || { echo "our C14N of doc$n.xml differs from xmllint's" >&2; exit 1; }
done
t10k=$(secs xmllint --c14n --repeat "${files10k[@]}")
t1m=$(secs xmllint --c14n --repeat "$WORK/doc1m.xml" "$WORK/doc1m.xml")
lib10k=$(awk -v t="$t10k" -v s="$size10k" -v n="$C14N_FILES" 'BEGIN {printf "%.1f", s * n * 100 / t / 1e6}')
lib1m=$(awk -v t="$t1m" -v s="$size1m" 'BEGIN {printf "%.1f", s * 200 / t / 1e6}')
echo "xmllint_c14n_10k_mb_per_s $lib10k MB/s ($((C14N_FILES * 100)) runs in ${t10k}s)"
echo "xmllint_c14n_1m_mb_per_s $lib1m MB/s (200 runs in ${t1m}s)"

echo "== xmlsec1 --repeat $REPEAT"
VERIFY=(xmlsec1 --verify --trusted-pem "$WORK/rsa_root.pem" --untrusted-pem "$WORK/rsa_ca.pem"
  --verification-gmt-time "2026-12-01 01:00:00" --repeat "$REPEAT" "$WORK/signed10k.xml")
"${VERIFY[@]}" >/dev/null 2>&1 || { echo "xmlsec1 does not verify our signature" >&2; exit 1; }
tv=$(secs "${VERIFY[@]}")
xv=$(awk -v t="$tv" -v n="$REPEAT" 'BEGIN {printf "%.1f", n / t}')
echo "xmlsec1_rsa_verify_10k_per_s $xv ops/s"
# Sign: a template = our signed document with the values emptied.
sed -e 's|<ds:DigestValue>[^<]*</ds:DigestValue>|<ds:DigestValue></ds:DigestValue>|' \
    "$WORK/signed10k.xml" | perl -0pe 's|<ds:SignatureValue>.*?</ds:SignatureValue>|<ds:SignatureValue></ds:SignatureValue>|s; s|<ds:X509Data>.*?</ds:X509Data>|<ds:X509Data/>|s' \
    > "$WORK/template10k.xml"
XS=""
if [ -f "$WORK/rsa_sign.key.pem" ]; then
  SIGN=(xmlsec1 --sign --privkey-pem "$WORK/rsa_sign.key.pem,$WORK/rsa_sign.pem" --repeat "$REPEAT"
    "$WORK/template10k.xml")
  ts=$(secs "${SIGN[@]}")
  XS=$(awk -v t="$ts" -v n="$REPEAT" 'BEGIN {printf "%.1f", n / t}')
  echo "xmlsec1_rsa_sign_10k_per_s $XS ops/s"
fi

echo "== ratios (ours / theirs)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "n/a"}'; }
echo "c14n 10 KB:  $(ours ours_c14n_10k_mb_per_s) / $lib10k MB/s = $(ratio "$(ours ours_c14n_10k_mb_per_s)" "$lib10k")x"
echo "c14n 1 MB:   $(ours ours_c14n_1m_mb_per_s) / $lib1m MB/s = $(ratio "$(ours ours_c14n_1m_mb_per_s)" "$lib1m")x"
echo "RSA verify:  $(ours ours_rsa_verify_10k_per_s) / $xv ops/s = $(ratio "$(ours ours_rsa_verify_10k_per_s)" "$xv")x (goal >= 2x)"
if [ -n "$XS" ]; then
  echo "RSA sign:    $(ours ours_rsa_sign_10k_per_s) / $XS ops/s = $(ratio "$(ours ours_rsa_sign_10k_per_s)" "$XS")x"
fi
echo "GOST-2015 (no third-party peer): sign $(ours ours_gost2015_sign_10k_per_s), verify $(ours ours_gost2015_verify_10k_per_s) ops/s"
echo "RESULT name=c14n_10k ours=$(ours ours_c14n_10k_mb_per_s) peer=$lib10k unit=MB/s"
echo "RESULT name=c14n_1m ours=$(ours ours_c14n_1m_mb_per_s) peer=$lib1m unit=MB/s"
echo "RESULT name=xml_verify_10k ours=$(ours ours_rsa_verify_10k_per_s) peer=$xv unit=ops/s"
echo "RESULT name=xml_sign_10k ours=$(ours ours_rsa_sign_10k_per_s) peer=${XS:--} unit=ops/s"

#!/usr/bin/env bash
# Compare mgovsign-crypto with OpenSSL on this machine:
#   * RSA-2048 sign/verify: `openssl speed rsa2048`
#   * GOST 34.10-2012 512-bit (tc26 paramSetA) sign/verify: the OpenSSL gost engine
#     (`libengine-gost-openssl`). `openssl speed` has no GOST signature test, so the engine is
#     timed in-process through libcrypto's EVP_PKEY_sign/EVP_PKEY_verify on a 64-byte digest
#     (python3 + ctypes), the same operation as our `sign_digest`/`verify_digest` benches.
#   * ours: `cargo bench -p mgovsign-benches --bench crypto` (criterion, short settings).
# Prints ops/s and the ratio ours/OpenSSL. Goal (issue): GOST-512 verify >= 4x, sign >= 1x.
# Also one machine-readable line per operation (for benches/compare.sh):
#   RESULT name=<rsa2048|gost512>_<sign|verify> ours=<ops/s> peer=<ops/s|-> unit=ops/s
#
# Usage: scripts/bench-crypto-vs-openssl.sh [seconds-per-openssl-test (default 3)]
# Env:   CARGO_TARGET_DIR is honoured; BENCH_ARGS overrides the criterion arguments;
#        BENCH_FILTER (a criterion filter regex) limits our benches, e.g.
#        '^(gost2015_512|rsa2048)/' (default: all of benches/benches/crypto.rs).
set -euo pipefail

SECS="${1:-3}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

command -v openssl >/dev/null || { echo "openssl not found" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 not found (needed to time the gost engine)" >&2; exit 1; }

echo "== machine: $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg), $(openssl version)"

echo "== openssl speed rsa2048 (${SECS}s)"
openssl speed -seconds "$SECS" rsa2048 2>/dev/null | tee "$WORK/rsa.txt" | tail -2
read -r OSSL_RSA_SIGN OSSL_RSA_VERIFY < <(awk '/^rsa 2048 bits/ {print $6, $7}' "$WORK/rsa.txt")

echo "== OpenSSL gost engine, gost2012_512 paramset A (${SECS}s each)"
OSSL_GOST_SIGN=""
OSSL_GOST_VERIFY=""
if openssl genpkey -engine gost -algorithm gost2012_512 -pkeyopt paramset:A \
    -out "$WORK/gost.pem" >/dev/null 2>&1; then
  cat > "$WORK/gost_speed.py" <<'PY'
import ctypes, sys, time
from ctypes import c_void_p, c_int, c_size_t, c_char_p, c_uint, byref, create_string_buffer, POINTER
lib = ctypes.CDLL("libcrypto.so.3")
for name, res, args in [
    ("ENGINE_by_id", c_void_p, [c_char_p]),
    ("ENGINE_init", c_int, [c_void_p]),
    ("ENGINE_set_default", c_int, [c_void_p, c_uint]),
    ("BIO_new_file", c_void_p, [c_char_p, c_char_p]),
    ("PEM_read_bio_PrivateKey", c_void_p, [c_void_p, c_void_p, c_void_p, c_void_p]),
    ("EVP_PKEY_CTX_new", c_void_p, [c_void_p, c_void_p]),
    ("EVP_PKEY_sign_init", c_int, [c_void_p]),
    ("EVP_PKEY_sign", c_int, [c_void_p, c_void_p, POINTER(c_size_t), c_char_p, c_size_t]),
    ("EVP_PKEY_verify_init", c_int, [c_void_p]),
    ("EVP_PKEY_verify", c_int, [c_void_p, c_void_p, c_size_t, c_char_p, c_size_t]),
]:
    f = getattr(lib, name); f.restype = res; f.argtypes = args
eng = lib.ENGINE_by_id(b"gost")
if not eng or lib.ENGINE_init(eng) != 1:
    sys.exit("gost engine not loadable")
lib.ENGINE_set_default(eng, 0xFFFF)
pkey = lib.PEM_read_bio_PrivateKey(lib.BIO_new_file(sys.argv[1].encode(), b"r"), None, None, None)
secs = float(sys.argv[2])
dgst = bytes(range(64))
ctx = lib.EVP_PKEY_CTX_new(pkey, eng)
assert lib.EVP_PKEY_sign_init(ctx) == 1
sig = create_string_buffer(128); siglen = c_size_t(128)
n = 0; t0 = time.perf_counter()
while time.perf_counter() - t0 < secs:
    siglen.value = 128
    assert lib.EVP_PKEY_sign(ctx, sig, byref(siglen), dgst, 64) == 1
    n += 1
sign = n / (time.perf_counter() - t0)
vctx = lib.EVP_PKEY_CTX_new(pkey, eng)
assert lib.EVP_PKEY_verify_init(vctx) == 1
n = 0; t0 = time.perf_counter()
while time.perf_counter() - t0 < secs:
    assert lib.EVP_PKEY_verify(vctx, sig, siglen.value, dgst, 64) == 1
    n += 1
verify = n / (time.perf_counter() - t0)
print(f"{sign:.1f} {verify:.1f}")
PY
  read -r OSSL_GOST_SIGN OSSL_GOST_VERIFY < <(python3 "$WORK/gost_speed.py" "$WORK/gost.pem" "$SECS")
  echo "engine: sign ${OSSL_GOST_SIGN}/s verify ${OSSL_GOST_VERIFY}/s"
else
  echo "gost engine not available (apt-get install libengine-gost-openssl): GOST ratios skipped"
fi

echo "== cargo bench -p mgovsign-benches --bench crypto"
# shellcheck disable=SC2086
(cd "$ROOT" && cargo bench -p mgovsign-benches --bench crypto -- \
  ${BENCH_ARGS:---warm-up-time 1 --measurement-time 3} ${BENCH_FILTER:+"$BENCH_FILTER"}) 2>&1 | tee "$WORK/ours.txt" \
  | grep -E 'time:|thrpt:|^[a-z0-9_]+/' || true

python3 - "$WORK/ours.txt" "$OSSL_RSA_SIGN" "$OSSL_RSA_VERIFY" "${OSSL_GOST_SIGN:-0}" "${OSSL_GOST_VERIFY:-0}" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
units = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
ours = {}
for m in re.finditer(r"^(\S+)\s*\n?\s*time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", text, re.M):
    ours[m.group(1)] = 1.0 / (float(m.group(2)) * units[m.group(3)])
rows = [
    ("GOST-512 sign", "gost2015_512/sign_digest", float(sys.argv[4]), 1.0, "gost512_sign"),
    ("GOST-512 verify", "gost2015_512/verify_digest", float(sys.argv[5]), 4.0, "gost512_verify"),
    ("RSA-2048 sign", "rsa2048/sign_digest", float(sys.argv[2]), None, "rsa2048_sign"),
    ("RSA-2048 verify", "rsa2048/verify_digest", float(sys.argv[3]), None, "rsa2048_verify"),
]
results = []
print()
print(f"{'operation':<18}{'ours ops/s':>14}{'openssl ops/s':>16}{'ratio':>9}  goal")
for label, key, theirs, goal, name in rows:
    mine = ours.get(key)
    if mine is None:
        print(f"{label:<18}{'n/a':>14}")
        continue
    peer = f"{theirs:.2f}" if theirs > 0 else "-"
    results.append(f"RESULT name={name} ours={mine:.2f} peer={peer} unit=ops/s")
    ratio = f"{mine / theirs:.2f}x" if theirs > 0 else "n/a"
    g = "" if goal is None else (f">= {goal:g}x " + ("OK" if theirs > 0 and mine / theirs >= goal else "MISSED"))
    print(f"{label:<18}{mine:>14.1f}{theirs:>16.1f}{ratio:>9}  {g}")
for key, val in sorted(ours.items()):
    if key.startswith("hash_1MiB/"):
        print(f"{key:<30} {val * 1.0:.1f} MiB/s")
print()
print("\n".join(results))
PY

#!/usr/bin/env bash
# Bulk console output from the hostile guest (16 MiB through the GHCB) (case=console, examples/hostile_console.c):
# every byte must reach stdout, in order. The expected bytes are computed here, independently
# of the guest: page k of 4 KiB is the block b[j] = (131 j + 7 (j >> 8)) mod 256 with k in 8
# lowercase hex digits over its first 8 bytes. Compared by SHA-256 and length.
#   hostile_console.sh PVH GUEST PORT(debugcon|com1) VIA(port|ghcb) KIB
# via=port: `rep outsb` without SEV (an exit per byte: ~14 us here, so a few hundred KiB);
# via=ghcb: emulated SEV-ES, GHCB version 1 string OUTs of 64 KiB (16 MiB in a few seconds).
set -uo pipefail
pvh=$1; guest=$2; port=$3; via=$4; kib=$5
mode=(--sev off)
[ "$via" = ghcb ] && mode=(--sev emulated --sev-init legacy)
[ -r /dev/kvm ] && [ -w /dev/kvm ] || { echo "SKIP: /dev/kvm is absent or not accessible"; exit 77; }
want=$(python3 - "$kib" <<'PY'
import hashlib, sys
kib = int(sys.argv[1])
block = bytearray((j * 131 + (j >> 8) * 7) & 0xff for j in range(4096))
h = hashlib.sha256()
for k in range(kib // 4):
    block[0:8] = b"%08x" % k
    h.update(block)
print(h.hexdigest(), kib // 4 * 4096)
PY
)
start=$(date +%s%N)
got=$(timeout -k 5 240 "$pvh" run "$guest" "${mode[@]}" --timeout 200 \
  --cmdline "case=console port=$port via=$via kib=$kib" \
  2>/tmp/hostile_console.$$.err | python3 -c '
import hashlib, sys
h = hashlib.sha256(); n = 0
while True:
    b = sys.stdin.buffer.read(1 << 20)
    if not b:
        break
    h.update(b); n += len(b)
print(h.hexdigest(), n)')
st=${PIPESTATUS[0]}
secs=$((($(date +%s%N) - start) / 1000000))
err=$(tail -2 /tmp/hostile_console.$$.err); rm -f /tmp/hostile_console.$$.err
echo "$port via $via: $kib KiB in ${secs} ms, status $st"
[ "$st" = 0 ] || { echo "FAIL: status $st: $err"; exit 1; }
[ "$got" = "$want" ] || { echo "FAIL: stdout (sha256, bytes) $got, expected $want"; exit 1; }
echo ok

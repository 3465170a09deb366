#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes the seed corpora in tests/fuzz/corpus/<target>/: small valid inputs that reach deep
paths at once (a PVH kernel, a GHCB request, a doorbell start). Run it again after changing a
target's input format; the fuzzers grow their own corpora from these."""
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))


def out(target, name, data):
    d = os.path.join(HERE, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def note(name, typ, desc):
    n = name + b"\0"
    pad = lambda b: b + b"\0" * (-len(b) % 4)
    return struct.pack("<III", len(n), len(desc), typ) + pad(n) + pad(desc)


def elf64(loads, note_in_section=False, entry=0x100000):
    """loads: [(paddr, filebytes, memsz)]; the Xen entry note in a PT_NOTE or a section."""
    xen = note(b"Xen", 18, struct.pack("<Q", entry))
    nph = len(loads) + (0 if note_in_section else 1)
    off = 64 + 56 * nph
    body, phdrs = b"", b""
    for paddr, data, memsz in loads:
        phdrs += struct.pack("<IIQQQQQQ", 1, 5, off + len(body), paddr, paddr, len(data), memsz, 4)
        body += data
    noff = off + len(body)
    body += xen
    shoff, shnum = 0, 0
    if note_in_section:
        shoff, shnum = off + len(body), 2
        body += b"\0" * 64 + struct.pack("<IIQQQQIIQQ", 0, 7, 0, 0, noff, len(xen), 0, 0, 4, 0)
    else:
        phdrs += struct.pack("<IIQQQQQQ", 4, 4, noff, 0, 0, len(xen), len(xen), 4)
    eh = b"\x7fELF\x02\x01\x01" + b"\0" * 9
    eh += struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, entry, 64, shoff, 0, 64, 56, nph, 64, shnum, 0)
    return eh + phdrs + body


def elf32(paddr, data, memsz, entry):
    xen = note(b"Xen", 18, struct.pack("<I", entry))
    off = 52 + 32 * 2
    ph = struct.pack("<IIIIIIII", 1, off, paddr, paddr, len(data), memsz, 5, 4)
    ph += struct.pack("<IIIIIIII", 4, off + len(data), 0, 0, len(xen), len(xen), 4, 4)
    eh = b"\x7fELF\x01\x01\x01" + b"\0" * 9
    eh += struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, entry, 52, 0, 0, 52, 32, 2, 40, 0, 0)
    return eh + ph + data + xen


def loader():
    code = b"\xf4" * 16  # hlt
    out("fuzz_loader", "elf64-note-segment", elf64([(0x100000, code, 0x2000)]))
    out("fuzz_loader", "elf64-note-section", elf64([(0x100000, code, 0x1000)], True))
    out("fuzz_loader", "elf64-shared-page",
        elf64([(0x100000, code, 0x800), (0x100900, b"\xda" * 8, 0x100)]))
    out("fuzz_loader", "elf64-three-loads",
        elf64([(0x100000, code, 0x1000), (0x200000, b"\1" * 8, 0x3000), (0x400000, b"", 0x1000)]))
    out("fuzz_loader", "elf32", elf32(0x100000, code, 0x1000, 0x100000))


def cli():
    tik = "000102030405060708090a0b0c0d0e0f"
    for name, args in {
        "run": ["run", "k.elf", "--mem", "512M", "--smp", "4", "--timeout", "5", "-v"],
        "run-sev": ["run", "k.elf", "--sev", "emulated", "--cbit", "47", "--strict",
                    "--module", "m", "--initrd", "i", "--cmdline", "console=ttyS0"],
        "measure": ["measure", "k.elf", "--smp", "1-4", "--tik", tik, "--mnonce", tik,
                    "--api", "1.55", "--build", "21", "--json", "--policy", "0x5"],
        "measure-expect": ["measure", "k.elf", "--expect-ld", "0x" + "ab" * 32,
                           "--output-format", "base64", "--explain"],
        "cluster": ["-vv", "run", "k.elf", "--", "-x"],
    }.items():
        out("fuzz_cli", name, "\0".join(args).encode())


def ghcb_page_write(fields, gpa):
    """write_ram steps (op 0) putting {offset: u64} into the GHCB page at gpa."""
    page = bytearray(0x400)
    for off, val in fields.items():
        page[off:off + 8] = struct.pack("<Q", val)
    for off in fields:
        bit = off // 8
        page[0x3f0 + bit // 8] |= 1 << (bit % 8)
    steps = b"\x00" + struct.pack("<IH", gpa, len(page)) + bytes(page)
    steps += b"\x00" + struct.pack("<IH", gpa + 0xffa, 6) + struct.pack("<HI", 2, 0)
    return steps


def ghcb():
    head = bytes([0, 50]) + b"\0" * 16  # one vCPU, GHCB v2, C-bit 51; CR4 and APIC_BASE 0
    msr = lambda v: b"\x01" + struct.pack("<Q", v) + b"\x02"  # set the MSR, VMGEXIT
    out("fuzz_ghcb", "msr-sev-info", head + msr(0x002))
    out("fuzz_ghcb", "msr-cpuid", head + msr(0x004 | (1 << 32)) + msr(0x004 | (3 << 30) | (0xd << 32)))
    out("fuzz_ghcb", "msr-hold", head + msr(0x006) + b"\x0c")
    out("fuzz_ghcb", "msr-term", head + msr(0x100 | (1 << 12) | (2 << 16)))
    gpa = 0x10000
    # sw_exit_code, sw_exit_info_1 and sw_exit_info_2 must be valid in every request (KVM's rule)
    nae = lambda f: (head + ghcb_page_write({0x398: 0, 0x3a0: 0, **f}, gpa) + b"\x11"
                     + struct.pack("<H", gpa >> 12) + b"\x02")
    out("fuzz_ghcb", "nae-ioio-out", nae({0x390: 0x7b, 0x398: (0x3f8 << 16) | (1 << 4), 0x3a0: 0,
                                           0x1f8: 0x41}))
    out("fuzz_ghcb", "nae-ioio-string", nae({0x390: 0x7b, 0x398: (0x3f8 << 16) | (1 << 4) | (1 << 2),
                                              0x3a0: 16, 0x3a8: gpa + 0x800}))
    out("fuzz_ghcb", "nae-cpuid", nae({0x390: 0x72, 0x1f8: 0xd, 0x308: 1, 0x3e8: 7}))
    out("fuzz_ghcb", "nae-msr", nae({0x390: 0x7c, 0x398: 1, 0x308: 0x1b, 0x1f8: 0xfee00800, 0x310: 0}))
    out("fuzz_ghcb", "nae-mmio-read", nae({0x390: 0x80000001, 0x398: 0xfed00000, 0x3a0: 8,
                                            0x3a8: gpa + 0x800}))
    out("fuzz_ghcb", "nae-jump-table", nae({0x390: 0x80000005, 0x398: 0, 0x3a0: 0x9000}))
    out("fuzz_ghcb", "nae-ap-hlt", nae({0x390: 0x80000004}) + b"\x0c")


def ap():
    start = lambda who, target: bytes([0, who]) + b"\x00" + struct.pack("<I", target)
    base = bytes([3, 4]) + struct.pack("<I", 0x100000)  # 4 vCPUs, off mode
    out("fuzz_ap", "start-all", base + bytes([1, 0, 2]) + struct.pack("<I", 1)
        + bytes([1, 0, 2]) + struct.pack("<I", 2) + bytes([1, 0, 2]) + struct.pack("<I", 3)
        + bytes([0, 0, 2]))
    emul = bytes([3 | 8, 4]) + struct.pack("<I", 0x100000)
    out("fuzz_ap", "emulated-park-wake", emul + bytes([1, 0, 2]) + struct.pack("<I", 1)
        + bytes([3, 1, 2, 1]) + bytes([1, 0, 2]) + struct.pack("<I", 1) + bytes([5, 1]))


def serial():
    s = bytearray([0])
    for reg, val in [(3, 0x80), (0, 1), (1, 0), (3, 3), (4, 0x10), (4, 0), (7, 0x5a)]:
        s += bytes([0x40 | reg]) + struct.pack("<I", val)
    for c in b"hello\n":
        s += bytes([0x40]) + struct.pack("<I", c)
    for reg in range(8):
        s += bytes([reg]) + struct.pack("<I", 0)
    s += bytes([0x80 | 0x40]) + struct.pack("<HI", 0xe9, 0x41)  # debugcon
    s += bytes([0x80]) + struct.pack("<HI", 0x64, 0)  # i8042 status
    out("fuzz_serial", "uart", bytes(s))
    out("fuzz_serial", "exit", bytes([1, 0x80 | 0x40 | 0x10]) + struct.pack("<HI", 0xf4, 3))


def ioapic():
    reg = lambda r, v, write=True: bytes([6 | (0x40 if write else 0), r]) + struct.pack("<I", v)
    # pin 4 (COM1): destination 1, vector 0x24, edge; the UART's receive interrupt on, OUT2 on
    s = reg(0x19, 1 << 24) + reg(0x18, 0x24) + reg(0x18, 0, False)
    s += bytes([5 | (1 << 5) | 0x10, 0x01]) + bytes([5 | (4 << 5) | 0x10, 0x08])
    s += bytes([5 | (2 << 5) | 0x10, 0x07]) + bytes([5 | (2 << 5), 0])
    out("fuzz_ioapic", "com1-edge", s)
    # pin 9 level, vector 0x41: raise, EOI while high (fires again), lower, EOI
    s = reg(0x22, 0x41 | (1 << 15)) + bytes([3 | 0x40, 9, 4, 0x41, 3, 9, 4, 0x41])
    s += reg(0x22, 0, False) + reg(0x01, 0, False)
    out("fuzz_ioapic", "level-eoi", s)
    # raw accesses: an 8-byte read of IOWIN, a write at an offset with no register
    s = bytes([0x08, 7]) + b"\0" * 8 + bytes([0x80 | 0x40, 0x20, 0, 3]) + b"\1" * 8
    s += bytes([0x80, 0x00, 0x10, 3]) + b"\0" * 8
    out("fuzz_ioapic", "raw", s)


if __name__ == "__main__":
    loader()
    cli()
    ghcb()
    ap()
    serial()
    ioapic()

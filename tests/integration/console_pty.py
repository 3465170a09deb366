#!/usr/bin/env python3
"""The real binary on a terminal, under its seccomp sandbox: raw mode for the run, Ctrl-A x ends
it with 118, SIGTERM kills it as before, and the terminal is back in canonical mode after either
(tcsetattr from the main thread, the console thread's Ctrl-A x, and a signal handler on any
thread all pass the filters). Usage: console_pty.py PVH_SEV HANG_GUEST [--sandbox on|off]."""
import os
import pty
import signal
import sys
import termios
import time


def canonical(fd):
    return bool(termios.tcgetattr(fd)[3] & termios.ICANON)


def start(argv):
    pid, master = pty.fork()
    if pid == 0:
        try:
            os.execv(argv[0], argv)
        finally:
            os._exit(127)
    return pid, master


def wait_raw(master, pid):
    for _ in range(2000):
        if not canonical(master):
            return True
        if os.waitpid(pid, os.WNOHANG)[0]:
            return False
        time.sleep(0.005)
    return False


def drain(master):
    out = b""
    try:
        while True:
            chunk = os.read(master, 4096)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass  # EIO: the child side closed
    return out


def case(argv, action, want):
    pid, master = start(argv)
    problems = []
    if not wait_raw(master, pid):
        problems.append("the terminal never went raw")
    action(pid, master)
    _, st = os.waitpid(pid, 0)
    got = os.waitstatus_to_exitcode(st)
    out = drain(master)
    if got != want:
        problems.append(f"ended with {got}, wanted {want}")
    try:
        if not canonical(master):
            problems.append("the terminal was left raw")
    except termios.error:
        pass  # the pty is gone with its last user: nothing was left raw on it
    os.close(master)
    return problems, out


def main():
    pvh, guest = sys.argv[1], sys.argv[2]
    extra = sys.argv[3:]
    if not os.access("/dev/kvm", os.R_OK | os.W_OK):
        print("SKIP: no /dev/kvm")
        return 77
    try:
        os.close(os.open("/dev/ptmx", os.O_RDWR | os.O_NOCTTY))
    except OSError as e:
        print(f"SKIP: no pseudo-terminals here (/dev/ptmx: {e.strerror})")
        return 77
    argv = [pvh, "run", guest, "--cmdline", "end=hang", "--timeout", "20", "--smp", "2"] + extra
    failed = False
    cases = [
        ("Ctrl-A x", lambda pid, m: os.write(m, b"\x01x"), 118),
        ("SIGTERM", lambda pid, m: os.kill(pid, signal.SIGTERM), -signal.SIGTERM),
    ]
    for name, action, want in cases:
        problems, out = case(argv, action, want)
        if problems:
            failed = True
            print(f"FAIL: {name}: {'; '.join(problems)}")
            print(out.decode(errors="replace")[-2000:])
    if not failed:
        print("ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

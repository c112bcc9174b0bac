#!/usr/bin/env python3
"""Times commands side by side: RUNS rounds after one warm-up round, the
commands alternating within each round so machine noise hits all alike.

Usage: python3 bench/timing.py RUNS LABEL=COMMAND [LABEL=COMMAND ...]

COMMAND is run with `sh -c`, output discarded, after a `sync` and a
one-second pause (both untimed, before every command alike). Prints one line per label:
median wall seconds, min, max, and the median peak memory (MiB) of the
largest process it waited for (the kernel's rusage). With --json FILE, also
writes {label: {"wall": median, "peak_mib": median}}.
"""
import json
import os
import statistics
import subprocess
import sys
import time


def run(cmd):
    # Every command starts on a settled machine: the previous command's
    # writes flushed (Hugo writes ~120 MB at 10,000 posts, and its writeback
    # would be charged to the next command) and a second's pause after it.
    os.sync()
    time.sleep(1)
    t = time.monotonic()
    p = subprocess.Popen(["sh", "-c", cmd], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.monotonic() - t
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit("command failed: " + cmd)
    return wall, ru.ru_maxrss / 1024


def main():
    args = sys.argv[1:]
    out = None
    if args and args[0] == "--json":
        out, args = args[1], args[2:]
    runs = int(args[0])
    cmds = [a.split("=", 1) for a in args[1:]]
    walls = {k: [] for k, _ in cmds}
    peaks = {k: [] for k, _ in cmds}
    for r in range(runs + 1):
        for label, cmd in cmds:
            w, m = run(cmd)
            if r:
                walls[label].append(w)
                peaks[label].append(m)
    result = {}
    for label, _ in cmds:
        w = walls[label]
        result[label] = {"wall": statistics.median(w), "peak_mib": statistics.median(peaks[label])}
        print("  %-34s median %7.3f s  (min %.3f, max %.3f)  peak %6.1f MiB"
              % (label, statistics.median(w), min(w), max(w), result[label]["peak_mib"]))
    if out:
        with open(out, "w") as f:
            json.dump(result, f)


if __name__ == "__main__":
    main()

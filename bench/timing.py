#!/usr/bin/env python3
"""Times commands side by side: RUNS rounds after one warm-up round, the
commands alternating within each round so machine noise hits all alike.

Usage: python3 bench/timing.py [--json FILE] [--pause SECONDS] [--before LABEL=COMMAND]...
                               RUNS LABEL=COMMAND ...

COMMAND is run with `sh -c`, output discarded, after a `sync` (untimed,
before every command alike, so one tool's writeback is not charged to the
next). With --pause, each command also starts after that many idle seconds,
as a cron job does; without it they run back to back, as the peers' timing
script (../shared/bench/timecmd.py) runs them. Prints one line per label:
median wall seconds, min, max, and the median peak memory (MiB) of the
largest process it waited for (the kernel's rusage). With --json FILE, also
writes {label: {"wall": median, "peak_mib": median}}. --before LABEL=COMMAND
runs COMMAND, untimed and before the sync, ahead of every run of LABEL: it
puts the state that run starts from in place (a post to add, a warm cache).
"""
import json
import os
import statistics
import subprocess
import sys
import time


def run(cmd, pause, before=None):
    if before:
        done = subprocess.run(["sh", "-c", before],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if done.returncode not in (0, 1):
            sys.exit("setup failed: " + before)
    # The previous command's writes are flushed first: Hugo writes ~120 MB
    # at 10,000 posts, and its writeback would be charged to the next command.
    os.sync()
    time.sleep(pause)
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
    pause = 0.0
    before = {}
    while args and args[0] in ("--json", "--pause", "--before"):
        if args[0] == "--json":
            out = args[1]
        elif args[0] == "--before":
            label, cmd = args[1].split("=", 1)
            before[label] = cmd
        else:
            pause = float(args[1])
        args = args[2:]
    runs = int(args[0])
    cmds = [a.split("=", 1) for a in args[1:]]
    walls = {k: [] for k, _ in cmds}
    peaks = {k: [] for k, _ in cmds}
    for r in range(runs + 1):
        for label, cmd in cmds:
            w, m = run(cmd, pause, before.get(label))
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

#!/usr/bin/python3
"""Runs commands alternately N times each; prints median/min/max wall time and peak RSS per command.

Usage: measure.py RUNS NAME=COMMAND [NAME=COMMAND ...]   (COMMAND is split on spaces; no shell)

Peak RSS is ru_maxrss from wait4(): the largest resident set of the process or of any descendant it waited
for (the official agent runs apt, lsblk, df, ... as children; their peaks count too).
Each command runs once before the measured runs so that both start with warm caches.
"""
import os
import statistics
import sys
import time


def run_once(argv):
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    start = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, dict(os.environ), file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f'{argv[0]} failed with status {status}')
    return wall, usage.ru_maxrss  # seconds, KiB


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    runs = int(sys.argv[1])
    commands = [arg.split('=', 1) for arg in sys.argv[2:]]
    results = {name: [] for name, _ in commands}
    for name, cmd in commands:
        run_once(cmd.split(' '))
    for _ in range(runs):
        for name, cmd in commands:  # interleaved: machine noise hits both alike
            results[name].append(run_once(cmd.split(' ')))
    print(f'{"":12} {"runs":>5} {"median s":>10} {"min s":>8} {"max s":>8} {"median peak RSS MiB":>20}')
    medians = {}
    for name, values in results.items():
        walls = [w for w, _ in values]
        rss = [r / 1024 for _, r in values]
        medians[name] = (statistics.median(walls), statistics.median(rss))
        print(f'{name:12} {len(values):5d} {medians[name][0]:10.4f} {min(walls):8.4f} {max(walls):8.4f} '
              f'{medians[name][1]:20.1f}')
    if len(commands) == 2:
        (a, (wa, ra)), (b, (wb, rb)) = medians.items()
        print(f'\n{b} / {a}: {wb / wa:.1f}x the wall time, {rb / ra:.1f}x the peak RSS')
        print(f'{a} uses {100 * ra / rb:.0f}% of the memory of {b}')


if __name__ == '__main__':
    main()

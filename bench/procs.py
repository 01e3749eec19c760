"""The process table as Linux's /proc shows it, for the benchmarks that time or watch a
process and everything it started."""

from __future__ import annotations

import os


def stat_fields() -> dict[int, list[str]]:
    """pid -> the fields of /proc/PID/stat after the command name (so index 1 is the
    parent, 11 and 12 user and system ticks, 13 and 14 those of ended children), for every
    process still there when read."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                out[int(entry)] = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
    return out


def descendants(root: int, parents: dict[int, int]) -> set[int]:
    """`root` and every process below it, by the parent of each (pid -> parent)."""
    tree, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return tree

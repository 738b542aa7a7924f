"""Shared helpers of the benchmarks: run a command and sample the memory of its whole
process tree (the command and its worker processes) from /proc."""
from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path


def _tree(pid: int) -> dict[int, int]:
    """pid -> resident kB of a process and each of its descendants (Linux /proc)."""
    found, stack = {}, [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    found[p] = int(line.split()[1])
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return found


def _name(pid: int) -> str:
    """What a process of a build is: the kg command, a Dask or multiprocessing worker."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    text = " ".join(c.decode(errors="replace") for c in cmd if c)
    for mark in ("kg.cli", "dask", "multiprocessing", "spawn_main", "forkserver"):
        if mark in text:
            return mark
    return Path(text.split(" ")[0]).name if text else "?"


def _sampled(cmd: list[str], **kwargs) -> tuple[dict, dict[int, int], dict[int, str], int, int]:
    """Run ``cmd`` while sampling its process tree every 0.1 s: (wall seconds, status and
    output; the peak kB of each process; their names; the peak of their sum; the pid)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    peaks: dict[int, int] = {}
    names: dict[int, str] = {}
    total = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            tree = _tree(proc.pid)
            total[0] = max(total[0], sum(tree.values()))
            for pid, kb in tree.items():
                if pid not in names:
                    names[pid] = _name(pid)
                peaks[pid] = max(peaks.get(pid, 0), kb)
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    result = {"seconds": time.perf_counter() - started, "status": proc.returncode, "stdout": out, "stderr": err}
    return result, peaks, names, total[0], proc.pid


def run_measured(cmd: list[str], **kwargs) -> dict:
    """Run ``cmd``; return wall seconds, exit code, output and peak memory: the peak of
    the summed RSS of its process tree (sampled every 0.1 s) and the largest single
    process (getrusage)."""
    result, _, _, total, _ = _sampled(cmd, **kwargs)
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kB on Linux
    return {**result, "peak_tree_mb": total / 1024, "peak_process_mb": largest / 1024}


def run_processes(cmd: list[str], **kwargs) -> dict:
    """Run ``cmd``; wall seconds, exit status, output, the peak RSS of each process of its
    tree (the main one first) and the peak of their sum."""
    result, peaks, names, total, pid = _sampled(cmd, **kwargs)
    main = peaks.pop(pid, 0)
    others = sorted(((names.get(p, "?"), kb / 1024) for p, kb in peaks.items() if kb > 50 * 1024),
                    key=lambda x: -x[1])
    return {**result, "peak_main_mb": main / 1024, "peak_others_mb": others, "peak_all_mb": total / 1024}


def machine() -> str:
    return (f"{os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}")


def kg_build(paths: list[str], out: str, jobs: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "kg.cli", "build", *paths, "-o", out, "--jobs", str(jobs), *extra]

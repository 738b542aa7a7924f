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


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, in kB (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
            for task in Path(f"/proc/{p}/task").iterdir():
                children = (task / "children").read_text().split()
                stack.extend(int(c) for c in children)
        except (OSError, ValueError):
            continue
    return total


def run_measured(cmd: list[str], **kwargs) -> dict:
    """Run ``cmd``; return wall seconds, exit code, output and peak memory: the peak of
    the summed RSS of its process tree (sampled every 0.1 s) and the largest single
    process (getrusage)."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kwargs)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # kB on Linux
    return {"seconds": seconds, "status": proc.returncode, "stdout": out, "stderr": err,
            "peak_tree_mb": peak[0] / 1024, "peak_process_mb": largest / 1024}


def machine() -> str:
    return (f"{os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}")


def kg_build(paths: list[str], out: str, jobs: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "kg.cli", "build", *paths, "-o", out, "--jobs", str(jobs), *extra]

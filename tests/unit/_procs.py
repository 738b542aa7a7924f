"""Processes seen through /proc, for the tests that check a stopped build leaves no
worker behind, and for bench/stop_trials.py (Linux only; zombies count as gone)."""
from __future__ import annotations

import time
from pathlib import Path


def _live() -> list[tuple[int, list[str]]]:
    """(pid, the fields of /proc/PID/stat after the command name) of every live,
    non-zombie process: fields[1] is the parent, fields[3] the session."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if fields[0] != "Z":
            found.append((int(entry.name), fields))
    return found


def children(pid: int) -> list[int]:
    """The live processes whose parent is ``pid``."""
    return [p for p, fields in _live() if int(fields[1]) == pid]


def alive(pid: int) -> bool:
    """Whether ``pid`` is a live (non-zombie) process."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


def in_session(sid: int) -> list[int]:
    """The live processes of session ``sid``: a command started in a session of its own
    (``start_new_session=True``) and everything it started, whoever their parent is
    now (a worker whose build was killed is re-parented but keeps the session)."""
    return [p for p, fields in _live() if int(fields[3]) == sid]


def wait_for_workers(proc, n: int = 2, timeout: float = 60) -> list[int]:
    """The child processes of a running ``subprocess.Popen`` once it has ``n`` of them
    (or whatever it has after ``timeout`` seconds); fails if it ends before."""
    deadline = time.monotonic() + timeout
    workers: list[int] = []
    while time.monotonic() < deadline and len(workers) < n:
        time.sleep(0.5)
        workers = children(proc.pid)
        assert proc.poll() is None, proc.communicate()
    return workers


def outliving(pids: list[int], timeout: float = 10) -> list[int]:
    """Those of ``pids`` still alive after waiting up to ``timeout`` seconds for them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.2)
    return [p for p in pids if alive(p)]

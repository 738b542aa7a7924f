"""What keeps a build safe from other builds and from signals.

- :func:`build_lock`: one build at a time writes a store or an output folder. The lock
  is a ``flock`` on a file beside the store (``.<name>.lock``) or inside the output
  folder (``.kg-build.lock``), through **filelock**; the kernel releases it when its
  process ends, ``kill -9`` included, so a killed build never leaves a stale lock. A
  second build waits for the first and says so; it then starts from what the first
  committed, so neither loses the other's documents.
- :class:`Terminated`: SIGTERM is handled as Ctrl-C is (the build cleans up), but ends
  with status 143 rather than 130.
- :func:`deferred_signals`: Ctrl-C and SIGTERM wait until the few renames that commit
  a build are done, so a build is either not written or written whole.
"""
from __future__ import annotations

import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: unwinds like Ctrl-C, so every clean-up for Ctrl-C runs."""


def _raise_terminated(signum, frame) -> None:
    raise Terminated()


@contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    """Inside the block SIGTERM raises :class:`Terminated` (main thread only)."""
    try:
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def deferred_signals() -> Iterator[list[int]]:
    """Hold back Ctrl-C and SIGTERM inside the block; they act when it ends. Yields the
    list of signals that arrived (filled as they arrive).

    The handlers are swapped for one that only notes the signal, rather than the
    signals being blocked: ``pthread_sigmask`` blocks them in the calling thread only,
    and a build has other threads (RocksDB's, in the store), so the kernel handed a
    SIGTERM to one of those and the handler still interrupted the commit half done,
    after which the build said "nothing written" over new exports and a new store
    (found by bench/stop_trials.py). A Python handler always runs in the main thread,
    whichever thread the signal came to."""
    arrived: list[int] = []
    previous: dict[int, object] = {}

    def note(signum, frame) -> None:
        arrived.append(signum)

    try:
        for which in (signal.SIGINT, signal.SIGTERM):
            previous[which] = signal.signal(which, note)
    except ValueError:  # not the main thread: nothing to hold back
        for which, handler in previous.items():
            signal.signal(which, handler)
        yield arrived
        return
    try:
        yield arrived
    finally:
        for which, handler in previous.items():
            signal.signal(which, signal.SIG_DFL if handler is None else handler)  # None: set outside Python
        for which in dict.fromkeys(arrived):
            signal.raise_signal(which)  # now handled as it would have been: acts here


def lock_path(target: Path, kind: str) -> Path:
    target = Path(target).absolute()
    if kind == "store":
        return target.with_name(f".{target.name}.lock")
    return target / ".kg-build.lock"


@contextmanager
def build_lock(target: Path, kind: str, *, wait: bool = True) -> Iterator[None]:
    """Hold the lock of a store (``kind="store"``) or an output folder (``"output"``)
    for the block. If another build holds it, print one line and wait for it (or, with
    ``wait=False``, raise :class:`~kg.errors.KGError`)."""
    from .errors import KGError

    path = lock_path(target, kind)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if not wait:
            raise KGError(f"another kg build is writing the {kind} {target}; try again when it has finished") from None
        print(f"waiting: another kg build is writing the {kind} {target} (lock {path})", file=sys.stderr, flush=True)
        lock.acquire()
    try:
        yield
    finally:
        lock.release()


def pid_alive(pid: int) -> bool:
    """Whether a process with this id runs (ours counts as not: our own leftovers are
    from an earlier, finished attempt)."""
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


__all__ = ["Terminated", "build_lock", "deferred_signals", "lock_path", "pid_alive", "sigterm_as_interrupt"]

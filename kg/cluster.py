"""Extraction as Dask tasks: ``kg build --cluster ADDRESS``.

Why: one machine's cores bound a build; a Dask cluster a user already runs (started by
hand with ``dask scheduler`` / ``dask worker``, or by dask-kubernetes, dask-jobqueue)
lends its workers instead, and ``--cluster local`` starts a ``LocalCluster`` on this
machine. Only extraction moves: the merge stays in the process that called
:func:`run_on_cluster`, which gets the per-document results back in input order.

What a task is (``extract_batch``): a few consecutive files that the worker reads
itself, by URL or by absolute path, so that documents need not pass through this
machine, and documents this process read: the lines of a ``.jsonl`` corpus, since one
task per corpus file would put the whole corpus on one worker. As in the local process
pool, at most ``IN_FLIGHT_PER_JOB`` tasks per worker thread are in flight, and a file
that fails on a worker (a reader or extraction error, a worker that died on it) is a
skipped file with a one-line reason, never a stopped build.

Each worker thread builds the spaCy pipeline once, on its first task, with the settings
the build was started with (``--no-ner``, ``--ner-model``…, passed with each task since
a worker on another machine does not share this process's environment), and keeps it
for the next tasks. Start workers with one thread each (``dask worker --nthreads 1``):
extraction holds the GIL, so threads of one worker would only share a core.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Union

from .errors import ConfigError, KGError
from .formats import ReadOptions
from .types import DocResult, RawDoc

log = logging.getLogger(__name__)

#: What to install for ``--cluster`` (the ``cluster`` extra of pyproject.toml).
INSTALL = "pip install 'kg-gov[cluster]'"

#: The environment variables that shape extraction (set by the global options in
#: ``kg.cli.main``); their values travel with each task.
SETTINGS = ("KG_NER", "KG_NER_MODEL", "KG_LEARNED", "KG_LEARNED_MODEL", "KG_EXPLAIN")


@dataclass(frozen=True)
class FileTask:
    """A file for a worker to read and extract: ``location`` is what the worker opens
    (a URL or an absolute path), ``shown`` how the build names it (as the user gave it)."""

    location: str
    shown: str
    size: int = 0  # bytes, when known: what batches are measured in


Item = Union[FileTask, RawDoc, tuple[str, str]]
Outcome = tuple[Union[DocResult, None], str, str]

#: One task's share of the corpus: files and documents go to a worker together up to
#: this many bytes (about 40,000 characters, a second or two of extraction) or items.
BATCH_BYTES = 128 * 1024
BATCH_ITEMS = 64


# ------------------------------------------------------------------ the build's side

@contextmanager
def connect(address: str, workers: int | None = None) -> Iterator["object"]:
    """A ``distributed.Client`` of the scheduler at ``address``, or of a ``LocalCluster``
    of ``workers`` processes (one thread each) started here for ``address == "local"``
    and closed, with its processes, when the block ends (Ctrl-C and SIGTERM included).

    ConfigError for an address that is not one; KGError when Dask is not installed or
    the scheduler cannot be reached (``distributed.comm.timeouts.connect``, 30 s by
    default, e.g. ``DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT=5s``), or when the
    workers cannot run kg.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise KGError(f"--cluster needs Dask, which is not installed: {INSTALL}") from None
    # Dask's own INFO lines (scheduler started, worker registered…) are not the build's
    # news; its warnings (a worker near its memory limit, restarted) are. The client's
    # tracebacks while it tries to reconnect are not: a lost scheduler is our one line.
    loggers = {name: logging.getLogger(name) for name in ("distributed", "distributed.client")}
    levels = {name: logger.level for name, logger in loggers.items()}
    loggers["distributed"].setLevel(logging.WARNING)
    loggers["distributed.client"].setLevel(logging.CRITICAL)
    try:
        with _connected(address, workers, Client, LocalCluster) as client:
            yield client
    finally:
        for name, logger in loggers.items():
            logger.setLevel(levels[name])


@contextmanager
def _connected(address: str, workers: int | None, Client, LocalCluster) -> Iterator["object"]:
    """The client of :func:`connect`, and the LocalCluster it started, closed at the end."""
    cluster = None
    if address == "local":
        from .pipeline import default_jobs

        # the scheduler's HTTP server (health checks, the dashboard when bokeh is there)
        # on a free local port: two builds at once do not compete for 8787
        cluster = LocalCluster(n_workers=workers or default_jobs(), threads_per_worker=1, processes=True,
                               host="127.0.0.1", dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR,
                               preload=["kg.cluster"])
        try:
            client = Client(cluster)
        except BaseException:
            cluster.close()
            raise
    else:
        try:
            client = Client(address)
        except ValueError as err:  # 'host' without a port, an unknown scheme
            raise ConfigError(f"--cluster {address}: not a scheduler address ({err}); give tcp://HOST:PORT, "
                              "or local") from None
        except OSError as err:
            raise KGError(f"--cluster {address}: cannot reach the Dask scheduler ({err})") from None
    try:
        _check_workers(client, address)
        log.info("extracting on the Dask cluster at %s (%d worker threads; dashboard %s)",
                 client.scheduler.address, sum(client.nthreads().values()), client.dashboard_link)
        yield client
    finally:
        _close(client, cluster)


def _check_workers(client, address: str) -> None:
    """KGError unless the scheduler and every worker can import kg: the scheduler
    unpickles each task (its arguments are kg's types), the workers run it; without kg
    every task would fail and every file be skipped with the same reason."""
    for who, run in (("scheduler", client.run_on_scheduler), ("workers", client.run)):
        try:
            run(_worker_ready)
        except Exception as err:  # noqa: BLE001 - their own ImportError, a failed deserialisation
            first = (str(err).strip().splitlines() or [type(err).__name__])[0][:200]
            raise KGError(f"--cluster {address}: the {who} cannot run kg ({type(err).__name__}: {first}); "
                          "install kg-gov, of the same version, where the scheduler and every worker run") from None
    if not client.nthreads():
        log.warning("the Dask scheduler at %s has no workers yet: the documents wait for one", address)


def _close(client, cluster) -> None:
    """Close the client and the LocalCluster we started (its workers end with it); quiet
    about tasks that were still running."""
    logging.getLogger("distributed").setLevel(logging.CRITICAL)  # 'worker closed while running…'
    for closing in (client, cluster):
        try:
            if closing is not None:
                closing.close(timeout=10)
        except Exception:  # noqa: BLE001 - already gone
            pass


def current_settings() -> dict[str, str]:
    """This process's extraction settings (``SETTINGS``) that are set."""
    return {name: os.environ[name] for name in SETTINGS if name in os.environ}


def cluster_items(paths: Iterable[str | os.PathLike], options: ReadOptions) -> Iterator[Item]:
    """What to hand the workers for ``paths``: a ``FileTask`` per file, except the lines of
    ``.jsonl`` corpora, read here one document at a time; (where, why) for an input
    that names no file."""
    from .pipeline import iter_sources, read_items
    from .url_inputs import is_url

    for source in iter_sources(paths):
        if isinstance(source, tuple):
            yield source
        elif str(source).lower().endswith(".jsonl"):
            yield from read_items(source, options)
        elif is_url(source):
            yield FileTask(location=str(source), shown=str(source))
        else:
            yield FileTask(location=str(Path(source).absolute()), shown=str(source), size=_size(Path(source)))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def run_on_cluster(items: Iterable[Item], client, options: ReadOptions, into) -> Iterator[Outcome]:
    """The outcome of every item, in input order, extracted on the client's workers.

    Consecutive files and documents go to a worker together, up to ``BATCH_BYTES`` (a
    task of Dask costs the scheduler about as much as a short document's extraction);
    at most ``IN_FLIGHT_PER_JOB`` tasks per worker thread are in flight. ``into`` counts
    the characters read (``BuildResult``).
    """
    from .pipeline import IN_FLIGHT_PER_JOB

    settings = current_settings()
    threads = _Threads(client)
    window: deque[tuple[object, list]] = deque()
    batch: list[Union[FileTask, RawDoc]] = []
    weight = 0
    finished = False

    def submit() -> None:
        nonlocal batch, weight
        if batch:
            window.append((client.submit(extract_batch, batch, options, settings, pure=False), batch))
            batch, weight = [], 0

    try:
        for item in items:
            if isinstance(item, tuple):  # a read error, in its place after what came before it
                submit()
                window.append((None, [item]))
            else:
                if isinstance(item, RawDoc):
                    into.characters += len(item.text)
                    weight += 3 * len(item.text)  # about its UTF-8 size
                else:
                    weight += item.size or BATCH_BYTES // 4  # a URL's size is not known here
                batch.append(item)
                if weight >= BATCH_BYTES or len(batch) >= BATCH_ITEMS:
                    submit()
            while len(window) > threads() * IN_FLIGHT_PER_JOB or (window and window[0][0] is None):
                yield from _collect(*window.popleft(), client, options, settings, into)
        submit()
        while window:
            yield from _collect(*window.popleft(), client, options, settings, into)
        finished = True
    finally:
        if not finished:  # interrupted, or the consumer stopped: the workers drop what is queued
            pending = [future for future, _ in window if future is not None]
            try:
                if pending:
                    client.cancel(pending)
            except Exception:  # noqa: BLE001 - the scheduler is gone already
                pass


class _Threads:
    """The cluster's worker threads (at least one), asked again every few seconds: a
    cluster that scales (dask-jobqueue, dask-kubernetes adapt) gains workers as it runs."""

    def __init__(self, client, every: float = 5.0) -> None:
        self.client, self.every, self.asked, self.n = client, every, float("-inf"), 1

    def __call__(self) -> int:
        now = time.monotonic()
        if now - self.asked >= self.every:
            self.asked = now
            self.n = max(1, sum(self.client.nthreads().values()))
        return self.n


def _collect(future, units: list, client, options: ReadOptions, settings: dict[str, str],
             into) -> Iterator[Outcome]:
    """The outcomes of one task once it is done. A task that failed as a whole (a worker
    died on it: out of memory, a crash in a library) is run again one unit at a time, so
    that only the unit at fault is skipped, with the reason; if the scheduler itself is
    gone, the build stops."""
    if future is None:
        where, why = units[0]
        yield None, why, where
        return
    try:
        outcomes, characters = future.result()
    except Exception as err:  # noqa: BLE001 - a worker that died on it, an error we did not catch
        if client.status != "running":
            raise KGError(f"lost the Dask scheduler ({type(err).__name__}); nothing written") from None
        if len(units) > 1:
            for unit in units:
                yield from _collect(client.submit(extract_batch, [unit], options, settings, pure=False), [unit],
                                    client, options, settings, into)
            return
        where = units[0].shown if isinstance(units[0], FileTask) else units[0].path
        first = (str(err).strip().splitlines() or [""])[0][:200]
        hint = "; a worker died on it (out of memory?)" if type(err).__name__ == "KilledWorker" else ""
        yield None, f"{where}: extraction failed on the cluster ({type(err).__name__}: {first}){hint}", where
        return
    into.characters += characters
    yield from outcomes


# ------------------------------------------------------------------ the worker's side

_THREAD = threading.local()
_ENVIRONMENT = threading.Lock()


def worker_nlp(settings: dict[str, str]):
    """This worker thread's extraction pipeline for ``settings``, built on first use and
    kept for the next tasks (a build with other settings replaces it)."""
    from .extract import make_nlp

    key = tuple(sorted(settings.items()))
    held = getattr(_THREAD, "nlp", None)
    if held is not None and held[0] == key:
        return held[1]
    _THREAD.nlp = None  # let the previous one go first
    with _ENVIRONMENT:  # make_nlp reads the settings from the environment
        saved = {name: os.environ.get(name) for name in SETTINGS}
        try:
            for name in SETTINGS:
                if name in settings:
                    os.environ[name] = settings[name]
                else:
                    os.environ.pop(name, None)
            nlp = make_nlp()
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
    _THREAD.nlp = (key, nlp)
    return nlp


def extract_batch(units: list, options: ReadOptions, settings: dict[str, str]) -> tuple[list[Outcome], int]:
    """A task: extract each unit, a file to read here (``FileTask``: one document, or the
    parts of a long one) or a document the build read (a ``.jsonl`` line). Returns the
    outcomes, files named as the build shows them, and the characters of the files read
    here (the build counted its own documents)."""
    from .pipeline import _process_safely, read_items

    explain = settings.get("KG_EXPLAIN") == "1"
    outcomes: list[Outcome] = []
    characters = 0
    for unit in units:
        docs = read_items(unit.location, options, shown=unit.shown) if isinstance(unit, FileTask) else [unit]
        for item in docs:
            if isinstance(item, RawDoc):
                characters += len(item.text) if isinstance(unit, FileTask) else 0
                result, error = _process_safely(item, worker_nlp(settings), explain)
                outcomes.append((result, error, item.path))
            else:
                outcomes.append((None, item[1], item[0]))
    return outcomes, characters


def _worker_ready() -> bool:
    """Run on every worker before the first task: that it can import kg at all."""
    return True


def dask_setup(worker) -> None:
    """Preload of the LocalCluster's workers: leave Ctrl-C to the build, which closes the
    cluster (a terminal sends it to every process of the group, and a worker that
    died of it would print its traceback and fail its task first)."""
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to do
        pass


__all__ = ["FileTask", "INSTALL", "cluster_items", "connect", "run_on_cluster", "extract_batch", "worker_nlp"]

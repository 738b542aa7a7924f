"""Repeated trials of stopping ``kg build`` and of two builds at once (issue 16).

    .venv/bin/python bench/stop_trials.py [--trials 20] [--seed 1] [--docs 8] [--jobs 2]

Every trial writes into one store and one output folder that earlier builds filled. A
*stop* trial starts ``kg build NEW --store STORE -o OUT --jobs 2`` on a corpus of its own
(documents made from ``examples/`` as bench/big_corpus.py makes them) and stops it at a
random moment between its start and a little past the time a whole build takes (or,
with ``--moment extracting|writing``, counted from when its workers start or have
ended: uniform moments rarely reach the commit, a few renames long):
``kill -9`` of the main process, SIGTERM to it (``kill PID``), or SIGINT to its whole
process group (as Ctrl-C in a terminal). A *concurrent* trial starts two builds of two
corpora into the same store and folder, the second after a random delay. After each
trial it checks, and counts as failures:

- **orphans**: a process of the build (its session: the build runs in a session of its
  own, so a worker re-parented after ``kill -9`` still counts) alive after a grace period;
- **status**: an exit status other than the one the signal calls for (or 0 when the
  build finished first), a traceback, or a message that says "nothing written" when
  something was;
- **exports**: the export set is not one build's: after ``kg query OUT/graph.trig`` (a
  reader, which finishes a commit ``kill -9`` cut short), each of the five files must
  name exactly the documents of one build, the previous one's or the new one's;
- **store**: ``kg query STORE`` fails, or the store holds other than the previous
  documents or the previous plus the new ones; the new store with the old exports
  breaks the stated order (exports first). For two builds at once: both builds'
  documents, or the one that failed said why in one line and exited non-zero; never
  both 0 with one's documents lost;
- **leftovers**: after the next build (a one-document build, run after every trial) a
  ``.STORE.building-*``, ``.STORE.previous-*``, ``.graph.*.tmp`` or journal file is
  still there, or a ``kg-merge-*`` folder in the builds' temporary folder
  (``--build-args "--merge disk"``), that build had to wait for a lock, or a lock is
  still held.

The build id of an export set is the set of documents it names: every corpus has
document names of its own (``t007a-003.txt``), all of one length, so no name is part of
another. Prints one row per kind of trial. Not a test (tests/unit/test_stop_trials.py
runs a few trials of each kind); the figures go into docs/input-and-speed.md.
"""
from __future__ import annotations

import argparse
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "tests" / "unit"))  # the /proc helpers the tests use

from _measure import machine  # noqa: E402
from _procs import children, in_session  # noqa: E402
from big_corpus import make_document, paragraphs  # noqa: E402

KINDS = ("kill-9", "sigterm", "sigint", "concurrent")
MOMENTS = {
    # counted from the start of the build, fractions of a whole build's length
    "any": (0.05, 1.1),
    # counted from when the worker processes appear, fractions of a whole build's length
    "extracting": (0.0, 0.5),
    # counted from when the workers have ended (extraction done), fractions of the time
    # from then to the end of a whole build: the graph, the exports, the commit
    "writing": (0.0, 1.2),
}
EXPORTS = ("graph.ttl", "graph.trig", "graph.graphml", "graph.gexf", "graph.json")
DOC_PREFIX = "https://w3id.org/kg-gov/doc/"
STATUS = {"kill-9": -signal.SIGKILL, "sigterm": 143, "sigint": 130}
CHECKS = ("orphans", "status", "exports", "store", "leftovers")


@dataclass
class Arena:
    """The store and output folder the trials share, and what they hold now."""

    root: Path
    jobs: int = 2
    docs_per_build: int = 8
    paragraphs_per_doc: int = 10
    options: tuple[str, ...] = ()  # global kg options, e.g. ("--no-ner",)
    build_args: tuple[str, ...] = ()  # more options of kg build, e.g. ("--merge", "disk")
    grace: float = 5.0
    moment: str = "any"  # which part of the build a stop falls in: a key of MOMENTS
    window: Optional[tuple[float, float]] = None  # MOMENTS' fractions unless given
    rng: random.Random = field(default_factory=random.Random)
    stored: set[str] = field(default_factory=set)  # documents in the store
    exported: set[str] = field(default_factory=set)  # documents the export set names
    duration: float = 0.0  # seconds of a whole build of one corpus
    tail: float = 0.0  # seconds from the end of extraction (workers gone) to the build's end
    built: int = 0

    @property
    def store(self) -> Path:
        return self.root / "data" / "store"

    @property
    def out(self) -> Path:
        return self.root / "data" / "out"


@dataclass
class Trial:
    kind: str
    number: int
    stop_at: float = 0.0  # seconds after the start (concurrent: the second build's delay)
    statuses: tuple = ()
    workers_at_stop: int = 0
    signalled: bool = False  # the build was still running when the signal was sent
    outcome: str = ""  # previous / new / exports only / both / one
    failures: dict[str, str] = field(default_factory=dict)

    def fail(self, check: str, why: str) -> None:
        self.failures.setdefault(check, why)


# ---------------------------------------------------------------- corpora and builds

def make_corpus(arena: Arena, tag: str, n: int) -> tuple[Path, set[str]]:
    """``n`` documents named ``<tag>-<i>.txt`` in a folder of their own."""
    folder = arena.root / "corpora" / tag
    folder.mkdir(parents=True)
    pool = paragraphs()
    names = set()
    for i in range(n):
        name = f"{tag}-{i:03d}.txt"
        (folder / name).write_text(make_document(arena.rng, pool, arena.paragraphs_per_doc), encoding="utf-8")
        names.add(name)
    return folder, names


class Build:
    """One ``kg build`` into the arena, in a session of its own."""

    def __init__(self, arena: Arena, corpus: Path, jobs: Optional[int] = None) -> None:
        self.log = corpus.with_suffix(".log")
        cmd = [sys.executable, "-m", "kg.cli", *arena.options, "build", str(corpus), "--store", str(arena.store),
               "-o", str(arena.out), "--jobs", str(jobs or arena.jobs), *arena.build_args]
        temporary = arena.root / "tmp"  # its own, to see what a build leaves there (kg-merge-*)
        temporary.mkdir(exist_ok=True)
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT,
                                         env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(temporary)},
                                         start_new_session=True)
        self.pid = self.proc.pid
        self.started = time.monotonic()

    def wait(self, timeout: float = 300.0) -> Optional[int]:
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    @property
    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def leftover_processes(self, grace: float) -> list[int]:
        """The processes of this build still alive ``grace`` seconds after it ended
        (then killed, so that one failure does not spill into the next trial)."""
        deadline = time.monotonic() + grace
        while True:
            alive = in_session(self.pid)
            if not alive or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        for pid in alive:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        return alive


def kg_query(target: Path) -> tuple[Optional[set[str]], str]:
    """The documents whose named graphs ``kg query`` finds in a store or a TriG file,
    or None and the reason."""
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    run = subprocess.run([sys.executable, "-m", "kg.cli", "query", str(target), query, "--format", "csv"],
                         capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                         timeout=120)
    if run.returncode != 0:
        return None, f"kg query {target.name} exit {run.returncode}: {_last_line(run.stderr)}"
    from urllib.parse import unquote

    return {unquote(g[len(DOC_PREFIX):]) for g in run.stdout.split() if g.startswith(DOC_PREFIX)}, ""


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:200] if lines else "(no output)"


# ---------------------------------------------------------------- checks

def exported_set(arena: Arena, candidates: set[str], trial: Trial) -> Optional[set[str]]:
    """The documents the export set names, if each file names the same ones (after a
    reader has finished any commit cut short); else a failure and None."""
    from_trig, why = kg_query(arena.out / "graph.trig")
    if from_trig is None:
        trial.fail("exports", why)
        return None
    per_file = {}
    for name in EXPORTS:
        path = arena.out / name
        if not path.is_file():
            trial.fail("exports", f"{name} is missing")
            return None
        text = path.read_text(encoding="utf-8", errors="replace")
        per_file[name] = frozenset(d for d in candidates if d in text)
    if len(set(per_file.values())) != 1 or set(per_file["graph.trig"]) != from_trig:
        sizes = ", ".join(f"{n} {len(s)}" for n, s in per_file.items())
        trial.fail("exports", f"files of two builds (documents named per file: {sizes})")
        return None
    return from_trig


def _expected(kind: str) -> tuple[int, ...]:
    """The statuses a signal calls for: 143 (SIGTERM) or 130 (Ctrl-C) from the build's
    handler, or death by the signal itself while there is no handler (Python still
    starting, or ending after the build printed what it wrote), which a shell shows as
    the same number. (A signal that comes as Python ends, after the build listed what
    it wrote, may also be lost: exit 0, which :func:`check_stop` accepts then.)"""
    status = STATUS[kind]
    return (status,) if status < 0 else (status, -(status - 128))


def check_stop(arena: Arena, trial: Trial, build: Build, new: set[str], status: Optional[int]) -> None:
    previous_store, previous_exports = set(arena.stored), set(arena.exported)
    text = build.output
    if status is None:
        trial.fail("status", "did not end within 300 s of the signal")
    elif "Traceback" in text:
        trial.fail("status", f"traceback: {_last_line(text)}")
    elif status not in ((*_expected(trial.kind), *((0,) if "written:" in text else ())) if trial.signalled
                        else (0,)):
        trial.fail("status", f"exit {status}{' (the signal was ignored)' if status == 0 else ''}: "
                             f"{_last_line(text)}")
    elif status < 0 and trial.kind != "kill-9" and trial.workers_at_stop:
        trial.fail("status", f"died of the signal (exit {status}) while its workers ran: no handler cleaned up")
    orphans = build.leftover_processes(arena.grace)
    if orphans:
        trial.fail("orphans", f"{len(orphans)} processes of the build alive {arena.grace:.0f} s after it ended")
    exports = exported_set(arena, previous_exports | new, trial)
    stored, why = kg_query(arena.store)
    if stored is None:
        trial.fail("store", why)
    elif stored not in (previous_store, previous_store | new):
        lost = sorted(previous_store - stored)[:3]
        partial = len(stored & new)
        trial.fail("store", f"neither the previous documents nor all new ones: {partial} of {len(new)} new, "
                            f"lost {lost}")
    if exports is not None and exports not in (previous_exports, new):
        trial.fail("exports", f"names {len(exports & new)} of {len(new)} new and "
                              f"{len(exports & previous_exports)} of {len(previous_exports)} previous documents")
    if exports is None or stored is None or trial.failures.keys() & {"exports", "store"}:
        _resync(arena, exports, stored)
        return
    exports_new, store_new = exports == new, stored == previous_store | new and bool(new - previous_store)
    if store_new and not exports_new:
        trial.fail("store", "the store was replaced but the exports were not (the order is exports first)")
    trial.outcome = "new" if store_new else "exports only" if exports_new else "previous"
    said_nothing = "nothing written" in text
    if said_nothing and trial.outcome != "previous":
        trial.fail("status", f"said 'nothing written' but the {'exports' if exports_new else 'store'} changed")
    if status == 0 and trial.outcome != "new":
        trial.fail("status", "exit 0 but the build is not in place")
    if trial.kind != "kill-9" and trial.outcome != "previous" and "written:" not in text:
        trial.fail("status", "the exports or the store changed but the build did not list what it wrote")
    arena.stored, arena.exported = stored, exports


def check_pair(arena: Arena, trial: Trial, builds: list[Build], corpora: list[set[str]],
               statuses: list[Optional[int]]) -> None:
    previous_store, previous_exports = set(arena.stored), set(arena.exported)
    succeeded = []
    for build, docs, status in zip(builds, corpora, statuses):
        text = build.output
        if status is None:
            trial.fail("status", "a build did not end within 300 s")
        elif "Traceback" in text:
            trial.fail("status", f"traceback: {_last_line(text)}")
        elif status == 0:
            succeeded.append(docs)
        elif not any(line.startswith(("error:", "kg build: error:")) for line in text.splitlines()):
            trial.fail("status", f"exit {status} without a one-line reason: {_last_line(text)}")
        orphans = build.leftover_processes(arena.grace)
        if orphans:
            trial.fail("orphans", f"{len(orphans)} processes of a build alive {arena.grace:.0f} s after it ended")
    exports = exported_set(arena, previous_exports | corpora[0] | corpora[1], trial)
    stored, why = kg_query(arena.store)
    expected = previous_store.union(*succeeded)
    if stored is None:
        trial.fail("store", why)
    elif stored != expected:
        lost = [len(docs - stored) for docs in succeeded]
        trial.fail("store", f"exit 0 but documents lost (missing per successful build: {lost})"
                   if any(lost) else f"{len(stored - expected)} documents of a build that failed")
    if exports is not None and exports not in succeeded:
        trial.fail("exports", "the export set is not that of a build that exited 0")
    trial.outcome = "both" if len(succeeded) == 2 else "one" if succeeded else "none"
    _resync(arena, exports, stored)


def _resync(arena: Arena, exports: Optional[set[str]], stored: Optional[set[str]]) -> None:
    """After a failure, carry on from what is there (a later trial is judged on its own)."""
    if exports is not None:
        arena.exported = exports
    if stored is not None:
        arena.stored = stored


def next_build(arena: Arena, trial: Trial) -> None:
    """A one-document build after the trial: it must neither wait nor fail, and leave no
    working copy, temporary file, journal or held lock behind."""
    corpus, docs = make_corpus(arena, f"t{trial.number:03d}f", 1)
    build = Build(arena, corpus, jobs=1)
    status = build.wait()
    text = build.output
    if status != 0 or "Traceback" in text:
        trial.fail("leftovers", f"the next build exited {status}: {_last_line(text)}")
    if "waiting:" in text:
        trial.fail("leftovers", "the next build waited for a lock no build held")
    build.leftover_processes(arena.grace)
    expected = {"data": {"store", ".store.lock", "out"}, "out": {*EXPORTS, ".kg-build.lock"}}
    found = {"data": {p.name for p in arena.store.parent.iterdir()}, "out": {p.name for p in arena.out.iterdir()}}
    extra = sorted((found["data"] - expected["data"]) | (found["out"] - expected["out"])
                   | {p.name for p in (arena.root / "tmp").glob("kg-*")})  # the merge on disk's folders
    if extra:
        trial.fail("leftovers", f"after the next build: {', '.join(extra[:4])}")
    from filelock import FileLock, Timeout

    for lock in (arena.store.parent / ".store.lock", arena.out / ".kg-build.lock"):
        try:
            FileLock(str(lock)).acquire(timeout=0).lock.release()
        except Timeout:
            trial.fail("leftovers", f"{lock.name} is still held")
    if status == 0:
        arena.stored |= docs
        arena.exported = docs


# ---------------------------------------------------------------- trials

def stop_trial(arena: Arena, kind: str, number: int) -> Trial:
    """Start a build on a new corpus and stop it at a random moment."""
    trial = Trial(kind, number)
    corpus, new = make_corpus(arena, f"t{number:03d}a", arena.docs_per_build)
    low, high = arena.window or MOMENTS[arena.moment]
    trial.stop_at = arena.rng.uniform(low, high) * (arena.tail if arena.moment == "writing" else arena.duration)
    build = Build(arena, corpus)
    start = build.started
    if arena.moment != "any":
        start = _workers_seen(build)
        if arena.moment == "writing":
            start = _workers_gone(build)
    while time.monotonic() - start < trial.stop_at and build.proc.poll() is None:
        time.sleep(0.02)
    if build.proc.poll() is None:
        trial.signalled = True
        trial.workers_at_stop = len(children(build.pid))
        if kind == "kill-9":
            os.kill(build.pid, signal.SIGKILL)
        elif kind == "sigterm":
            os.kill(build.pid, signal.SIGTERM)
        else:
            os.killpg(build.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
    status = build.wait()
    if status is None:
        os.killpg(build.pid, signal.SIGKILL)
        build.wait()
    trial.statuses = (status,)
    check_stop(arena, trial, build, new, status)
    return trial


def _workers_seen(build: Build) -> float:
    """Wait until the build's worker processes are there; return when."""
    while not children(build.pid) and build.proc.poll() is None:
        time.sleep(0.02)
    return time.monotonic()


def _workers_gone(build: Build) -> float:
    """Wait until the build's worker processes have ended (extraction done); return when."""
    while children(build.pid) and build.proc.poll() is None:
        time.sleep(0.02)
    return time.monotonic()


def concurrent_trial(arena: Arena, number: int) -> Trial:
    """Two builds of different corpora into the same store and folder at once."""
    trial = Trial("concurrent", number)
    half = max(2, arena.docs_per_build // 2)
    (first, a), (second, b) = (make_corpus(arena, f"t{number:03d}{side}", half) for side in "ab")
    trial.stop_at = arena.rng.uniform(0.0, 0.5) * arena.duration
    builds = [Build(arena, first)]
    time.sleep(trial.stop_at)
    builds.append(Build(arena, second))
    statuses = [build.wait() for build in builds]
    for build, status in zip(builds, statuses):
        if status is None:
            os.killpg(build.pid, signal.SIGKILL)
            build.wait()
    trial.statuses = tuple(statuses)
    check_pair(arena, trial, builds, [a, b], statuses)
    return trial


def prepare(arena: Arena) -> None:
    """The previous build: a whole build of one corpus, which also times one."""
    corpus, docs = make_corpus(arena, "t000p", arena.docs_per_build)
    build = Build(arena, corpus)
    _workers_seen(build)
    gone = _workers_gone(build)
    status = build.wait()
    if status != 0:
        raise RuntimeError(f"the first build failed (exit {status}):\n{build.output[-2000:]}")
    arena.duration = time.monotonic() - build.started
    arena.tail = time.monotonic() - gone
    arena.stored, arena.exported = set(docs), set(docs)


def run_trials(arena: Arena, trials: int, kinds: tuple[str, ...] = KINDS,
               after_each: bool = True, progress=None) -> list[Trial]:
    """``trials`` of each kind, interleaved, each followed by the next build (or, with
    ``after_each=False``, one next build after the last trial); ``progress`` is called
    with each trial when it is done."""
    if not arena.duration:
        prepare(arena)
    done: list[Trial] = []
    number = 0
    for _ in range(trials):
        for kind in kinds:
            number += 1
            trial = concurrent_trial(arena, number) if kind == "concurrent" else stop_trial(arena, kind, number)
            if after_each:
                next_build(arena, trial)
            done.append(trial)
            if progress:
                progress(trial)
    if done and not after_each:
        next_build(arena, done[-1])
    return done


# ---------------------------------------------------------------- report

def table(trials: list[Trial]) -> str:
    rows = [("kind", "trials", "stopped with workers", "finished first", "outcomes", *CHECKS)]
    for kind in dict.fromkeys(t.kind for t in trials):
        mine = [t for t in trials if t.kind == kind]
        outcomes = Counter(t.outcome or "failed" for t in mine)
        if kind == "concurrent":
            with_workers, first = "-", "-"
        else:
            with_workers = str(sum(t.workers_at_stop > 0 for t in mine))
            first = str(sum(not t.signalled for t in mine))
        rows.append((kind, str(len(mine)), with_workers, first,
                     ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())),
                     *(str(sum(c in t.failures for t in mine)) for c in CHECKS)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    return "\n".join(lines)


def failures(trials: list[Trial]) -> list[str]:
    return [f"trial {t.number} ({t.kind}, at {t.stop_at:.1f} s, exit {t.statuses}): {check}: {why}"
            for t in trials for check, why in t.failures.items()]


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20, help="trials of each kind (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the corpora and the moments (default 1)")
    parser.add_argument("--docs", type=int, default=8,
                        help="documents per build (default 8; a concurrent pair builds half each)")
    parser.add_argument("--paragraphs", type=int, default=10, help="paragraphs per document (default 10)")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes of each build (default 2)")
    parser.add_argument("--no-ner", action="store_true", help="build with kg --no-ner (faster start)")
    parser.add_argument("--kinds", default=",".join(KINDS), help=f"which trials (default {','.join(KINDS)})")
    parser.add_argument("--moment", choices=list(MOMENTS), default="any",
                        help="where a stop falls: any moment of the build (default), while the workers extract, "
                             "or after extraction, while the graph, exports and store are written and committed")
    parser.add_argument("--build-args", default="",
                        help="more options for every kg build, e.g. '--merge disk' (its database in the "
                             "temporary folder is then checked for leftovers too)")
    parser.add_argument("--grace", type=float, default=5.0,
                        help="seconds a build's processes may outlive it (default 5)")
    parser.add_argument("--keep", help="work in this (new) folder and keep it")
    args = parser.parse_args(argv)
    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    if not kinds or set(kinds) - set(KINDS):
        parser.error(f"--kinds: choose from {', '.join(KINDS)}")
    if args.trials < 1 or args.docs < 2 or args.jobs < 1:
        parser.error("--trials and --jobs must be at least 1, --docs at least 2")
    if not Path("/proc/self/stat").exists():
        parser.error("needs Linux /proc to see the build's processes")
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        # started in the background (`nohup … &`): the builds would inherit Ctrl-C ignored
        signal.signal(signal.SIGINT, signal.default_int_handler)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        arena = Arena(root, jobs=args.jobs, docs_per_build=args.docs, paragraphs_per_doc=args.paragraphs,
                      options=("--no-ner",) if args.no_ner else (), build_args=tuple(shlex.split(args.build_args)),
                      grace=args.grace, moment=args.moment,
                      rng=random.Random(args.seed))
        started = time.monotonic()
        load = os.getloadavg()[0]
        prepare(arena)
        print(f"machine: {machine()}; load average {load:.2f} at the start")
        low, high = MOMENTS[args.moment]
        base = {"any": "after the start", "extracting": "after the workers start",
                "writing": "after the workers end"}[args.moment]
        length = arena.tail if args.moment == "writing" else arena.duration
        print(f"a whole build of {args.docs} documents, --jobs {args.jobs}: {arena.duration:.1f} s, of which "
              f"{arena.tail:.1f} s after extraction; stops at {low * length:.1f}-{high * length:.1f} s {base} "
              f"(seed {args.seed})", flush=True)
        def progress(trial: Trial) -> None:
            print(f"trial {trial.number} {trial.kind}: at {trial.stop_at:.1f} s, exit {trial.statuses}, "
                  f"{trial.outcome or 'failed'} {trial.failures or ''}", file=sys.stderr, flush=True)

        trials = run_trials(arena, args.trials, kinds, progress=progress)
        print(table(trials))
        for line in failures(trials):
            print(line)
        print(f"{len(trials)} trials in {time.monotonic() - started:.0f} s, load average "
              f"{os.getloadavg()[0]:.2f} at the end; failures: {sum(bool(t.failures) for t in trials)}")
        if args.keep is None:
            shutil.rmtree(root / "data", ignore_errors=True)
    return 1 if any(t.failures for t in trials) else 0


if __name__ == "__main__":
    sys.exit(main())

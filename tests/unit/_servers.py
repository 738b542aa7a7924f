"""SPARQL servers started for a test (and for bench/push_speed.py) on a free port of
127.0.0.1, waited for until they answer, and always killed afterwards.

- Oxigraph: the ``oxigraph`` binary of the ``oxigraph`` package on PyPI (the test extra
  pins it), ``oxigraph serve --location DIR --bind 127.0.0.1:PORT``.
- Virtuoso: Debian's ``virtuoso-t`` (package ``virtuoso-opensource``), with a minimal
  ``virtuoso.ini`` of our own in a temporary folder (its SQL port and HTTP port both
  free ones); the opt-in test skips when the binary is missing.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Optional

import requests


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def oxigraph_binary() -> Optional[str]:
    """The ``oxigraph`` command beside this Python (a venv's bin/), else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def virtuoso_binary() -> Optional[str]:
    return shutil.which("virtuoso-t")


@contextmanager
def _running(command: list[str], ready_url: str, log: Path, wait: float, cwd: Optional[Path] = None) -> Iterator[None]:
    """Run ``command`` until the block ends; enter the block once ``ready_url`` answers
    (any HTTP status), fail with the server's log if it exits or does not answer in time."""
    with open(log, "wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=cwd)
    try:
        deadline = time.monotonic() + wait
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{command[0]} exited with {process.returncode}: "
                                   f"{log.read_text(errors='replace')[-2000:]}")
            try:
                requests.get(ready_url, timeout=2)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{command[0]} did not answer at {ready_url} within {wait:g} s: "
                                       f"{log.read_text(errors='replace')[-2000:]}") from None
                time.sleep(0.1)
        yield
    finally:
        process.kill()
        process.wait()


@contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """An Oxigraph server holding its data in ``location``; yields its base URL
    (``http://127.0.0.1:PORT``: queries at /query, Graph Store Protocol at /store)."""
    binary = oxigraph_binary()
    if binary is None:
        raise RuntimeError("no oxigraph command: pip install -e '.[test]' (it pins oxigraph)")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    location.mkdir(parents=True, exist_ok=True)
    with _running([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                  url + "/", location.with_name(location.name + ".log"), wait=30):
        yield url


VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
FileExtend = 200
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = ., {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 4
ServerThreads = 4

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""


@contextmanager
def virtuoso_server(folder: Path) -> Iterator[str]:
    """A Virtuoso server with a new database in ``folder`` (user dba, password dba);
    yields its base URL (queries at /sparql, Graph Store Protocol at
    /sparql-graph-crud-auth with HTTP digest authentication)."""
    binary = virtuoso_binary()
    if binary is None:
        raise RuntimeError("no virtuoso-t command (Debian: apt install virtuoso-opensource)")
    folder.mkdir(parents=True, exist_ok=True)
    http_port = free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=folder, sql_port=free_port(), http_port=http_port), encoding="utf-8")
    url = f"http://127.0.0.1:{http_port}"
    # -f: stay in the foreground, so killing the process stops the server
    with _running([binary, "-f", "-c", str(ini)], url + "/sparql?query=ASK%7B%7D", folder / "server.log",
                  wait=120, cwd=folder):
        yield url


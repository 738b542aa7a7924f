"""A read-only SPARQL 1.1 Protocol endpoint over a store folder (``kg serve``).

``GET /sparql?query=…`` and ``POST /sparql`` (form ``query=…`` or an
``application/sparql-query`` body) answer a query; results come as SPARQL JSON, XML, CSV
or TSV by the ``Accept`` header or a ``format`` parameter (``json``, ``xml``, ``csv``,
``tsv``), CONSTRUCT/DESCRIBE as N-Triples or Turtle. ``GET /`` is a small page to type
a query. Anything that is not a query (an ``update``, a SPARQL Update sent as a query,
another path or method) gets a 4xx.

Each query runs in a worker process with its own read-only handle on the store, reopened
when a build has changed the store folder since, so answers follow ``kg build --store``
and ``kg remove`` without a restart. Because queries run in workers, a query that
passes ``timeout`` seconds can be stopped for real: the worker is killed
(the client gets 503) and a fresh one takes its place. At most ``max_rows`` solutions
(or triples) are returned; a truncated answer says so in the ``X-KG-Truncated`` header.
The server is Python's ThreadingHTTPServer and listens on 127.0.0.1 unless told
otherwise.

What a web page or a query could make the server do is bounded (see ``Policy``): a query
with SERVICE is refused (400) unless its hosts are allowed (``--allow-federation``), so
the server sends no request anywhere on a query's behalf; a request whose Host header
names another host gets 403 (a page on another site cannot reach the server through DNS
rebinding); cross-origin (CORS) headers are sent only to the origins the user names
(``--cors``).
"""
from __future__ import annotations

import csv
import io
import json
import logging
import multiprocessing as mp
import queue
import ipaddress
import re
import signal
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any, Callable, Optional, Union
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape, quoteattr

from .errors import InputError
from .sparql_errors import sparql_tokens

log = logging.getLogger(__name__)

RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_TYPES = {
    "nt": "application/n-triples",
    "ttl": "text/turtle",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
    "nq": "application/n-quads",
    "trig": "application/trig",
}
"""CONSTRUCT and DESCRIBE answers: every RDF syntax Oxigraph writes (N3 readers get Turtle)."""
# other names of the formats, as media types and as ``format`` values (SPARQLWrapper
# sends format=xml|json|turtle|n3|rdf+xml|json-ld|csv|tsv): a name that fits both kinds
# of answer (xml, json) picks one of each
_RESULT_ALIASES = {"application/json": "json", "text/xml": "xml", "application/xml": "xml",
                   "text/javascript": "json", "application/javascript": "json"}
_GRAPH_ALIASES = {"text/plain": "nt", "turtle": "ttl", "ntriples": "nt", "n-triples": "nt", "n3": "ttl",
                  "text/n3": "ttl", "text/rdf+n3": "ttl", "application/n3": "ttl", "application/turtle": "ttl",
                  "application/x-turtle": "ttl", "rdf+xml": "rdfxml", "rdf": "rdfxml", "xml": "rdfxml",
                  "application/xml": "rdfxml", "text/xml": "rdfxml", "json-ld": "jsonld", "json": "jsonld",
                  "application/json": "jsonld", "application/x-json+ld": "jsonld", "nquads": "nq",
                  "n-quads": "nq", "text/x-nquads": "nq"}
_RDF_FORMATS = {"nt": "N_TRIPLES", "ttl": "TURTLE", "rdfxml": "RDF_XML", "jsonld": "JSON_LD",
                "nq": "N_QUADS", "trig": "TRIG"}
MAX_QUERY_BYTES = 1 << 20


# ---------------------------------------------------------------- results, in the worker

def _term_json(term) -> dict[str, Any]:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out: dict[str, Any] = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = term.datatype.value
    return out


def _term_xml(term) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _term_tsv(term) -> str:
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def serialize_select(names: list[str], rows: list[list], fmt: str) -> str:
    """SELECT results in one of the four SPARQL results formats (W3C)."""
    if fmt == "json":
        bindings = [{n: _term_json(t) for n, t in zip(names, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                          ensure_ascii=False)
    if fmt == "xml":
        out = ['<?xml version="1.0"?>', '<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
               "<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head>",
               "<results>"]
        for row in rows:
            cells = "".join(f"<binding name={quoteattr(n)}>{_term_xml(t)}</binding>"
                            for n, t in zip(names, row) if t is not None)
            out.append(f"<result>{cells}</result>")
        out.append("</results></sparql>")
        return "\n".join(out)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(names)
        writer.writerows([["" if t is None else t.value for t in row] for row in rows])
        return buffer.getvalue()
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else _term_tsv(t) for t in row) for row in rows]
    return "\n".join(lines) + "\n"


def serialize_boolean(value: bool, fmt: str) -> str:
    """ASK results: JSON and XML per the W3C formats; CSV/TSV as a one-cell table."""
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value})
    if fmt == "xml":
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{str(value).lower()}</boolean></sparql>")
    return ("_askResult\r\n" if fmt == "csv" else "?_askResult\n") + str(value).lower() + "\n"


def _size(term) -> int:
    return len(getattr(term, "value", "") or "") + 16 if term is not None else 0


def run_query(store, query: str, fmt: str, graph_fmt: str, max_rows: int,
              max_bytes: int = 64 << 20) -> tuple[int, str, bytes, bool]:
    """Run one query on an open store: (HTTP status, content type, body, truncated).
    The answer is cut after ``max_rows`` rows or triples, or once their terms pass about
    ``max_bytes``, whichever comes first."""
    import pyoxigraph as ox

    from .store import OX_PREFIXES

    try:
        result = store.query(query, prefixes=OX_PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            return 200, RESULT_TYPES[fmt], serialize_boolean(bool(result), fmt).encode("utf-8"), False
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows, truncated, size = [], False, 0
            for solution in result:
                if len(rows) == max_rows or size > max_bytes:
                    truncated = True
                    break
                rows.append([solution[n] for n in names])
                size += sum(_size(t) for t in rows[-1])
            return 200, RESULT_TYPES[fmt], serialize_select(names, rows, fmt).encode("utf-8"), truncated
        triples, truncated, size = [], False, 0
        for triple in result:
            if len(triples) == max_rows or size > max_bytes:
                truncated = True
                break
            triples.append(triple)
            size += _size(triple.subject) + _size(triple.predicate) + _size(triple.object)
        rdf_format = getattr(ox.RdfFormat, _RDF_FORMATS[graph_fmt])
        prefixed = graph_fmt in ("ttl", "trig", "rdfxml")
        body = ox.serialize(triples if graph_fmt not in ("nq", "trig") else
                            [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples],
                            format=rdf_format, prefixes=OX_PREFIXES if prefixed else None)
        return 200, GRAPH_TYPES[graph_fmt], body or b"", truncated
    except SyntaxError as err:
        from .sparql_errors import explain

        return 400, "text/plain; charset=utf-8", (explain(query, str(err), OX_PREFIXES) + "\n").encode("utf-8"), False
    except (OSError, RuntimeError, ValueError) as err:
        return 500, "text/plain; charset=utf-8", f"Query failed: {err}\n".encode("utf-8"), False


def _worker_main(conn, store_path: str, max_rows: int, max_bytes: int = 64 << 20,
                 max_memory_mb: int = 0) -> None:
    """Worker process: open the store read-only, answer queries from the pipe. With
    ``max_memory_mb``, the process's address space is capped, so a query that would take
    more memory (a string doubled 27 times, a sort of a cubed product) fails its
    allocation and the worker dies instead of the machine swapping; the pool replaces it."""
    if max_memory_mb:
        import resource

        limit = max_memory_mb << 20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import pyoxigraph as ox

    import os

    def state() -> int:
        # RocksDB adds and removes files in the folder whenever a build writes to it
        return os.stat(store_path).st_mtime_ns

    try:
        seen = state()
        store = ox.Store.read_only(store_path)
    except OSError as err:
        conn.send(("error", str(err)))
        return
    try:
        conn.send(("ready", ""))
        while True:
            query, fmt, graph_fmt = conn.recv()
            try:
                if state() != seen:  # a build changed the store: answer from what it holds now
                    seen = state()
                    store = ox.Store.read_only(store_path)
            except OSError as err:
                log.warning("Cannot reopen the store after a change (%s); answering from the last state", err)
            conn.send(run_query(store, query, fmt, graph_fmt, max_rows, max_bytes))
    except (EOFError, OSError, KeyboardInterrupt):
        return  # the server went away or is stopping


# ---------------------------------------------------------------- worker pool, in the server

class _Worker:
    def __init__(self, ctx, store_path: str, max_rows: int, max_bytes: int, max_memory_mb: int) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main,
                                   args=(child, store_path, max_rows, max_bytes, max_memory_mb), daemon=True)
        self.process.start()
        child.close()
        status, message = self.conn.recv() if self.conn.poll(60) else ("error", "no answer in 60 s")
        if status != "ready":
            self.stop()
            raise InputError(f"Cannot open the store {store_path!r} read-only: {message}. "
                             f"Give a folder made by kg build --store.")

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class Busy(Exception):
    """Every worker stayed busy for ``wait`` seconds: the client should retry later."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"all query workers busy for {wait:g} s")
        self.wait = wait


class QueryPool:
    """Worker processes that each hold the store open read-only; a query that runs
    past ``timeout``, or whose worker dies of its memory cap (``max_memory_mb``), has its
    worker replaced."""

    def __init__(self, store_path: Union[str, Path], *, workers: int = 2, timeout: float = 30.0,
                 max_rows: int = 10000, wait: Optional[float] = None, max_bytes: int = 64 << 20,
                 max_memory_mb: int = 2048) -> None:
        from .store import is_store

        if not is_store(store_path):
            raise InputError(f"{str(store_path)!r} is not an RDF store directory. Create one "
                             f"with kg build FILES --store {store_path}.")
        self.store_path, self.timeout, self.max_rows = str(store_path), timeout, max_rows
        self.wait = timeout if wait is None else wait
        self.max_bytes, self.max_memory_mb = max_bytes, max_memory_mb
        self._ctx = mp.get_context("spawn")  # no inherited store handles or threads
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: list[_Worker] = []
        for _ in range(max(1, workers)):
            self._add()

    def _add(self) -> None:
        worker = _Worker(self._ctx, self.store_path, self.max_rows, self.max_bytes, self.max_memory_mb)
        self._all.append(worker)
        self._idle.put(worker)

    def run(self, query: str, fmt: str, graph_fmt: str) -> tuple[int, str, bytes, bool]:
        """Run a query on an idle worker. Raises ``Busy`` when none is free within
        ``wait`` seconds, so slow queries delay the others by a bounded time."""
        try:
            worker = self._idle.get(timeout=self.wait)
        except queue.Empty:
            raise Busy(self.wait) from None
        why = f"it ran longer than {self.timeout:g} s"
        try:
            worker.conn.send((query, fmt, graph_fmt))
            if worker.conn.poll(self.timeout):
                answer = worker.conn.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError) as err:
            why = f"it needed more than the {self.max_memory_mb} MB a query may use"
            log.warning("Query worker died (%s); starting a new one", err)
        self._retire(worker)
        return 503, "text/plain; charset=utf-8", f"Query stopped: {why}.\n".encode("utf-8"), False

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        self._all.remove(worker)
        self._add()

    def close(self) -> None:
        for worker in self._all:
            worker.stop()
        self._all.clear()


# ---------------------------------------------------------------- what requests may do

def service_targets(query: str) -> list[Optional[str]]:
    """The host of every SERVICE clause of ``query``, in order; None for a SERVICE whose
    endpoint is not a literal IRI (a variable or a prefixed name), which could name any
    host."""
    tokens = [(kind, value) for kind, value, _ in sparql_tokens(query) if kind in ("iri", "word")]
    hosts = []
    for n, (kind, value) in enumerate(tokens):
        if kind != "word" or value.upper() != "SERVICE":
            continue
        rest = tokens[n + 1:n + 3]
        if rest and rest[0][0] == "word" and rest[0][1].upper() == "SILENT":
            rest = rest[1:]
        if rest and rest[0][0] == "iri":
            hosts.append((urlsplit(rest[0][1][1:-1]).hostname or "").lower() or None)
        else:
            hosts.append(None)
    return hosts


_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
_WILDCARD = frozenset({"", "0.0.0.0", "::"})


@dataclass
class Policy:
    """What the endpoint lets a request do.

    ``federation``: hosts a SERVICE clause may call (``*``: any; empty: SERVICE refused).
    ``hosts``: extra names the Host header may carry, besides the bound address and, for
    a loopback or wildcard bind, localhost; on a wildcard bind (0.0.0.0) also the
    machine's names and any IP address. ``cors``: origins that get CORS headers (``*``:
    any); empty: none, so browsers keep other sites' pages from reading answers."""

    federation: frozenset[str] = frozenset()
    hosts: frozenset[str] = frozenset()
    cors: tuple[str, ...] = ()
    bound: str = "127.0.0.1"
    _names: frozenset[str] = field(default=frozenset(), init=False, repr=False)

    def __post_init__(self) -> None:
        names = {h.lower().strip("[]") for h in self.hosts} | {self.bound.lower().strip("[]")}
        if self.bound in _WILDCARD or self.bound.lower().strip("[]") in _LOOPBACK:
            names |= _LOOPBACK
        if self.bound in _WILDCARD:
            names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
        self._names = frozenset(names)

    def refuse_query(self, query: str) -> Optional[str]:
        """Why ``query`` is refused (its SERVICE clauses), or None."""
        if "*" in self.federation:
            return None
        for host in service_targets(query):
            if host is None or host not in self.federation:
                where = f"to {host}" if host else "to an endpoint given by a variable or prefixed name"
                return (f"SERVICE {where} is not allowed: this endpoint sends no requests on a query's "
                        f"behalf. Start kg serve with --allow-federation HOST to allow a host.")
        return None

    def host_allowed(self, header: Optional[str]) -> bool:
        """Whether the Host header names this server (a missing header is HTTP/1.0)."""
        if header is None:
            return True
        host = urlsplit("//" + header.strip()).hostname
        if host is None:
            return False
        host = host.lower()
        if host in self._names:
            return True
        if self.bound in _WILDCARD:
            try:
                ipaddress.ip_address(host)
                return True
            except ValueError:
                return False
        return False

    def cors_origin(self, origin: Optional[str]) -> Optional[str]:
        """The Access-Control-Allow-Origin value for a request from ``origin``, or None."""
        if "*" in self.cors:
            return "*"
        return origin if origin and origin in self.cors else None


# ---------------------------------------------------------------- HTTP

def _result_name(media: str) -> Optional[str]:
    return _RESULT_ALIASES.get(media) or next((k for k, v in RESULT_TYPES.items() if v == media or k == media), None)


def _graph_name(media: str) -> Optional[str]:
    return _GRAPH_ALIASES.get(media) or next((k for k, v in GRAPH_TYPES.items() if v == media or k == media), None)


def negotiate(accept: str, fmt: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(results format, graph format) from a ``format`` parameter or the Accept header.
    Either is None when nothing acceptable of that kind is offered; a request that
    accepts only one kind gets the default of the other (JSON results, N-Triples
    graphs), since the server learns which kind a query gives only when it runs."""
    if fmt:
        name = fmt.lower().strip()
        results, graph = _result_name(name), _graph_name(name)
        if results is None and graph is None:
            return None, None
        return results or "json", graph or "nt"
    results, graph = None, None
    ranges = []
    for part in (accept or "*/*").split(","):
        media, *params = [p.strip() for p in part.split(";")]
        q = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranges.append((q, media.lower()))
    anything = False
    for q, media in sorted(ranges, key=lambda r: -r[0]):
        if q <= 0:
            continue
        if media in ("*/*", "application/*", "text/*"):
            anything = True
        results = results or _result_name(media)
        graph = graph or _graph_name(media)
    if anything or results or graph:
        return results or "json", graph or "nt"
    return None, None


def _page() -> bytes:
    return files("kg.resources").joinpath("viewer/sparql.html").read_bytes()


def make_handler(pool: QueryPool, policy: Optional[Policy] = None) -> type[BaseHTTPRequestHandler]:
    policy = policy or Policy()

    class Handler(BaseHTTPRequestHandler):
        server_version = "kg-sparql/0.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            log.info("%s " + format, self.address_string(), *args)

        def _send(self, status: int, ctype: str, body: bytes, extra: Optional[dict] = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            allow_origin = policy.cors_origin(self.headers.get("Origin"))
            if allow_origin:
                self.send_header("Access-Control-Allow-Origin", allow_origin)
            self.send_header("Vary", "Accept, Origin" if policy.cors else "Accept")
            for key, value in (extra or {}).items():
                self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _error(self, status: int, message: str, allow: Optional[str] = None) -> None:
            self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"),
                       {"Allow": allow} if allow else None)

        def _foreign_host(self) -> bool:
            """403 to a request for another host name (DNS rebinding)."""
            if policy.host_allowed(self.headers.get("Host")):
                return False
            self._error(403, "This server does not answer for the host "
                        f"{self.headers.get('Host')!r}. Start kg serve with --allow-host NAME to add a name.")
            return True

        def do_OPTIONS(self) -> None:  # noqa: N802
            if self._foreign_host():
                return
            if policy.cors_origin(self.headers.get("Origin")) is None:
                self._error(403, "Cross-origin requests are not allowed: start kg serve with --cors ORIGIN.")
                return
            self._send(204, "text/plain; charset=utf-8", b"", {
                "Access-Control-Allow-Methods": "GET, HEAD, POST",
                "Access-Control-Allow-Headers": "Accept, Content-Type",
                "Access-Control-Max-Age": "600"})

        def do_GET(self) -> None:  # noqa: N802
            if self._foreign_host():
                return
            url = urlsplit(self.path)
            if url.path in ("/", "/index.html"):
                self._send(200, "text/html; charset=utf-8", _page())
            elif url.path == "/sparql":
                params = parse_qs(url.query, keep_blank_values=True)
                if "update" in params:
                    self._error(403, "This endpoint is read-only: SPARQL Update is not accepted.")
                elif not params.get("query"):
                    self._error(400, "Give a query: /sparql?query=SELECT…")
                else:
                    self._answer(params["query"][0], params.get("format", [None])[0])
            else:
                self._error(404, f"Nothing at {url.path}. The endpoint is /sparql; a query page is at /.")

        do_HEAD = do_GET

        def do_POST(self) -> None:  # noqa: N802
            if self._foreign_host():
                return
            url = urlsplit(self.path)
            if url.path != "/sparql":
                self._error(404, f"Nothing at {url.path}. The endpoint is /sparql.")
                return
            declared = (self.headers.get("Content-Length") or "0").strip()
            if not declared.isdigit():  # -1, abc: never read 'to the end of the stream'
                self.close_connection = True
                self._error(400, f"Content-Length must be a number of bytes, not {declared!r}.")
                return
            length = int(declared)
            if length > MAX_QUERY_BYTES:
                self._error(413, f"Request body over {MAX_QUERY_BYTES} bytes.")
                return
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            params = parse_qs(url.query, keep_blank_values=True)
            if ctype == "application/sparql-update":
                self._error(403, "This endpoint is read-only: SPARQL Update is not accepted.")
            elif ctype == "application/sparql-query":
                self._answer(body, params.get("format", [None])[0])
            elif ctype == "application/x-www-form-urlencoded":
                form = parse_qs(body, keep_blank_values=True)
                if "update" in form:
                    self._error(403, "This endpoint is read-only: SPARQL Update is not accepted.")
                elif not form.get("query"):
                    self._error(400, "Give a query in the form field 'query'.")
                else:
                    fmt = (form.get("format") or params.get("format") or [None])[0]
                    self._answer(form["query"][0], fmt)
            else:
                self._error(415, "Send application/sparql-query or a form with query=…")

        def do_PUT(self) -> None:  # noqa: N802
            self._error(405, "This endpoint is read-only.", allow="GET, HEAD, POST")

        do_DELETE = do_PATCH = do_PUT

        def _answer(self, query: str, fmt: Optional[str]) -> None:
            results, graph = negotiate(self.headers.get("Accept", ""), fmt)
            if results is None:
                self._error(406, "No acceptable format. Results come as "
                            + ", ".join(RESULT_TYPES.values()) + "; graphs as "
                            + ", ".join(GRAPH_TYPES.values()) + ".")
                return
            refused = policy.refuse_query(query)
            if refused:
                self._error(400, refused)
                return
            try:
                status, ctype, body, truncated = pool.run(query, results, graph)
            except Busy as busy:
                self._send(503, "text/plain; charset=utf-8",
                           f"Busy: every query worker was taken for {busy.wait:g} s. Retry later.\n".encode(),
                           {"Retry-After": str(max(1, round(busy.wait)))})
                return
            if ctype.startswith(("application/sparql-results+json", "application/sparql-results+xml")):
                ctype += "; charset=utf-8"
            elif ctype in ("text/csv", "text/tab-separated-values", *GRAPH_TYPES.values()):
                ctype += "; charset=utf-8"
            extra = {"X-KG-Truncated": f"true; max-rows={pool.max_rows}; max-bytes={pool.max_bytes}"} \
                if truncated else None
            self._send(status, ctype, body, extra)

    return Handler


class _Server(ThreadingHTTPServer):
    """The standard threading server with a listen backlog for bursts of clients (the
    default of 5 drops connections under load); the queue of queries is bounded by the
    pool's wait limit instead."""

    request_queue_size = 256
    daemon_threads = True


class Endpoint:
    """The HTTP server and its query workers; ``url`` once started."""

    def __init__(self, store_path: Union[str, Path], *, host: str = "127.0.0.1", port: int = 0,
                 timeout: float = 30.0, max_rows: int = 10000, workers: int = 2,
                 allow_federation: tuple[str, ...] = (), allow_hosts: tuple[str, ...] = (),
                 cors: tuple[str, ...] = (), wait: Optional[float] = None, max_bytes: int = 64 << 20,
                 max_memory_mb: int = 2048) -> None:
        self.policy = Policy(federation=frozenset(h.lower() for h in allow_federation),
                             hosts=frozenset(allow_hosts), cors=tuple(cors), bound=host)
        self.pool = QueryPool(store_path, workers=workers, timeout=timeout, max_rows=max_rows, wait=wait,
                              max_bytes=max_bytes, max_memory_mb=max_memory_mb)
        try:
            self.server = _Server((host, port), make_handler(self.pool, self.policy))
        except OSError:
            self.pool.close()
            raise
        self.server.daemon_threads = True
        host, port = self.server.server_address[:2]
        self.url = f"http://{host}:{port}/"
        self._thread: Optional[threading.Thread] = None

    def start(self) -> "Endpoint":
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.pool.close()
        if self._thread is not None:
            self._thread.join(5)


def serve(store_path: Union[str, Path], *, host: str = "127.0.0.1", port: int = 7878,
          timeout: float = 30.0, max_rows: int = 10000, workers: int = 2,
          ready: Optional[Callable[[str], None]] = None, allow_federation: tuple[str, ...] = (),
          allow_hosts: tuple[str, ...] = (), cors: tuple[str, ...] = (), wait: Optional[float] = None,
          max_bytes: int = 64 << 20, max_memory_mb: int = 2048) -> int:
    """Serve until interrupted; ``ready(url)`` is called once listening. Returns 0."""
    try:
        endpoint = Endpoint(store_path, host=host, port=port, timeout=timeout,
                            max_rows=max_rows, workers=workers, allow_federation=allow_federation,
                            allow_hosts=allow_hosts, cors=cors, wait=wait, max_bytes=max_bytes,
                            max_memory_mb=max_memory_mb)
    except OSError as err:
        raise InputError(f"Cannot listen on {host}:{port}: {err}. Pick another --port.") from err
    if ready is not None:
        ready(endpoint.url)

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)  # kill PID stops as cleanly as Ctrl-C
    try:
        endpoint.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        endpoint.server.server_close()
        endpoint.pool.close()
    return 0

"""SPARQL over an exported graph or an RDF store, saved queries, and the three ways to
show the answer.

``run_sparql`` takes a file, an Oxigraph store directory (``kg build --store``) or an
rdflib graph already in memory, so ``kg query`` works on any export without
rebuilding. A TriG or N-Quads file is loaded as a Dataset
whose default graph is the union of its named graphs: a plain query sees every
document's triples, and ``GRAPH ?g { … }`` still tells which document states them.
The ontology's prefixes (``kgo:``, ``skos:``, ``org:``, ``prov:`` …) are predeclared.

Results keep rdflib terms, so the JSON output can say which values are IRIs and which
are literals with a language; the table and CSV show each value as its plain string
(``主席``, not ``"主席"@zh``; IRIs decoded, ``…/Person/王根元@晋中市``). Such a decoded
IRI may be pasted back into a query: before a query runs, IRIs in our namespaces are
written as the graph holds them (percent-encoded), so ``<…/Person/王根元@晋中市>``
matches.

A store is read in a daemon thread, so Ctrl-C stops a long query at once; with
``stream=True`` (``kg query``), ``QueryResult.rows`` is an iterator that the thread fills
while the main thread writes rows (``write_csv``, ``write_json``), so a two-million-row
answer is not held in memory.

Saved queries are the ``queries/*.rq`` files: a first ``#`` line says what the query
answers, and ``# param NAME (TYPE) = DEFAULT: what it is`` lines declare parameters.
A parameter is a variable of the query (``?person``); ``--param person=韩立军`` binds
it to a literal before the query runs (rdflib ``initBindings``, Oxigraph
substitution), so a value is never spliced into the query text. A parameter left out
stays a free variable (the query then answers for every person) unless it has a
default. A parameter must be a variable the SELECT projects (Oxigraph's substitution
requires it).
"""
from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
import queue
import threading
from typing import IO, Any, Iterable, Iterator, Mapping, Optional, Sequence, Union
from urllib.parse import quote, unquote

from pyparsing import ParseException
from rdflib import XSD, BNode, Dataset, Graph, Literal, URIRef, Variable
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from .errors import QueryError
from .namespaces import DOC, ID, PREFIXES
from .sparql_errors import sparql_tokens

FORMATS = {
    ".ttl": "turtle",
    ".trig": "trig",
    ".nt": "nt",
    ".nq": "nquads",
    ".jsonld": "json-ld",
}
"""File suffix → rdflib parser. Quad formats load into a Dataset."""

_QUAD_FORMATS = {"trig", "nquads", "json-ld"}


@dataclass(frozen=True)
class QueryResult:
    """Variables and rows of a SELECT (or subject/predicate/object rows of a
    CONSTRUCT/DESCRIBE); for an ASK, ``boolean`` holds the answer and rows are empty.
    A cell is an rdflib term, or None where the variable is unbound."""

    vars: tuple[str, ...]
    rows: Iterable[tuple[Optional[Node], ...]]
    """A tuple, or an iterator that can be read once (answers streamed from a store)."""
    boolean: Optional[bool] = None


def load_rdf(path: Union[str, Path]) -> Graph:
    """Parse an RDF file by its suffix; quad formats give a union-default Dataset."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise QueryError(
            f"Cannot tell the RDF format of {str(path)!r} from its suffix "
            f"{path.suffix!r}. Valid suffixes: {', '.join(FORMATS)}. Rename the file "
            f"or write it again with kg build -o DIR (--formats picks the files)."
        )
    if not path.is_file():
        raise QueryError(f"Graph file {str(path)!r} does not exist or is not a file. "
                         f"Give the path of a file kg build -o wrote, or a store folder (kg build --store).")
    graph: Graph = Dataset(default_union=True) if fmt in _QUAD_FORMATS else Graph()
    try:
        graph.parse(path, format=fmt)
    except (OSError, UnicodeDecodeError) as err:
        raise QueryError(f"Cannot read graph file {str(path)!r}: {err}") from err
    except Exception as err:
        # rdflib's parsers raise their own, unrelated exception classes (BadSyntax,
        # SAXParseException, JSONDecodeError, …); all mean the same thing here.
        raise QueryError(
            f"Cannot parse {str(path)!r} as {fmt}: {err}. Check that the file is "
            f"complete and that its suffix matches its format."
        ) from err
    return graph


def run_sparql(source: Union[str, Path, Graph], query: str,
               bindings: Optional[Mapping[str, Node]] = None, *, stream: bool = False) -> QueryResult:
    """Run a SPARQL query over an RDF file, a store directory or an rdflib
    Graph/Dataset. ``bindings`` (variable name → term) fix variables before the query
    runs. With ``stream``, an answer from a store comes as an iterator of rows, read
    while they are written (``kg query``); otherwise rows are a tuple."""
    query = encode_iris(query)
    if not isinstance(source, Graph):
        from .store import is_store

        if is_store(source):
            return _run_on_store(source, query, bindings, stream)
    graph = source if isinstance(source, Graph) else load_rdf(source)
    try:
        prepared = prepareQuery(query, initNs=PREFIXES)
    except ParseException as err:
        raise QueryError(f"SPARQL syntax error: {err}. Query was:\n{query}") from err
    except Exception as err:
        # The algebra translation raises plain Exception (e.g. "Unknown namespace
        # prefix"); there is no narrower class to catch.
        raise QueryError(f"Cannot use SPARQL query: {err}. Query was:\n{query}") from err
    init = {Variable(name): term for name, term in (bindings or {}).items()}
    try:
        result = graph.query(prepared, initBindings=init or None)
    except Exception as err:
        # Evaluation errors (a bad function call, a type mismatch) come from rdflib as
        # assorted classes; report them with rdflib's own message.
        raise QueryError(f"SPARQL query failed: {err}") from err
    if result.type == "ASK":
        return QueryResult(vars=(), rows=(), boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        names = tuple(str(v) for v in result.vars or ())
        return QueryResult(vars=names, rows=tuple(tuple(row) for row in result))
    return QueryResult(vars=("subject", "predicate", "object"),
                       rows=tuple(tuple(t) for t in result.graph))


def _run_on_store(path: Union[str, Path], query: str,
                  bindings: Optional[Mapping[str, Node]], stream: bool = False) -> QueryResult:
    """Open the store and run the query in a daemon thread (pyoxigraph's results may
    only be read by the thread that made them), which passes the answer's head and then
    its rows through a bounded queue. The store evaluates inside ``next`` (an ORDER BY,
    all of it in the first); this thread waits on the queue in short steps, so Ctrl-C
    reaches it at once and the reading thread ends with the process."""
    import pyoxigraph  # noqa: F401  (imported here: the thread must not hold an import lock when Ctrl-C ends the process)

    from . import store as _store  # noqa: F401

    box: queue.Queue = queue.Queue(maxsize=1024)
    threading.Thread(target=_read_store, args=(path, query, bindings, box), daemon=True,
                     name="kg-query").start()
    head = _take(box)
    if isinstance(head, bool):
        return QueryResult(vars=(), rows=(), boolean=head)
    return QueryResult(vars=head, rows=_rows(box) if stream else tuple(_rows(box)))


_DONE = object()


def _read_store(path, query: str, bindings, box: queue.Queue) -> None:
    import pyoxigraph as ox

    from .store import from_ox, open_store, query_store

    try:
        store = open_store(path, read_only=True)
        result = query_store(store, query, bindings)
        if isinstance(result, ox.QueryBoolean):
            box.put(bool(result))
            return
        if isinstance(result, ox.QuerySolutions):
            names = tuple(v.value for v in result.variables)
            box.put(names)
            for solution in result:
                box.put(tuple(from_ox(solution[name]) for name in names))
        else:
            box.put(("subject", "predicate", "object"))
            for t in result:
                box.put((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        box.put(_DONE)
    except QueryError as err:
        box.put(err)
    except (OSError, RuntimeError, ValueError) as err:
        box.put(QueryError(f"SPARQL query failed on the store: {err}"))
    except Exception as err:  # noqa: BLE001 (InputError etc.: reported in the main thread)
        box.put(err)


def _take(box: queue.Queue):
    while True:
        try:
            item = box.get(timeout=0.2)
        except queue.Empty:
            continue
        if isinstance(item, Exception):
            raise item
        return item


def _rows(box: queue.Queue) -> Iterator:
    while (item := _take(box)) is not _DONE:
        yield item


def encode_iris(query: str) -> str:
    """The query with each IRI of our namespaces (``<https://w3id.org/kg-gov/id/…>``)
    percent-encoded as the graph holds it, so an IRI copied from decoded output matches;
    an IRI already encoded stays the same."""
    bases = (str(ID), str(DOC))
    out, last = [], 0
    for kind, text, start in sparql_tokens(query):
        if kind != "iri":
            continue
        iri = text[1:-1]
        base = next((b for b in bases if iri.startswith(b)), None)
        if base is None:
            continue
        out.append(query[last:start])
        out.append("<" + base + quote(unquote(iri[len(base):]), safe="/@") + ">")
        last = start + len(text)
    out.append(query[last:])
    return "".join(out)


# ---------------------------------------------------------------- saved queries

QUERIES_DIR = Path(__file__).resolve().parents[1] / "queries"
"""Where the saved queries live: ``queries/`` at the top of the repository."""

_PARAM = re.compile(r"^#\s*param\s+(\w+)(?:\s*\((\w+)\))?(?:\s*=\s*(\S+))?\s*:\s*(.*)$")
PARAM_TYPES = ("zh", "string", "integer", "iri")
"""How a parameter's value becomes a term: a Chinese-tagged literal (names, as
skos:prefLabel holds them), a plain string, an xsd:integer, or an IRI."""


@dataclass(frozen=True)
class Param:
    """A declared parameter of a saved query."""

    name: str
    type: str
    default: Optional[str]
    help: str


@dataclass(frozen=True)
class SavedQuery:
    """A ``queries/<name>.rq`` file: its text, first-line comment and parameters."""

    name: str
    path: Path
    text: str
    comment: str
    params: tuple[Param, ...]


def load_saved(path: Union[str, Path]) -> SavedQuery:
    """Read one saved query and its ``# param`` declarations."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    comment, params = "", []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            continue
        match = _PARAM.match(line)
        if match:
            name, ptype, default, help_text = match.groups()
            ptype = ptype or "zh"
            if ptype not in PARAM_TYPES:
                raise QueryError(f"{path}:{number}: unknown parameter type {ptype!r}. "
                                 f"Valid: {', '.join(PARAM_TYPES)}.")
            params.append(Param(name, ptype, default, help_text.strip()))
        elif not comment:
            comment = line.lstrip("#").strip()
    return SavedQuery(path.stem, path, text, comment, tuple(params))


def saved_queries(directory: Union[str, Path] = QUERIES_DIR) -> dict[str, SavedQuery]:
    """All saved queries in ``directory``, by name (file stem), sorted."""
    return {p.stem: load_saved(p) for p in sorted(Path(directory).glob("*.rq"))}


def find_saved(name: str, directory: Union[str, Path] = QUERIES_DIR) -> SavedQuery:
    """A saved query by name, or by the path of an ``.rq`` file."""
    if name.endswith(".rq") and Path(name).is_file():
        return load_saved(name)
    queries = saved_queries(directory)
    if name not in queries:
        raise QueryError(f"No saved query {name!r}. Valid: {', '.join(queries) or 'none'} "
                         f"(kg query --list-saved lists them), or give the path of an .rq file.")
    return queries[name]


def bind_params(saved: SavedQuery, values: Mapping[str, str]) -> dict[str, Node]:
    """Terms for the given ``key=value`` parameters (and the defaults of the others)."""
    declared = {p.name: p for p in saved.params}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise QueryError(f"Saved query {saved.name!r} has no parameter {unknown[0]!r}. "
                         f"Valid: {', '.join(declared) or 'none'}.")
    bindings: dict[str, Node] = {}
    for name, param in declared.items():
        value = values.get(name, param.default)
        if value is not None:
            bindings[name] = param_term(param, value)
    return bindings


def param_term(param: Param, value: str) -> Node:
    """A parameter value as the RDF term its type says."""
    if param.type == "integer":
        try:
            return Literal(int(value), datatype=XSD.integer)
        except ValueError:
            raise QueryError(f"Parameter {param.name!r} needs a whole number, not {value!r}.") from None
    if param.type == "iri":
        if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
            raise QueryError(f"Parameter {param.name!r} needs an absolute IRI, not {value!r}.")
        return URIRef(value)
    if param.type == "string":
        return Literal(value)
    return Literal(value, lang="zh")


def parse_param(text: str) -> tuple[str, str]:
    """``key=value`` → (key, value)."""
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise QueryError(f"Bad --param {text!r}: write it as key=value, e.g. person=韩立军.")
    return key.strip(), value


def plain(term: Optional[Node]) -> str:
    """A term as a user reads it: a literal's text without quotes or language tag, an
    IRI with its percent-encoding undone (``…/Person/王根元@晋中市``); unbound is empty."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return unquote(str(term))
    return str(term)


def _width(text: str) -> int:
    """Display width: CJK characters take two terminal columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _table_rows(result: QueryResult) -> tuple[Sequence[str], list[list[str]]]:
    if result.boolean is not None:
        return ["ask"], [[str(result.boolean).lower()]]
    return list(result.vars), [[plain(cell) for cell in row] for row in result.rows]


def format_table(result: QueryResult) -> str:
    """An aligned text table with a header line, one row per solution."""
    header, rows = _table_rows(result)
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(header)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()

    out = [line(header), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in rows)
    return "\n".join(out) + "\n"


def format_csv(result: QueryResult) -> str:
    """CSV with a header row of variable names and plain-string values."""
    buffer = io.StringIO()
    write_csv(result, buffer)
    return buffer.getvalue()


def write_csv(result: QueryResult, out: IO[str]) -> None:
    """``format_csv`` written row by row as the answer comes."""
    writer = csv.writer(out, lineterminator="\n")
    if result.boolean is not None:
        writer.writerows([["ask"], [str(result.boolean).lower()]])
        return
    writer.writerow(result.vars)
    for row in result.rows:
        writer.writerow([plain(cell) for cell in row])


def _json_term(term: Node) -> dict[str, Any]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out: dict[str, Any] = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}


def format_json(result: QueryResult) -> str:
    """The SPARQL 1.1 Query Results JSON Format (W3C), UTF-8 text unescaped."""
    buffer = io.StringIO()
    write_json(result, buffer)
    return buffer.getvalue()


def write_json(result: QueryResult, out: IO[str]) -> None:
    """``format_json`` written binding by binding as the answer comes (one binding per
    line inside the results array)."""
    if result.boolean is not None:
        out.write(json.dumps({"head": {}, "boolean": result.boolean}, ensure_ascii=False, indent=2) + "\n")
        return
    out.write('{\n  "head": ' + json.dumps({"vars": list(result.vars)}, ensure_ascii=False)
              + ',\n  "results": {\n    "bindings": [')
    first = True
    for row in result.rows:
        binding = {var: _json_term(cell) for var, cell in zip(result.vars, row) if cell is not None}
        out.write(("\n      " if first else ",\n      ") + json.dumps(binding, ensure_ascii=False))
        first = False
    out.write("\n    ]\n  }\n}\n" if not first else "]\n  }\n}\n")


def write_table(result: QueryResult, out: IO[str]) -> None:
    out.write(format_table(result))  # column widths need every row first


FORMATTERS = {"table": format_table, "csv": format_csv, "json": format_json}
"""Output name → formatter, for ``kg query --format``."""
WRITERS = {"table": write_table, "csv": write_csv, "json": write_json}
"""Output name → a writer that streams rows to a file (``kg query``)."""

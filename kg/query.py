"""SPARQL over an exported graph, and the three ways to show the answer.

``run_sparql`` takes a file (or an rdflib graph already in memory), so ``kg query``
works on any export without rebuilding. A TriG or N-Quads file is loaded as a Dataset
whose default graph is the union of its named graphs: a plain query sees every
document's triples, and ``GRAPH ?g { … }`` still tells which document states them.
The ontology's prefixes (``kgo:``, ``skos:``, ``org:``, ``prov:`` …) are predeclared.

Results keep rdflib terms, so the JSON output can say which values are IRIs and which
are literals with a language; the table and CSV show each value as its plain string
(``主席``, not ``"主席"@zh``; IRIs decoded, ``…/Person/王根元``).
"""
from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence, Union
from urllib.parse import unquote

from pyparsing import ParseException
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.sparql import prepareQuery
from rdflib.term import Node

from .errors import QueryError
from .namespaces import PREFIXES

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
    rows: tuple[tuple[Optional[Node], ...], ...]
    boolean: Optional[bool] = None


def load_rdf(path: Union[str, Path]) -> Graph:
    """Parse an RDF file by its suffix; quad formats give a union-default Dataset."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise QueryError(
            f"Cannot tell the RDF format of {str(path)!r} from its suffix "
            f"{path.suffix!r}. Valid suffixes: {', '.join(FORMATS)}. Rename the file "
            f"or export it again with kg export."
        )
    if not path.is_file():
        raise QueryError(f"Graph file {str(path)!r} does not exist or is not a file. "
                         f"Give the path of a file written by kg build or kg export.")
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


def run_sparql(source: Union[str, Path, Graph], query: str) -> QueryResult:
    """Run a SPARQL query over an RDF file or an rdflib Graph/Dataset."""
    graph = source if isinstance(source, Graph) else load_rdf(source)
    try:
        prepared = prepareQuery(query, initNs=PREFIXES)
    except ParseException as err:
        raise QueryError(f"SPARQL syntax error: {err}. Query was:\n{query}") from err
    except Exception as err:
        # The algebra translation raises plain Exception (e.g. "Unknown namespace
        # prefix"); there is no narrower class to catch.
        raise QueryError(f"Cannot use SPARQL query: {err}. Query was:\n{query}") from err
    try:
        result = graph.query(prepared)
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


def plain(term: Optional[Node]) -> str:
    """A term as a user reads it: a literal's text without quotes or language tag, an
    IRI with its percent-encoding undone (``…/Person/王根元``); unbound is empty."""
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
    header, rows = _table_rows(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


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
    if result.boolean is not None:
        data: dict[str, Any] = {"head": {}, "boolean": result.boolean}
    else:
        bindings = [
            {var: _json_term(cell) for var, cell in zip(result.vars, row) if cell is not None}
            for row in result.rows
        ]
        data = {"head": {"vars": list(result.vars)}, "results": {"bindings": bindings}}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


FORMATTERS = {"table": format_table, "csv": format_csv, "json": format_json}
"""Output name → formatter, for ``kg query --format``."""

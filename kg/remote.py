"""A SPARQL server over HTTP: its addresses, the credentials it asks for, queries sent to
it, and its failures as one line each.

``kg push`` writes graphs through the SPARQL 1.1 Graph Store HTTP Protocol and ``kg query
--endpoint`` reads through the SPARQL 1.1 Protocol; both go through a
:class:`Connection`: a ``requests`` session (keep-alive, so thousands of small requests
reuse one connection) with the user's authentication (HTTP basic or digest, or a
bearer token) and a timeout.

A query is sent as the store would run it: IRIs of our namespaces percent-encoded
(:func:`kg.query.encode_iris`), our prefixes declared (a server predeclares none of
them), and the parameters of a saved query bound by a ``VALUES`` block at the top of the
WHERE clause, the SPARQL 1.1 form of the store's substitution, so no value is spliced
into the query text as text. The answer is read as it arrives, by pyoxigraph's parsers
(SPARQL results in JSON, XML, CSV/TSV; graphs in N-Triples, Turtle, RDF/XML …), into the
same rdflib terms a store gives, so ``--format`` writes the same table, CSV or JSON.

Every failure a user can meet (the server not running, a name that does not resolve, a
timeout, a refused login, the server's own error message on a 4xx or 5xx) becomes a
:class:`RemoteError` with one line that says what was asked of which address.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Iterator, Mapping, Optional
from urllib.parse import urlsplit, urlunsplit

from rdflib.term import Node

from .errors import ConfigError, KGError, QueryError, printable

RESULTS_ACCEPT = ("application/sparql-results+json, application/sparql-results+xml;q=0.9, "
                  "application/n-triples;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.7")
"""What ``kg query --endpoint`` accepts: results of a SELECT/ASK or the graph of a
CONSTRUCT/DESCRIBE (the client cannot tell which without parsing the query)."""

USER_AGENT = "kg-gov (https://w3id.org/kg-gov)"


class RemoteError(KGError):
    """A SPARQL server could not be reached, or refused or failed a request."""


# ------------------------------------------------------------------ addresses

def check_url(url: str, option: str) -> str:
    """``url`` if it is an absolute http(s) URL with a host (and a valid port); else a
    ConfigError naming the option."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError when out of range or not a number)
    except ValueError as err:
        raise ConfigError(f"{option} {printable(url)!r}: not a valid URL ({err})") from None
    if parts.scheme not in ("http", "https"):
        raise ConfigError(f"{option} {printable(url)!r}: give an http:// or https:// URL")
    if not parts.hostname:
        raise ConfigError(f"{option} {printable(url)!r}: no host in the URL")
    return url


@dataclass(frozen=True)
class ServerRule:
    """One row of ``kg/resources/graph_stores.toml``."""

    name: str
    example: str
    endpoint: re.Pattern
    graph_store: str


@lru_cache(maxsize=1)
def server_rules() -> tuple[ServerRule, ...]:
    """The rules that find a server's graph store from its query endpoint."""
    import sys

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    data = tomllib.loads(files("kg.resources").joinpath("graph_stores.toml").read_text(encoding="utf-8"))
    return tuple(ServerRule(r["name"], r["example"], re.compile(r["endpoint"]), r["graph_store"])
                 for r in data["server"])


def graph_store_url(endpoint: str) -> str:
    """The Graph Store Protocol URL of the server whose query endpoint is ``endpoint``
    (``http://host:7878/query`` → ``http://host:7878/store``), by the first rule of
    ``graph_stores.toml`` that matches its path; ConfigError when none does."""
    parts = urlsplit(endpoint)
    for rule in server_rules():
        match = rule.endpoint.fullmatch(parts.path)
        if match:
            return urlunsplit(parts._replace(path=match.expand(rule.graph_store), query="", fragment=""))
    known = "; ".join(f"{r.name} {r.example}" for r in server_rules())
    raise ConfigError(f"cannot tell the graph store URL of {printable(endpoint)!r} from its path "
                      f"(known: {known}); give it with --graph-store URL")


# ------------------------------------------------------------------ connection

@dataclass(frozen=True)
class Credentials:
    """How to authenticate: HTTP basic (or digest) with user and password, or a bearer
    token; nothing when all are None."""

    user: Optional[str] = None
    password: Optional[str] = None
    token: Optional[str] = None
    digest: bool = False


class Connection:
    """A keep-alive HTTP session to one server, with credentials and a timeout (seconds
    to connect, and seconds without a byte of the answer)."""

    def __init__(self, credentials: Credentials = Credentials(), timeout: float = 60.0) -> None:
        import requests
        from requests.auth import HTTPBasicAuth, HTTPDigestAuth

        self.timeout = (min(timeout, 10.0), timeout)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT
        if credentials.token:
            self.session.headers["Authorization"] = f"Bearer {credentials.token}"
        elif credentials.user is not None:
            scheme = HTTPDigestAuth if credentials.digest else HTTPBasicAuth
            self.session.auth = scheme(credentials.user, credentials.password or "")
        self.authenticated = bool(credentials.token or credentials.user is not None)

    def request(self, method: str, url: str, what: str, **kwargs):
        """The response to a request, or a RemoteError that says ``what`` was asked of
        which address and why it failed (connection, timeout, or the server's status
        and message)."""
        import requests

        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            raise RemoteError(f"{what}: no answer from {_site(url)} within {self.timeout[1]:g} s "
                              "(--timeout)") from None
        except requests.RequestException as err:
            raise RemoteError(f"{what}: cannot reach {_site(url)}: {_reason(err)}") from None
        if response.status_code >= 400:
            message = _server_message(response)
            response.close()
            raise RemoteError(f"{what}: {url_without_query(url)} answered HTTP {response.status_code} "
                              f"{response.reason or ''}".rstrip() + (f": {message}" if message else "")
                              + self._hint(response.status_code))
        return response

    def _hint(self, status: int) -> str:
        if status == 401:
            return (" (check --user and the password in $KG_SPARQL_PASSWORD, or --token)" if self.authenticated
                    else " (the server asks for a login: --user NAME with $KG_SPARQL_PASSWORD, or --token)")
        if status == 404:
            return " (check the URL)"
        return ""

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "Connection":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def url_without_query(url: str) -> str:
    return printable(urlunsplit(urlsplit(url)._replace(query="", fragment="")))


def _site(url: str) -> str:
    parts = urlsplit(url)
    return printable(f"{parts.scheme}://{parts.netloc}")


def _reason(err: BaseException) -> str:
    """The innermost operating-system reason of a requests error (``connection
    refused``, ``name or service not known``), else requests' own message."""
    seen, todo = set(), [err]
    while todo:
        cause = todo.pop()
        if cause is None or id(cause) in seen:
            continue
        seen.add(id(cause))
        strerror = getattr(cause, "strerror", None)
        if isinstance(cause, OSError) and strerror and not type(cause).__module__.startswith(("requests", "urllib3")):
            return strerror[0].lower() + strerror[1:]
        todo += [getattr(cause, "reason", None), cause.__cause__, cause.__context__]
        todo += [a for a in getattr(cause, "args", ()) if isinstance(a, BaseException)]
    return printable(str(err))


def _server_message(response, limit: int = 300) -> str:
    """The server's explanation of an error status, as one line of text (the text of an
    HTML error page, without its markup)."""
    try:
        body = response.content[:65536]
    except Exception:  # noqa: BLE001 (the connection broke while reading the error page)
        return ""
    text = body.decode(response.encoding or "utf-8", errors="replace")
    if "html" in response.headers.get("Content-Type", "") or text.lstrip()[:1] == "<":
        text = _html_text(text)
    text = " ".join(text.split())
    return printable(text if len(text) <= limit else text[:limit] + " …")


def _html_text(page: str) -> str:
    """The text of an HTML error page (Virtuoso's, a proxy's): what a browser would
    show, without markup, scripts and styles (the standard library's parser, which
    takes any markup without raising)."""
    from html.parser import HTMLParser

    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.parts: list[str] = []
            self.hidden = 0

        def handle_starttag(self, tag, attrs) -> None:
            self.hidden += tag in ("script", "style", "head")

        def handle_endtag(self, tag) -> None:
            self.hidden -= tag in ("script", "style", "head") and self.hidden > 0
            self.parts.append(" ")

        def handle_data(self, data) -> None:
            if not self.hidden:
                self.parts.append(data)

    parser = Text()
    parser.feed(page)
    parser.close()
    return "".join(parser.parts)


# ------------------------------------------------------------------ queries

def with_prefixes(query: str) -> str:
    """``query`` with a PREFIX line for each of our prefixes it uses and does not declare
    (the store predeclares them; a remote server does not)."""
    from .namespaces import PREFIXES
    from .sparql_errors import sparql_tokens

    declared = {m.group(1) for m in re.finditer(r"PREFIX\s+([\w.-]*):", query, re.I)}
    used = {text.split(":", 1)[0] for kind, text, _ in sparql_tokens(query)
            if kind == "word" and ":" in text and text[0] not in "?$"}
    lines = [f"PREFIX {p}: <{ns}>" for p, ns in PREFIXES.items() if p in used and p not in declared]
    return "\n".join(lines + [query]) if lines else query


def with_values(query: str, bindings: Mapping[str, Node]) -> str:
    """``query`` with ``bindings`` as a one-row ``VALUES`` block opening its WHERE clause,
    so each bound variable holds its term throughout the query (as the store's
    substitution does), aggregates and HAVING included."""
    if not bindings:
        return query
    from .sparql_errors import sparql_tokens

    depth, after_where, first_brace, at = 0, False, None, None
    for kind, text, start in sparql_tokens(query):
        if kind != "word":
            continue
        if text == "{":
            if depth == 0 and after_where:
                at = start
                break
            if depth == 0 and first_brace is None:
                first_brace = start
            depth += 1
        elif text == "}":
            depth -= 1
        elif depth == 0 and text.upper() == "WHERE":
            after_where = True
    if at is None:
        # ``SELECT * { … }`` and ``ASK { … }`` may leave out the keyword WHERE; a
        # CONSTRUCT's first group is its template
        if first_brace is None or re.search(r"\bCONSTRUCT\b", query[:first_brace], re.I):
            raise QueryError("cannot bind parameters into this query: it has no WHERE clause")
        at = first_brace
    names = " ".join(f"?{name}" for name in bindings)
    terms = " ".join(term.n3() for term in bindings.values())
    return f"{query[:at + 1]} VALUES ({names}) {{ ({terms}) }}{query[at + 1:]}"


_ERROR_AT = re.compile(r"(error at )(\d+):")
"""Where Oxigraph's server puts the line of a syntax error."""


def remote_query(connection: Connection, endpoint: str, query: str,
                 bindings: Optional[Mapping[str, Node]] = None, default_graph: Optional[str] = None):
    """Run ``query`` on the SPARQL endpoint; a :class:`kg.query.QueryResult` whose rows
    are read from the answer as it arrives (the answer stays open until they are)."""
    import pyoxigraph as ox

    from .query import QueryResult, encode_iris

    query = encode_iris(query)
    text = with_values(with_prefixes(query), bindings or {})
    form = {"query": text}
    if default_graph:
        form["default-graph-uri"] = default_graph
    try:
        response = connection.request("POST", endpoint, "query", data=form, stream=True,
                                      headers={"Accept": RESULTS_ACCEPT})
    except RemoteError as err:
        # a syntax error's line as the user wrote it, not counting the PREFIX lines added
        added = text.count("\n") - query.count("\n")
        raise RemoteError(_ERROR_AT.sub(lambda m: f"{m.group(1)}{max(int(m.group(2)) - added, 1)}:",
                                        str(err))) from None
    media = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    response.raw.decode_content = True  # gzip and deflate undone as read
    results_format = ox.QueryResultsFormat.from_media_type(media) if media else None
    try:
        if results_format is not None:
            answer = ox.parse_query_results(response.raw, format=results_format)
            if isinstance(answer, ox.QueryBoolean):
                response.close()
                return QueryResult(vars=(), rows=(), boolean=bool(answer))
            names = tuple(v.value for v in answer.variables)
            return QueryResult(vars=names, rows=_solutions(answer, names, response, endpoint))
        graph_format = ox.RdfFormat.from_media_type(media) if media else None
        if graph_format is None:
            response.close()
            raise QueryError(f"query: {url_without_query(endpoint)} answered with {media or 'no Content-Type'}, "
                             "not SPARQL results or RDF")
        triples = ox.parse(response.raw, format=graph_format)
        return QueryResult(vars=("subject", "predicate", "object"), rows=_triples(triples, response, endpoint))
    except (SyntaxError, OSError, ValueError) as err:
        response.close()
        raise QueryError(f"query: the answer of {url_without_query(endpoint)} cannot be read: {err}") from None


def _solutions(answer, names, response, endpoint) -> Iterator[tuple]:
    from .store import from_ox

    try:
        for solution in answer:
            yield tuple(from_ox(solution[name]) for name in names)
    except (SyntaxError, OSError, ValueError) as err:
        raise QueryError(f"query: the answer of {url_without_query(endpoint)} broke off: {err}") from None
    finally:
        response.close()


def _triples(triples, response, endpoint) -> Iterator[tuple]:
    from .store import from_ox

    try:
        for t in triples:
            yield from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)
    except (SyntaxError, OSError, ValueError) as err:
        raise QueryError(f"query: the answer of {url_without_query(endpoint)} broke off: {err}") from None
    finally:
        response.close()

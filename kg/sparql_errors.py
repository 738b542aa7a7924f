"""SPARQL syntax errors a user can act on.

Oxigraph reports a syntax error as ``error at LINE:COLUMN: expected …``, where the
expected list may be a grammar's worth of Unicode ranges (an unknown prefix) or a
keyword that only fits one reading (``SELEC ?x`` → "expected CONSTRUCT"). This module
turns that into the line with a caret under the column and a plain reason: an unknown
prefix with the prefixes that are known, a query that does not start with a query form,
or the expected words without the character ranges. Its tokenizer also lets the
endpoint find SERVICE clauses (``kg.endpoint.service_targets``).
"""
from __future__ import annotations

import re
from typing import Iterable

# SPARQL's lexical tokens, enough to tell the keyword SERVICE from the same letters in a
# comment, a string, an IRI or a prefixed name (ex:SERVICE)
_TOKEN = re.compile(r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
        |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<word>[A-Za-z_][\w.-]*(?::[\w.%-]*)?|:[\w.%-]*|[?$]\w+|\S)
''', re.VERBOSE)


def sparql_tokens(query: str):
    """(kind, text, offset) of each token: comment, string, iri or word."""
    for m in _TOKEN.finditer(query):
        yield m.lastgroup, m.group(), m.start()


def undeclared_prefix(query: str, prefixes: Iterable[str] = ()) -> tuple[str, int] | None:
    """The first prefixed name whose prefix neither the query nor ``prefixes`` declares:
    (prefix, offset)."""
    known = set(prefixes) | {m.group(1) for m in re.finditer(r"PREFIX\s+([\w.-]*):", query, re.I)}
    for kind, text, start in sparql_tokens(query):
        prefix = text.split(":", 1)[0]
        if kind == "word" and ":" in text and text[0] not in "?$" and prefix != "_" and prefix not in known:
            return prefix, start
    return None


_AT = re.compile(r"error at (\d+):(\d+):\s*(.*)", re.S)
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


def explain(query: str, message: str, prefixes: Iterable[str] = ()) -> str:
    """A short explanation of Oxigraph's syntax error ``message`` for ``query``;
    ``prefixes`` are the ones predeclared for every query."""
    unknown = undeclared_prefix(query, prefixes)
    if unknown is not None:  # Oxigraph may report it as something else further on
        name, offset = unknown
        line_no = query.count("\n", 0, offset) + 1
        message = f"error at {line_no}:{offset - (query.rfind(chr(10), 0, offset) + 1)}: Prefix not found"
    found = _AT.match(message.strip())
    if not found:
        return f"SPARQL syntax error: {message}"
    line_no, col_no, expected = int(found.group(1)), int(found.group(2)), found.group(3)
    lines = query.split("\n")
    line = lines[line_no - 1] if 0 < line_no <= len(lines) else ""
    column = min(max(col_no, 0), len(line))  # Oxigraph counts characters from 0
    if "Prefix not found" in expected:
        name = (unknown[0] if unknown else "") + ":"
        known = sorted(set(prefixes) | set(re.findall(r"PREFIX\s+([\w.-]*):", query, re.I)))
        reason = (f"unknown prefix {name!r}; declare it (PREFIX {name} <…>) or use one of: "
                  + ", ".join(p + ":" for p in known))
    elif not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", query, re.I) or \
            re.fullmatch(r"(?:CONSTRUCT|ASK|DESCRIBE|SELECT)", expected.strip()):
        reason = "a query starts (after PREFIX and BASE lines) with " + ", ".join(_FORMS)
    else:
        expected = re.sub(r"^expected(?: one of)?\s*", "", expected.strip())
        words = [w.strip() for w in re.split(r",\s*(?![^\[]*\])", expected)]
        words = [w for w in words if w and "\\u{" not in w and "..=" not in w]
        reason = "expected " + ", ".join(words[:12]) if words else "unexpected text here"
    caret = " " * column + "^"
    return f"SPARQL syntax error at line {line_no}, column {column + 1}: {reason}\n  {line}\n  {caret}"

"""HTML pages through trafilatura: the main text of the page, without menus, headers,
footers, link lists and comments. Where trafilatura finds no main text (a very short
page) its baseline extractor (all paragraph text) is used instead. Both parse with
lxml, which stops at 256 levels of nesting; a page nested deeper (or one they find no
text in for another reason) is read with the standard library's HTML parser, which
keeps no tree: all text outside scripts, styles and the head, a line per block."""
from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..types import RawDoc
from . import ReadOptions, check_text, doc_meta, read_bytes
from .encoding import decode

log = logging.getLogger(__name__)

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)


def decode_html(data: bytes, path: Path) -> str:
    """The page's text: the charset its ``<meta>`` declares, else detection."""
    match = _CHARSET.search(data[:4096])
    if match:
        name = match.group(1).decode("ascii").lower()
        if name in ("gbk", "gb2312", "gb_2312-80", "x-gbk"):
            name = "gb18030"
        try:
            codecs.lookup(name)
            return data.decode(name)
        except (LookupError, UnicodeDecodeError):
            log.warning("%s: declares charset %r but is not in it; detecting the encoding", path, name)
    return decode(data, path)[0]


def read_html(path: Path, options: ReadOptions) -> Iterator[RawDoc]:
    data = read_bytes(path, options)
    if not data.strip():
        raise InputError(f"{path}: empty file")
    page = decode_html(data, path)
    text, title, date = main_text(page)
    check_text(path, text, "page")
    yield RawDoc(doc_id=path.name, path=str(path), text=text, meta=doc_meta(path, "html", title=title, date=date))


def main_text(page: str) -> tuple[str, str | None, str | None]:
    """(main text, title, date) of an HTML page."""
    import trafilatura

    doc = trafilatura.bare_extraction(page, include_comments=False, include_tables=True, include_links=False,
                                      favor_recall=True, with_metadata=True, deduplicate=False)
    text = (doc.text if doc is not None else "") or ""
    title = doc.title if doc is not None else None
    date = doc.date if doc is not None else None
    if not text.strip():
        _, text, _ = trafilatura.baseline(page)
    if not text.strip():
        text = flat_text(page)
    # trafilatura separates paragraphs with one line break; a blank line keeps them apart
    # for cleaning, which joins single line breaks inside Chinese sentences
    text = "\n\n".join(line.strip() for line in text.splitlines() if line.strip())
    return text, title, date


#: Elements whose text is not page text.
_SKIP = frozenset({"script", "style", "head", "title", "noscript", "template", "svg", "math", "iframe", "object"})
#: Elements that end a line of text.
_BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
                     "table", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre", "header", "footer", "td", "th",
                     "main", "aside", "nav", "form", "hr", "center"})


def flat_text(page: str) -> str:
    """All text of a page outside scripts, styles and the head, one line per block
    element, from an event parser that keeps no tree (so no limit on nesting)."""
    from html.parser import HTMLParser

    parts: list[str] = []
    skipping = [0]

    class Flat(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in _SKIP:
                skipping[0] += 1
            elif tag in _BLOCKS:
                parts.append("\n")

        def handle_startendtag(self, tag, attrs):
            if tag in _BLOCKS:
                parts.append("\n")

        def handle_endtag(self, tag):
            if tag in _SKIP:
                skipping[0] = max(0, skipping[0] - 1)
            elif tag in _BLOCKS:
                parts.append("\n")

        def handle_data(self, data):
            if not skipping[0]:
                parts.append(data)

    parser = Flat(convert_charrefs=True)
    parser.feed(page)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parts).splitlines())
    return "\n".join(line for line in lines if line)

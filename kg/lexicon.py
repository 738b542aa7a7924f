"""The only module that opens the data files in ``kg/resources``.

Loaders are memoised and return immutable values. A bad row raises a ResourceError
that names the file and line, so a user editing a list knows what to fix.
"""
from __future__ import annotations

import gzip
import io
from functools import lru_cache
from importlib import resources
from typing import Iterator

from .errors import ResourceError

PACKAGE = "kg.resources"


def resource_path(relpath: str):
    """A Traversable for a file under ``kg/resources`` (e.g. ``titles/titles.txt``)."""
    path = resources.files(PACKAGE).joinpath(relpath)
    if not path.is_file():
        raise ResourceError(
            f"Resource file {relpath!r} is missing from kg/resources. "
            "Reinstall the package, or restore the file from the repository."
        )
    return path


def open_text(relpath: str) -> io.TextIOBase:
    """Open a resource as UTF-8 text; ``.gz`` files are decompressed on the fly."""
    path = resource_path(relpath)
    raw = path.open("rb")
    if relpath.endswith(".gz"):
        raw = gzip.GzipFile(fileobj=raw)
    return io.TextIOWrapper(raw, encoding="utf-8")


def iter_lines(relpath: str) -> Iterator[tuple[int, str]]:
    """(line number, text) for each non-blank line that is not a ``#`` comment."""
    with open_text(relpath) as handle:
        for lineno, line in enumerate(handle, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            yield lineno, line


def iter_tsv(relpath: str, min_fields: int = 1, max_fields: int | None = None) -> Iterator[tuple[int, list[str]]]:
    """(line number, fields) per row of a tab-separated resource, checking the width."""
    for lineno, line in iter_lines(relpath):
        fields = line.split("\t")
        if len(fields) < min_fields or (max_fields is not None and len(fields) > max_fields):
            want = f"{min_fields}" if max_fields == min_fields else f"{min_fields}..{max_fields or 'n'}"
            raise ResourceError(
                f"{relpath}:{lineno}: expected {want} tab-separated fields, found {len(fields)}: {line!r}. "
                "Fix the row (fields are separated by one tab)."
            )
        yield lineno, fields


@lru_cache(maxsize=None)
def load_word_list(relpath: str) -> frozenset[str]:
    """A set of words, one per line (``#`` comments allowed)."""
    return frozenset(line.strip() for _, line in iter_lines(relpath))


@lru_cache(maxsize=1)
def common_words(min_freq: int = 100) -> frozenset[str]:
    """Common words of jieba 0.42.1's dictionary (its ``dict.txt``): words of two or
    more characters with frequency >= ``min_freq`` that are not tagged as names
    (nr, ns, nt, nz). Rules use it to reject spans that are ordinary words (关于 is
    not a name, 公立 is not a proper name of a hospital)."""
    path = resources.files("jieba").joinpath("dict.txt")
    words = set()
    with path.open("r", encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) < 3 or len(parts[0]) < 2:
                continue
            word, freq, tag = parts[0], parts[1], parts[2]
            if tag.startswith(("nr", "ns", "nt", "nz")):
                continue
            if int(freq) >= min_freq:
                words.add(word)
    return frozenset(words)


@lru_cache(maxsize=1)
def verbs() -> frozenset[str]:
    """Words of two to four characters that jieba 0.42.1's dictionary tags as verbs
    (v, vn excluded): a cheap test for "the word before this is a verb"."""
    path = resources.files("jieba").joinpath("dict.txt")
    out = set()
    with path.open("r", encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 3 and parts[2] == "v" and 2 <= len(parts[0]) <= 4:
                out.add(parts[0])
    return frozenset(out)


@lru_cache(maxsize=1)
def radical_ideographs() -> dict[str, str]:
    """CJK radicals (Kangxi Radicals and CJK Radicals Supplement, U+2E80-U+2FDF) to
    the unified ideographs they look like (⻓ -> 长, ⺠ -> 民), from the Unicode
    Character Database's ``EquivalentUnifiedIdeograph.txt`` (``unicode/``; source in
    SOURCES.md). PDF text layers (Chromium's print to PDF among them) write radicals
    where the text has ideographs; NFKC maps the Kangxi block and two of the others."""
    relpath = "unicode/EquivalentUnifiedIdeograph.txt"
    out: dict[str, str] = {}
    for lineno, line in iter_lines(relpath):
        source, _, target = line.split("#", 1)[0].partition(";")
        try:
            first, _, last = source.strip().partition("..")
            codes = range(int(first, 16), int(last or first, 16) + 1)
            ideograph = chr(int(target.strip(), 16))
        except ValueError:
            raise ResourceError(f"{relpath}:{lineno}: expected 'CODE[..CODE] ; CODE', found {line!r}") from None
        out.update((chr(code), ideograph) for code in codes if 0x2E80 <= code <= 0x2FDF)
    return out

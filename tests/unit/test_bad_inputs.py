"""One bad file never sinks a build (issue 16, items 1-4 and 9).

Every bad file here is made by the test itself and built among good files: the good
files must still build, the bad one is skipped with one line that says why, and the
exit status is 1. Bomb limits are tested with a small ``--max-bytes`` so the tests
stay fast and small in memory.
"""
from __future__ import annotations

import json
import logging
import os
import re
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pytest

from kg.cli import main
from kg.clean import clean
from kg.errors import InputError, QueryError
from kg.read import read_doc, read_docs
from kg.types import RawDoc

from _files import TEXT, write_docx, write_pdf, write_pdf_objects

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
GOOD_TEXT = "副市长窦文华出席会议并讲话。"
SECRET = "THE-SECRET-IN-A-LOCAL-FILE"


# --- bad files, made here ----------------------------------------------------------

def _rewrite_docx(src: Path, dst: Path, document_xml: bytes) -> Path:
    """``src`` with its word/document.xml replaced."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = document_xml if info.filename == "word/document.xml" else zin.read(info.filename)
            zout.writestr(info.filename, data)
    return dst


def _body(paragraph: str) -> str:
    return (f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>{paragraph}</w:t></w:r></w:p>'
            f"<w:p><w:r><w:t>{GOOD_TEXT}</w:t></w:r></w:p></w:body></w:document>")


def damaged_docx(good: Path, dst: Path) -> Path:
    xml = _body("晋中市总工会召开会议。").encode()
    return _rewrite_docx(good, dst, xml[: len(xml) // 2])


def laughs_docx(good: Path, dst: Path) -> Path:
    """Billion laughs: ten levels of entities, each ten of the one below."""
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10))
    xml = f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>' + _body("&a9;")
    return _rewrite_docx(good, dst, xml.encode())


def xxe_docx(good: Path, dst: Path, secret_file: Path) -> Path:
    xml = f'<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret_file.as_uri()}">]>' + _body("&xxe;")
    return _rewrite_docx(good, dst, xml.encode())


def empty_paragraphs_docx(good: Path, dst: Path, expanded: int) -> Path:
    """A small .docx whose document.xml unpacks to ``expanded`` bytes of empty
    paragraphs (written in pieces: the test never holds them)."""
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zout:
        for info in zin.infolist():
            if info.filename != "word/document.xml":
                zout.writestr(info.filename, zin.read(info.filename))
                continue
            with zout.open("word/document.xml", "w", force_zip64=True) as out:
                out.write(f'<w:document xmlns:w="{W}"><w:body>'.encode())
                piece = b"<w:p/>" * (1 << 14)
                for _ in range(expanded // len(piece) + 1):
                    out.write(piece)
                out.write(f"<w:p><w:r><w:t>{GOOD_TEXT}</w:t></w:r></w:p></w:body></w:document>".encode())
    return dst


def flate_bomb_pdf(path: Path, expanded: int) -> Path:
    """A one-page PDF whose content stream inflates to ``expanded`` bytes of spaces
    (compressed in pieces: the test never holds them)."""
    squeeze = zlib.compressobj(9)
    piece = b" " * (1 << 20)
    bomb = b"".join(squeeze.compress(piece) for _ in range(expanded // len(piece))) + squeeze.flush()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /ProcSet [/PDF /Text] >> "
               b"/Contents 4 0 R >>",
               b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb) + bomb + b"\nendstream"]
    return write_pdf_objects(path, objects)


def deep_html(path: Path, depth: int = 10_000) -> Path:
    path.write_text("<html><body>" + "<div>" * depth + f"<p>晋中市总工会召开全委会议。{GOOD_TEXT}</p>"
                    + "</div>" * depth + "</body></html>", encoding="utf-8")
    return path


# --- one build of good and bad files together ---------------------------------------

LIMIT = "2M"  # the good .docx (python-docx's template) unpacks to about 0.8 MB


@pytest.fixture(scope="module")
def bad_build(tmp_path_factory):
    """Build a folder of three good documents and every kind of bad file in one run;
    (exit status, stdout, stderr, exports folder)."""
    import contextlib
    import io

    root = tmp_path_factory.mktemp("bad")
    docs = root / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text(TEXT, encoding="utf-8")
    good = write_docx(docs / "good.docx", ["晋中市总工会召开全委会议", GOOD_TEXT])
    write_pdf(docs / "radicals.pdf", [["⻓治市⼈⺠政府召开会议。"]])
    damaged_docx(good, docs / "damaged.docx")
    laughs_docx(good, docs / "laughs.docx")
    secret = root / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    xxe_docx(good, docs / "xxe.docx", secret)
    empty_paragraphs_docx(good, docs / "bomb.docx", 4 << 20)
    flate_bomb_pdf(docs / "bomb.pdf", 80 << 20)  # past pypdf's own 75 MB limit too
    (docs / "corpus.jsonl").write_text(
        json.dumps({"id": "line1", "text": "长治市人民政府召开会议。"}, ensure_ascii=False) + "\n"
        + "[" * 200_000 + "]" * 200_000 + "\n"
        + '{"id": "big", "text": "会议。", "n": ' + "9" * 5000 + "}\n"
        + '{"id": "\\udcff", "text": "会议。"}\n', encoding="utf-8")
    deep_html(docs / "deep.html")
    with open(os.path.join(os.fsencode(docs), b"gbk-\xd5\xfe\xb8\xae.txt"), "wb") as handle:  # 政府 in GBK
        handle.write(TEXT.encode("utf-8"))
    with open(os.path.join(os.fsencode(docs), b"evil\nskipped: fake\x1b[31m.txt"), "wb") as handle:
        handle.write(b"")
    out = root / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        status = main(["build", str(docs), "-o", str(out), "--max-bytes", LIMIT, "--jobs", "1"])
    return status, stdout.getvalue(), stderr.getvalue(), out


def _skipped(stderr: str, name: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("skipped: ") and name in line]


def _labels(out: Path) -> set[str]:
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    return {node.get("label", "") for node in graph["nodes"]}


def test_good_files_build_among_bad_ones(bad_build):
    status, stdout, stderr, out = bad_build
    assert status == 1
    assert "Traceback" not in stderr
    # good.txt, good.docx, radicals.pdf, deep.html and the first line of corpus.jsonl
    assert "documents: 5 built, 10 skipped" in stdout
    assert (out / "graph.ttl").exists()
    assert "晋中市总工会" in _labels(out)


@pytest.mark.parametrize("name, why", [
    ("damaged.docx", "not a readable .docx (truncated or damaged"),
    ("laughs.docx", "not a readable .docx"),
    ("xxe.docx", "declares a DTD with entities"),
])
def test_bad_docx_xml_is_one_line(bad_build, name, why):
    stderr = bad_build[2]
    lines = _skipped(stderr, name)
    assert len(lines) == 1 and why in lines[0], (lines, stderr)


def test_xxe_entity_is_never_resolved(bad_build):
    status, stdout, stderr, out = bad_build
    assert SECRET not in stdout + stderr
    assert all(SECRET not in path.read_text(encoding="utf-8") for path in out.iterdir())


def test_flate_bomb_pdf_is_one_line(bad_build):
    lines = _skipped(bad_build[2], "bomb.pdf")
    assert len(lines) == 1 and "unpacks past the size limit of 2.0 MB" in lines[0], lines


@pytest.mark.parametrize("line, why", [
    (2, "nested too deeply"),
    (3, "not readable JSON (Exceeds the limit (4300 digits)"),
    (4, "holds a lone surrogate"),
])
def test_bad_jsonl_lines_are_one_line_each(bad_build, line, why):
    lines = _skipped(bad_build[2], f"corpus.jsonl:{line}:")
    assert len(lines) == 1 and why in lines[0], lines


def test_file_name_not_utf8_is_skipped_and_printed_escaped(bad_build):
    status, stdout, stderr, out = bad_build
    lines = _skipped(stderr, "gbk-")
    assert len(lines) == 1 and "gbk-\\xd5\\xfe\\xb8\\xae.txt: the file name is not UTF-8" in lines[0], lines
    assert "gbk-\\xd5\\xfe\\xb8\\xae.txt" in stdout  # the summary's list of skipped files


def test_names_with_line_breaks_and_escapes_cannot_fake_lines(bad_build):
    status, stdout, stderr, out = bad_build
    assert "\x1b" not in stdout + stderr
    assert not any(line.startswith("skipped: fake") for line in stderr.splitlines())
    lines = _skipped(stderr, "evil\\nskipped: fake\\x1b[31m.txt")
    assert len(lines) == 1 and lines[0].endswith(": empty file"), stderr


def test_printable_escapes_controls_and_undecodable_bytes():
    from kg.errors import printable

    assert printable("a\nb\x1b[31m\u202e") == "a\\nb\\x1b[31m\\u202e"
    assert printable(os.fsdecode(b"\xff")) == "\\xff"
    assert printable("晋中市　总工会.txt") == "晋中市　总工会.txt"


# --- 2. decompression bombs ----------------------------------------------------------

def test_docx_bomb_is_held_to_the_limit_unpacked(bad_build):
    lines = _skipped(bad_build[2], "bomb.docx")
    assert len(lines) == 1 and re.search(r"bomb.docx: unpacks to 4\.\d MB, over the size limit of 2.0 MB", lines[0]), lines


def test_docx_bomb_is_not_unpacked(tmp_path):
    good = write_docx(tmp_path / "good.docx", ["标题", GOOD_TEXT])
    bomb = empty_paragraphs_docx(good, tmp_path / "bomb.docx", 16 << 20)
    from kg.formats import ReadOptions

    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"unpacks to 16\.\d MB"):
            read_doc(bomb, ReadOptions(max_bytes=2 << 20))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, peak


def test_jsonl_line_over_the_limit_is_never_held(tmp_path):
    from kg.formats import ReadOptions

    corpus = tmp_path / "corpus.jsonl"
    with open(corpus, "wb") as handle:
        handle.write(b'{"text": "' + "会".encode() * 10 + b'"}\n')
        handle.write(b'{"text": "')
        for _ in range(16):
            handle.write(b"x" * (1 << 20))
        handle.write(b'"}\n{"text": "' + GOOD_TEXT.encode() + b'"}\n')
    tracemalloc.start()
    try:
        items = list(read_docs(corpus, ReadOptions(max_bytes=64 << 10)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [type(i).__name__ for i in items] == ["RawDoc", "InputError", "RawDoc"]
    assert "corpus.jsonl:2: line of 16.0 MB is over the size limit of 65536 bytes" in str(items[1])
    assert peak < 4 << 20, peak


def test_progress_count_of_a_jsonl_does_not_hold_a_huge_line(tmp_path):
    from kg.formats.jsonl import count_lines

    corpus = tmp_path / "corpus.jsonl"
    with open(corpus, "wb") as handle:
        handle.write(b"{}\n   \n")
        for _ in range(8):
            handle.write(b"x" * (1 << 20))
        handle.write(b"\n{}")
    tracemalloc.start()
    try:
        assert count_lines(corpus) == 3
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, peak


# --- 3. unreadable folders -----------------------------------------------------------

def _deny(monkeypatch, locked: Path) -> None:
    """os.scandir fails on ``locked`` as it does without read permission (also for
    root, who may read any folder)."""
    real = os.scandir

    def scandir(path="."):
        if os.fspath(path) == os.fspath(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def test_unreadable_folder_is_named_and_exit_1(tmp_path, monkeypatch, capsys):
    docs = tmp_path / "docs"
    (docs / "locked").mkdir(parents=True)
    (docs / "locked" / "inside.txt").write_text(TEXT, encoding="utf-8")
    (docs / "good.txt").write_text(TEXT, encoding="utf-8")
    _deny(monkeypatch, docs / "locked")
    status = main(["build", str(docs), "-o", str(tmp_path / "out"), "--jobs", "1"])
    captured = capsys.readouterr()
    assert status == 1
    lines = _skipped(captured.err, "locked")
    assert len(lines) == 1 and "locked: cannot read the folder: Permission denied" in lines[0], captured.err
    assert "documents: 1 built, 1 skipped (locked)" in captured.out


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any folder")
def test_unreadable_folder_for_real(tmp_path, capsys):
    docs = tmp_path / "docs"
    (docs / "locked").mkdir(parents=True)
    (docs / "good.txt").write_text(TEXT, encoding="utf-8")
    (docs / "locked").chmod(0)
    try:
        assert main(["build", str(docs), "-o", str(tmp_path / "out"), "--jobs", "1"]) == 1
    finally:
        (docs / "locked").chmod(0o755)
    assert _skipped(capsys.readouterr().err, "locked: cannot read the folder")


def test_hidden_folders_and_links_to_folders_are_not_entered(tmp_path):
    from kg.read import iter_paths

    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "y.md").write_text(TEXT, encoding="utf-8")
    (tmp_path / "z.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in iter_paths([tmp_path])] == ["a/b/y.md", "z.txt"]


# --- 4. deeply nested HTML -------------------------------------------------------------

def test_deeply_nested_html_page_has_its_text(bad_build, tmp_path):
    assert not _skipped(bad_build[2], "deep.html")
    assert GOOD_TEXT in read_doc(deep_html(tmp_path / "deep.html")).text


def test_flat_html_text_leaves_scripts_out():
    from kg.formats.html import flat_text

    page = "<html><head><title>t</title><style>p{}</style></head><body><div><p>甲。</p><script>x=1</script>乙</div>"
    assert flat_text(page) == "甲。\n乙"


# --- 9. option values, messages, PDF text -----------------------------------------------

@pytest.mark.parametrize("value", ["infK", "nanM", "1e400K", "-1"])
def test_max_bytes_out_of_range_is_a_usage_error(value, capsys):
    assert main(["build", "x", "-o", "y", f"--max-bytes={value}"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("kg build: error: argument --max-bytes:")


def _no_extraction(monkeypatch):
    import kg.pipeline

    def stream(*args, **kwargs):
        raise AssertionError("extraction started before the options were checked")

    monkeypatch.setattr(kg.pipeline, "stream", stream)


def test_output_that_is_a_file_is_a_usage_error_before_extraction(tmp_path, monkeypatch, capsys):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    taken = tmp_path / "exports"
    taken.write_text("not a folder", encoding="utf-8")
    _no_extraction(monkeypatch)
    for output in (taken, taken / "sub"):
        assert main(["build", str(tmp_path / "good.txt"), "-o", str(output)]) == 2
        err = capsys.readouterr().err
        assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
        assert "kg build: error: -o/--output" in err
    assert taken.read_text(encoding="utf-8") == "not a folder"


def test_extract_output_that_is_a_file_is_a_usage_error(tmp_path, monkeypatch, capsys):
    taken = tmp_path / "exports"
    taken.write_text("", encoding="utf-8")
    _no_extraction(monkeypatch)
    assert main(["extract", str(tmp_path), "-o", str(taken)]) == 2
    assert "exists and is not a folder" in capsys.readouterr().err


def test_bad_formats_is_a_usage_error(tmp_path, monkeypatch, capsys):
    (tmp_path / "good.txt").write_text(TEXT, encoding="utf-8")
    _no_extraction(monkeypatch)
    assert main(["build", str(tmp_path / "good.txt"), "-o", str(tmp_path / "out"), "--formats", "ttl,bogus"]) == 2
    err = capsys.readouterr().err
    assert "kg build: error: Unknown export format(s) ['bogus']" in err


def test_no_message_names_a_command_that_does_not_exist():
    from kg.query import load_rdf

    for path in ("graph.unknown", "missing.ttl"):
        with pytest.raises(QueryError) as caught:
            load_rdf(path)
        assert "kg export" not in str(caught.value)
        assert "kg build" in str(caught.value)


def test_pypdf_warnings_go_to_the_log_naming_the_file(tmp_path, caplog):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "good.txt").write_text(TEXT, encoding="utf-8")
    pdf = write_pdf(docs / "repaired.pdf", [["晋中市总工会召开全委会议。"]])
    data = pdf.read_bytes()
    pdf.write_bytes(data[:data.rfind(b"startxref")] + b"startxref\n999\n%%EOF\n")  # pypdf repairs the xref
    caplog.set_level(logging.INFO)
    assert main(["-v", "build", str(docs), "-o", str(tmp_path / "out"), "--jobs", "1"]) == 0
    assert not [r for r in caplog.records if r.name.startswith("pypdf")]
    said = [r.getMessage() for r in caplog.records if r.name == "kg.formats.pdf"]
    assert len(said) == 1 and "repaired.pdf: pypdf: " in said[0], said


def test_cjk_radicals_become_ideographs_with_offsets_kept():
    raw = "会议在⻓治市⼈⺠政府和⻔头沟区召开。"
    doc = clean(RawDoc(doc_id="r", path="r", text=raw, meta={}))
    assert doc.text == "会议在长治市人民政府和门头沟区召开。"
    start = doc.text.index("长治市")
    assert doc.to_raw(start, start + 3) == (3, 6)
    assert raw[slice(*doc.to_raw(start, start + 7))] == "⻓治市⼈⺠政府"


def test_cjk_radicals_in_a_pdf_build_names(bad_build):
    labels = _labels(bad_build[3])
    assert "长治市" in labels
    assert not any("\u2e80" <= ch <= "\u2fdf" for label in labels for ch in label)

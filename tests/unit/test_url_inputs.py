"""Inputs named by URL (kg/url_inputs.py): fsspec's in-memory file system stands for s3:// or
hdfs:// (same code path: a copy under the file's own name), file:// for a local one."""
import uuid
from pathlib import Path

import fsspec
import pytest

from kg.cli import main
from kg.errors import InputError
from kg.formats import ReadOptions
from kg.pipeline import iter_items
from kg.read import iter_inputs, read_input
from kg.types import RawDoc

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def bucket():
    """A fresh memory:// folder with two documents, a hidden file, a file of another
    kind and a nested folder."""
    root = f"memory://kg-test-{uuid.uuid4().hex}"
    fs = fsspec.filesystem("memory")
    text = (EXAMPLES / "jinzhong_daily_page.txt").read_bytes()
    for name, data in [("reports/b.txt", text), ("reports/sub/a.md", text), ("reports/.hidden.txt", text),
                       ("reports/photo.png", b"\x89PNG"), ("reports/empty.txt", b"  \n")]:
        fs.pipe(f"{root}/{name}", data)
    yield root
    fs.rm(root.removeprefix("memory://"), recursive=True)


def test_a_url_folder_is_listed_like_a_local_one(bucket):
    assert list(iter_inputs([f"{bucket}/reports"])) == [f"{bucket}/reports/b.txt", f"{bucket}/reports/empty.txt",
                                                          f"{bucket}/reports/sub/a.md"]
    # a file named on its own is taken whatever its suffix
    assert list(iter_inputs([f"{bucket}/reports/photo.png"])) == [f"{bucket}/reports/photo.png"]
    with pytest.raises(InputError, match="no such file or folder"):
        list(iter_inputs([f"{bucket}/nothing"]))


def test_documents_and_errors_are_named_by_their_url(bucket):
    items = list(iter_items([f"{bucket}/reports"]))
    docs = [i for i in items if isinstance(i, RawDoc)]
    assert [(d.doc_id, d.path) for d in docs] == [("b.txt", f"{bucket}/reports/b.txt"),
                                                  ("a.md", f"{bucket}/reports/sub/a.md")]
    assert docs[0].text == (EXAMPLES / "jinzhong_daily_page.txt").read_text(encoding="utf-8")
    errors = [i for i in items if isinstance(i, tuple)]
    assert errors == [(f"{bucket}/reports/empty.txt", f"{bucket}/reports/empty.txt: empty file")]


def test_a_file_over_the_limit_is_refused_before_it_is_copied(bucket, monkeypatch):
    fs = fsspec.filesystem("memory")
    monkeypatch.setattr(type(fs), "open", lambda *a, **k: pytest.fail("copied a file over the limit"))
    with pytest.raises(InputError, match=r"b\.txt: .* over the size limit of 100 bytes"):
        list(read_input(f"{bucket}/reports/b.txt", ReadOptions(max_bytes=100)))


def test_unknown_and_missing_backends_are_one_line_reasons(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", "nosuchscheme://x/y.txt", str(EXAMPLES / "qixian_summary_2023.md"), "-o", str(out),
                 "--jobs", "1"]) == 1
    err = capsys.readouterr().err
    line = next(x for x in err.splitlines() if "nosuchscheme" in x)
    assert line.startswith("skipped: nosuchscheme://x/y.txt: ") and "Traceback" not in err


def test_a_file_url_builds_like_its_path(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert main(["build", str(EXAMPLES / "qixian_summary_2023.md"), "-o", str(a), "--jobs", "1"]) == 0
    url = (EXAMPLES / "qixian_summary_2023.md").as_uri()
    assert main(["build", url, "-o", str(b), "--jobs", "1"]) == 0
    ours, theirs = (p / "graph.json" for p in (a, b))
    assert theirs.read_text(encoding="utf-8") == ours.read_text(encoding="utf-8").replace(
        str(EXAMPLES / "qixian_summary_2023.md"), url)

"""One reader per format: Word, PDF (text layer and scans), HTML main text, .jsonl
corpora; every file made by the test itself."""
import json

import pytest

from kg.cli import main
from kg.errors import InputError
from kg.formats import ReadOptions, SUFFIXES
from kg.read import iter_paths, read_doc, read_docs

from _files import HTML, TEXT, write_docx, write_pdf


def test_docx_paragraphs_and_tables_in_order(tmp_path):
    path = write_docx(tmp_path / "a.docx", ["晋中市总工会工作报告", "市总工会召开全委会议。", "王根元主持会议。"],
                      table=[["单位", "负责人"], ["市总工会", "王根元"]])
    doc = read_doc(path)
    assert doc.meta["format"] == "docx"
    lines = [line for line in doc.text.split("\n") if line]
    assert lines[:3] == ["晋中市总工会工作报告", "市总工会召开全委会议。", "王根元主持会议。"]
    assert lines[3:] == ["单位\t负责人", "市总工会\t王根元"]


def test_damaged_docx_is_reported(tmp_path):
    path = write_docx(tmp_path / "a.docx", ["标题", "正文内容。"])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match=r"a\.docx: not a readable \.docx"):
        read_doc(path)


def test_pdf_text_layer_is_read(tmp_path):
    path = write_pdf(tmp_path / "r.pdf", [["晋中市总工会召开全委会议。", "副市长窦文华出席。"], ["第二页的内容。"]])
    doc = read_doc(path)
    assert doc.meta["format"] == "pdf" and doc.meta["pages"] == 2
    assert "晋中市总工会召开全委会议。" in doc.text and "第二页的内容。" in doc.text
    assert doc.text.index("副市长") < doc.text.index("第二页")


def test_scanned_pdf_says_so(tmp_path):
    path = write_pdf(tmp_path / "scan.pdf", [[], []])
    with pytest.raises(InputError, match=r"scan\.pdf: no text layer \(scanned\?\)"):
        read_doc(path)


def test_truncated_pdf_is_reported(tmp_path):
    path = tmp_path / "cut.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    with pytest.raises(InputError, match=r"cut\.pdf: (not a readable PDF|no text layer)"):
        read_doc(path)


@pytest.mark.parametrize("charset, encoding", [("utf-8", "utf-8"), ("gbk", "gbk")])
def test_html_main_text_without_menus(tmp_path, charset, encoding):
    path = tmp_path / "page.html"
    path.write_bytes(HTML.format(charset=charset).encode(encoding))
    doc = read_doc(path)
    assert doc.meta["format"] == "html" and doc.meta.get("title") == "晋中市总工会召开全委会议"
    assert "市总工会主席王根元主持会议并讲话" in doc.text
    assert "惠及职工三万余人次" in doc.text
    for boilerplate in ("政务公开", "办事服务", "当前位置", "备案号", "相关链接"):
        assert boilerplate not in doc.text


def test_htm_suffix_and_empty_page(tmp_path):
    path = tmp_path / "empty.htm"
    path.write_text("<html><head><script>var a = 1;</script></head><body>  </body></html>", encoding="utf-8")
    with pytest.raises(InputError, match="empty.htm: empty page"):
        read_doc(path)


def _corpus(tmp_path):
    path = tmp_path / "corpus.jsonl"
    rows = [
        {"title": "2024年长治市政府工作报告", "year": "2024", "content": TEXT},
        {"title": "第二篇", "year": 2023, "content": "祁县县委组织部召开会议。"},
        {"content": "没有标题的文件。"},
        {"title": "第二篇", "content": "同名的另一篇。"},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    lines.insert(2, "{not json")
    lines.insert(3, json.dumps({"title": "无正文"}, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    return path


def test_jsonl_one_document_per_line(tmp_path):
    items = list(read_docs(_corpus(tmp_path), ReadOptions(text_field="content")))
    docs = [i for i in items if not isinstance(i, InputError)]
    errors = [str(i) for i in items if isinstance(i, InputError)]
    assert [d.doc_id for d in docs] == ["2024年长治市政府工作报告", "第二篇", "corpus.jsonl#5", "第二篇#6"]
    assert docs[0].meta["year"] == "2024" and docs[0].meta["title"] == "2024年长治市政府工作报告"
    assert docs[0].text == TEXT and "content" not in docs[0].meta
    assert docs[1].meta["year"] == 2023
    assert any("corpus.jsonl:3: not a JSON object" in e for e in errors)
    assert any("corpus.jsonl:4: no text field 'content'" in e and "--text-field" in e for e in errors)


def test_jsonl_wrong_text_field_names_the_fields(tmp_path):
    items = list(read_docs(_corpus(tmp_path), ReadOptions(text_field="body")))
    assert all(isinstance(i, InputError) for i in items)
    assert "string fields: title, year, content" in str(items[0])


def test_cli_builds_jsonl_with_text_field(tmp_path, capsys):
    out = tmp_path / "out"
    status = main(["build", str(_corpus(tmp_path)), "--text-field", "content", "-o", str(out), "--jobs", "1"])
    captured = capsys.readouterr()
    assert status == 1  # two bad lines
    assert "documents: 4 built, 2 skipped" in captured.out
    assert "corpus.jsonl:3: not a JSON object" in captured.err
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    docs = {n["label"]: n for n in graph["nodes"] if n.get("type") == "Document"}
    assert docs["2024年长治市政府工作报告"]["year"] == "2024"
    assert docs["2024年长治市政府工作报告"]["date"] == "2024"


def test_folders_take_every_known_suffix(tmp_path):
    for suffix in SUFFIXES + (".png", ".json"):
        (tmp_path / f"a{suffix}").write_text("x", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    assert sorted(p.suffix for p in iter_paths([tmp_path])) == sorted(SUFFIXES)

"""Text files in the encodings Chinese documents come in, and the ones that are not text."""
import codecs
import logging

import pytest

from kg.clean import clean
from kg.errors import InputError
from kg.read import read_doc, split_long
from kg.types import RawDoc

from _files import TEXT, TRADITIONAL

GB18030_ONLY = "晋中市𠀀总工会召开会议，€符号。"  # 𠀀 and € are outside GBK


@pytest.mark.parametrize(
    "text, data, encoding",
    [
        (TEXT, TEXT.encode("utf-8"), "utf-8"),
        (TEXT, codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8"),
        (TEXT, TEXT.encode("gbk"), "gb18030"),
        (GB18030_ONLY, GB18030_ONLY.encode("gb18030"), "gb18030"),
        (TRADITIONAL, TRADITIONAL.encode("big5"), "big5"),
        (TEXT, TEXT.encode("utf-16"), "utf-16"),
        (TEXT, codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
        (TEXT, TEXT.encode("utf-32"), "utf-32"),
    ],
    ids=["utf8", "utf8-bom", "gbk", "gb18030", "big5", "utf16-le-bom", "utf16-be-bom", "utf32"],
)
def test_encodings_are_detected(tmp_path, text, data, encoding):
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    doc = read_doc(path)
    assert doc.text == text
    assert doc.meta["encoding"] == encoding


def test_big5_traditional_matches_simplified_and_keeps_offsets(tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes(TRADITIONAL.encode("big5"))
    doc = clean(read_doc(path))
    assert doc.meta["script"] == "traditional"
    start = doc.text.index("国务院")
    raw_start, raw_end = doc.to_raw(start, start + 3)
    assert doc.raw[raw_start:raw_end] == "國務院"


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "empty file"),
        (b"  \n\t\n", "empty file"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), r"binary file \(a PNG image\)"),
        (b"PK\x03\x04" + bytes(100), r"binary file \(a ZIP archive"),
        (b"abc\x00def" * 10, r"binary file \(NUL bytes\)"),
        (bytes(range(128, 256)) * 40, "cannot tell its text encoding|decodes to garbage"),
    ],
    ids=["empty", "blank", "png", "zip", "nul", "garbage"],
)
def test_not_text_is_reported_with_the_file(tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=f"bad.txt: ({message})"):
        read_doc(path)


def test_truncated_utf8_keeps_what_is_whole(tmp_path, caplog):
    path = tmp_path / "cut.txt"
    path.write_bytes(TEXT.encode("utf-8")[:-1])
    with caplog.at_level(logging.WARNING):
        doc = read_doc(path)
    assert doc.text == TEXT[:-1]
    assert "truncated" in caplog.text


def test_size_limit(tmp_path):
    from kg.formats import ReadOptions

    path = tmp_path / "big.txt"
    path.write_bytes(TEXT.encode("utf-8") * 100)
    with pytest.raises(InputError, match=r"big.txt: .* over the size limit of 1000 bytes; raise it with --max-bytes"):
        read_doc(path, ReadOptions(max_bytes=1000))


def test_long_documents_come_in_parts():
    para = "市总工会实施职工暖心关爱服务工程，惠及职工三万余人次。\n\n"
    doc = RawDoc("long.txt", "long.txt", para * 400, meta={"format": "txt"})
    parts = list(split_long(doc, max_chars=2000))
    assert len(parts) > 5
    assert "".join(p.text for p in parts) == doc.text
    assert all(len(p.text) <= 2000 and p.text.endswith("\n\n") for p in parts[:-1])
    assert parts[1].doc_id == "long.txt#part2" and parts[1].meta["raw_offset"] == len(parts[0].text)
    assert list(split_long(RawDoc("s", "s", para))) == [RawDoc("s", "s", para)]

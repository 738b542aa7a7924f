import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.clean import clean
from kg.types import RawDoc


def _clean(text: str):
    return clean(RawDoc(doc_id="t.txt", path="t.txt", text=text))


def _check_offsets(doc):
    """Every clean character that is not inserted whitespace comes from the raw text."""
    assert len(doc.offsets) == len(doc.text) + 1
    for i, ch in enumerate(doc.text):
        if ch not in " \n":
            assert doc.raw[doc.offsets[i]] == ch or doc.raw[doc.offsets[i]] in "０１２３４５６７８９ＡＢＣａｂｃ"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("郭 树 书局长", "郭树书局长"),
        ("2023 年，全市", "2023年，全市"),
        ("New York 市", "New York市"),
        ("全市\n各级工会认真学习", "全市各级工会认真学习"),
        ("会议召开。\n王根元指出", "会议召开。\n王根元指出"),
        ("ａｂｃ１２３，（扩大）", "abc123，（扩大）"),
        ("控制\x0c字符\u200b", "控制字符"),
        ("## **高举旗帜**", "##高举旗帜"),
    ],
)
def test_repairs(raw, expected):
    doc = _clean(raw)
    assert doc.text == expected
    _check_offsets(doc)


def test_offsets_point_back_to_the_name():
    raw = "本报讯 （记者毛静）副市长 梁 艳 萍出席"
    doc = _clean(raw)
    start = doc.text.index("梁艳萍")
    raw_start, raw_end = doc.to_raw(start, start + 3)
    assert raw[raw_start:raw_end] == "梁 艳 萍"


def test_repeated_paragraph_dropped_once():
    para = "市总工会实施职工暖心关爱服务工程，惠及职工三万余人次。"
    doc = _clean(f"{para}\n\n另一段落内容在这里，并不重复出现的文字。\n\n{para}\n")
    assert doc.text.count(para) == 1
    _check_offsets(doc)


def test_page_break_inside_a_sentence_is_joined():
    raw = "王根元指出，2023年，全市各级工会认真学习贯彻党的二\n\n十大精神。"
    assert "党的二十大精神" in _clean(raw).text


def test_headline_is_not_joined_to_the_next_article():
    raw = "会议召开。\n\n王根元主持召开全委会议\n\n本报讯 记者崔斌报道"
    assert "全委会议\n" in _clean(raw).text


def test_traditional_text_is_simplified_at_the_same_offsets():
    raw = "中華人民共和國國務院召開會議，關於發展經濟的報告。"
    doc = _clean(raw)
    assert doc.text == "中华人民共和国国务院召开会议，关于发展经济的报告。"
    assert doc.meta["script"] == "traditional"
    assert len(doc.text) == len(raw) and list(doc.offsets) == list(range(len(raw) + 1))


def test_simplified_text_is_left_alone():
    raw = "陕西省乾县人民政府召开会议，研究乾县发展。"  # 乾 would become 干 under t2s
    doc = _clean(raw)
    assert doc.text == raw and "script" not in doc.meta


def test_length_changing_phrase_conversion_falls_back_to_characters(monkeypatch):
    from kg import clean as clean_module

    class Stretching:
        def convert(self, text):  # a phrase table that maps one character to two
            return text.replace("臺", "台湾") if len(text) > 1 else {"臺": "台", "灣": "湾"}.get(text, text)

    monkeypatch.setattr(clean_module, "_t2s_converter", lambda: Stretching())
    clean_module._t2s_char.cache_clear()
    try:
        assert clean_module.to_simplified("臺灣省\n臺中") == "台湾省\n台中"
    finally:
        clean_module._t2s_char.cache_clear()


_ANY_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200) | st.text(
    st.sampled_from(list("晋中市總工會　 \t\r\n\n\x0c\u200b**ＡＢ１２（），。！“”本报讯（下转第2版）#乾國")), max_size=200)


@settings(max_examples=150, deadline=None)
@given(raw=_ANY_TEXT)
def test_offset_map_stays_valid(raw):
    doc = _clean(raw)
    assert len(doc.offsets) == len(doc.text) + 1 and doc.offsets[-1] == len(raw)
    assert all(0 <= o < len(raw) for o in doc.offsets[:-1])
    assert all(a < b for a, b in zip(doc.offsets, doc.offsets[1:-1]))  # strictly increasing
    for start in range(len(doc.text)):
        raw_start, raw_end = doc.to_raw(start, start + 1)
        assert 0 <= raw_start < raw_end <= len(raw)


def test_an_ideographic_space_separates_columns():
    """OCR's spaces inside a name go (黄 承 斌); an ideographic space or a tab is
    typesetting, the border of a table's column, and stays a break."""
    doc = _clean("昭觉县城第二水厂及配套管网工程\u3000县水利局、县住建局\u30002024年10月。\n副市长黄 承 斌\t出席")
    assert doc.text == "昭觉县城第二水厂及配套管网工程 县水利局、县住建局 2024年10月。\n副市长黄承斌 出席"
    _check_offsets(doc)


def test_rows_of_a_table_stay_one_per_line():
    doc = _clean("重点项目如下：\n昭觉县中医医院迁建项目\u3000县卫生健康局\u30002025年6月\n"
                 "竹核温泉康养小镇二期\u3000县文广旅局、竹核镇\u30002024年12月\n")
    assert "2025年6月\n竹核温泉康养小镇二期 县文广旅局" in doc.text
    _check_offsets(doc)

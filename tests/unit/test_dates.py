"""Dates of documents, articles and relations."""
import pytest

from kg.clean import clean
from kg.dates import article_date, document_date, find_dates, year_of
from kg.pipeline import process_raw
from kg.segment import segment
from kg.types import RawDoc


@pytest.mark.parametrize(
    "text, year, expected",
    [
        ("2024年3月27日上午", None, ["2024-03-27"]),
        ("二〇二四年三月二十七日", None, ["2024-03-27"]),
        ("一九五四年九月二十三日", None, ["1954-09-23"]),
        ("发布于2021-12-13，更新于2021/12/14，2021.12.15", None, ["2021-12-13", "2021-12-14", "2021-12-15"]),
        ("3月12日，会议召开", 2023, ["2023-03-12"]),
        ("3月12日，会议召开", None, []),
        ("十二月三十一日", 2020, ["2020-12-31"]),
        ("2月30日", 2024, []),  # not a day of the calendar
        ("2023年工作回顾", None, []),  # a year is not a date
        ("电话0351-1234-5678", None, []),
    ],
)
def test_find_dates(text, year, expected):
    assert [iso for _, _, iso in find_dates(text, year)] == expected


@pytest.mark.parametrize(
    "text, meta, name, expected",
    [
        ("政府工作报告\n\n——2024年2月26日在长治市第十五届人民代表大会第四次会议上", {}, "r.txt", "2024-02-26"),
        ("# 祁县2023年组织工作综述\n\n2024-01-15\n\n2023年，县委组织部", {}, "q.md", "2024-01-15"),
        ("各位代表：\n\n现在，我代表国务院", {"year": "2025", "title": "2025年政府工作报告"}, "c.jsonl", "2025"),
        ("各位代表：", {"title": "1954年中华人民共和国国务院政府工作报告"}, "c.jsonl", "1954"),
        ("各位代表：", {}, "changzhi_report_2024.txt", "2024"),
        ("各位代表：", {"date": "2023-05-04T10:00:00"}, "x.html", "2023-05-04"),
        ("本报讯 3月18日上午，比赛开幕。", {}, "page.txt", ""),
    ],
)
def test_document_date(text, meta, name, expected):
    assert document_date(text, meta, name) == expected


def test_npc_session_gives_the_year():
    from kg.dates import npc_session_year
    assert npc_session_year("第十二届全国人民代表大会第一次会议关于政府工作报告的决议") == 2013
    assert npc_session_year("第10届全国人民代表大会第5次会议") == 2007
    assert npc_session_year("第二届全国人民代表大会第三次会议") is None  # irregular early sessions
    assert npc_session_year("平遥县第十七届人民代表大会第三次会议") is None  # a local congress
    assert document_date("会议听取了报告。", {"title": "第十四届全国人民代表大会第三次会议关于政府工作报告的决议"}) == "2025"


def test_year_of():
    assert year_of(2024) == 2024 and year_of("1954年报告") == 1954 and year_of("no year") is None
    assert year_of("report_20240101.txt") is None


def test_article_dates_take_the_documents_year():
    raw = ("晋中日报 2024年3月20日\n\n本报讯 （记者 孟晓峰）3月18日上午，象棋公开赛开幕。\n\n"
           "本报讯 近日，榆次区税务局开展志愿服务活动。")
    seg = segment(clean(RawDoc("p.txt", "p.txt", raw)))
    assert seg.date == "2024-03-20"
    assert [a.date for a in seg.articles] == ["2024-03-20", "2024-03-18", "2024-03-20"]
    assert article_date("3月18日", 0, 5, "") == ""


def test_relations_carry_their_articles_date(nlp):
    raw = ("2024年3月20日\n\n本报讯 （记者 孟晓峰）3月18日上午，晋中市第六届象棋公开赛开幕。"
           "副市长窦文华出席开幕式并讲话。")
    result = process_raw(RawDoc("p.txt", "p.txt", raw), nlp)
    assert result.meta["date"] == "2024-03-20"
    assert result.meta["year"] == "2024"  # derived from the date when the source gives none
    kept = process_raw(RawDoc("q.txt", "q.txt", raw, meta={"year": "2023"}), nlp)
    assert kept.meta["year"] == "2023"  # a year the source gives is kept
    dated = [r for r in result.relations if r.type == "holds_position"]
    assert dated and all(r.date == "2024-03-18" for r in dated)

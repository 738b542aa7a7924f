import pytest

from kg.clean import clean
from kg.segment import segment, split_sentences
from kg.types import RawDoc


def test_sentences_end_at_chinese_punctuation_and_lines():
    text = "会议召开。王根元指出：“要抓落实！”各级工会要坚持；要服务\n标题一行"
    spans = [text[s:e] for s, e in split_sentences(text)]
    assert spans == ["会议召开。", "王根元指出：“要抓落实！”", "各级工会要坚持；", "要服务", "标题一行"]


def test_articles_split_at_openers():
    raw = "本报讯 甲文章第一句。\n\n本报讯 乙文章第一句。\n（上接第2版）国家报告内容。"
    seg = segment(clean(RawDoc("d.txt", "d.txt", raw)))
    assert len(seg.articles) == 3
    assert [s.article for s in seg.sentences] == [0, 1, 2]
    assert seg.sentence_at(seg.sentences[1].start + 1).index == 1


def _segment(raw: str):
    return segment(clean(RawDoc("p.txt", "p.txt", raw)))


def test_headline_before_an_opener_belongs_to_the_next_article():
    raw = ("本报讯 甲文章的第一句话，内容在这里。\n\n（康红霞）\n\n"
           "晋中市第六届象棋公开赛开幕\n副题：160名选手参赛\n\n本报讯 （记者 孟晓峰）3月18日上午，比赛开幕。")
    seg = _segment(raw)
    assert len(seg.articles) == 2
    second = seg.articles[1]
    assert seg.doc.text[second.start:].startswith("晋中市第六届象棋公开赛开幕")
    assert second.headline == "晋中市第六届象棋公开赛开幕副题：160名选手参赛"  # cleaning joined the two lines
    assert second.byline == "记者孟晓峰"
    assert "（康红霞）" in seg.doc.text[seg.articles[0].start:seg.articles[0].end]


@pytest.mark.parametrize(
    "opening, byline",
    [
        ("本报讯 （记者 冯静宁 通讯员 李明）近日，", "记者冯静宁通讯员李明"),
        ("本报记者 冯静宁 报道 近日，", "本报记者冯静宁"),  # cleaning drops spaces in Chinese text
        ("本报讯（通讯员芦晓燕）近日，", "通讯员芦晓燕"),
        ("本报讯 近日，", ""),
    ],
)
def test_bylines(opening, byline):
    seg = _segment("会议召开。\n\n" + opening + "榆次区税务局开展志愿服务活动。")
    assert seg.articles[-1].byline == byline


def test_continued_elsewhere_ends_the_article():
    raw = ("市总工会实施职工暖心关爱服务工程，惠及职工三万余人次，\n（下转第2版）\n"
           "祁县召开组织工作会议。县委书记武建新出席。")
    seg = _segment(raw)
    assert len(seg.articles) == 2
    assert "（下转第2版）" in seg.doc.text[seg.articles[0].start:seg.articles[0].end]
    assert seg.doc.text[seg.articles[1].start:].startswith("祁县召开组织工作会议")


def test_markdown_top_headings_start_articles_and_subheadings_do_not():
    raw = "# 第一篇\n\n正文一。\n\n## 小节\n\n正文二。\n\n# 第二篇\n\n正文三。"
    seg = _segment(raw)
    assert [a.headline for a in seg.articles] == ["第一篇", "第二篇"]


def test_sentences_stay_inside_their_articles():
    seg = _segment("本报讯 甲。乙！\n\n本报讯 丙？丁")
    for s in seg.sentences:
        a = seg.articles[s.article]
        assert a.start <= s.start < s.end <= a.end

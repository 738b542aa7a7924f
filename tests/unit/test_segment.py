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

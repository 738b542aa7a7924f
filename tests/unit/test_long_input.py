"""Cost linear in the input (issue 16, item 5): a text without punctuation or line
breaks must not make any step cost the square of its length, nor store it whole as
evidence. Checked by bounds and work counters, not by wall-clock time (the speed
figures are in bench/long_lines.py and docs/input-and-speed.md)."""
from kg.extract import merge as merge_module
from kg.extract.candidates import Candidate
from kg.extract.merge import merge
from kg.pipeline import process_raw
from kg.segment import MAX_SENTENCE_CHARS, split_sentences
from kg.types import RawDoc

# our own ordinary sentences, punctuation and line breaks removed: one endless line
SENTENCES = ("市政府召开常务会议研究部署春季农业生产工作", "县委书记王建国深入乡镇调研基层党建情况",
             "市生态环境局推进河流综合治理工程建设", "全年新增城镇就业人员三万二千人",
             "省政府与山西大学签订战略合作协议共建研究院")


def line(n: int) -> str:
    text = "".join(SENTENCES)
    return (text * (n // len(text) + 1))[:n]


def test_a_long_line_is_cut_into_bounded_sentences():
    text = line(5 * MAX_SENTENCE_CHARS + 123)
    spans = split_sentences(text)
    assert len(spans) >= 6
    assert all(e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    assert "".join(text[s:e] for s, e in spans) == text  # nothing lost, nothing twice


def test_a_long_line_is_cut_at_a_comma_when_there_is_one():
    text = "，".join(line(300) for _ in range(20))
    spans = split_sentences(text)
    assert all(e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    assert all(text[e - 1] == "，" for s, e in spans[:-1])


def test_merging_costs_time_in_proportion_to_the_candidates(monkeypatch):
    calls = [0]
    overlap = merge_module._overlap

    def counted(a, b):
        calls[0] += 1
        return overlap(a, b)

    monkeypatch.setattr(merge_module, "_overlap", counted)

    def work(n: int) -> int:
        rules = [Candidate(10 * i, 10 * i + 4, "Agency", "rule:agency", 0.8) for i in range(n)]
        model = [Candidate(10 * i + 2, 10 * i + 7, "Person", "ner", 0.9) for i in range(n)]
        model += [Candidate(10 * i + 5, 10 * i + 8, "Place", "ner", 0.9) for i in range(n)]
        calls[0] = 0
        merge(rules, model)
        return calls[0]

    small, large = work(500), work(2000)
    assert large < 6 * small  # four times the candidates: about four times the work (was 16)


def test_evidence_of_a_long_line_is_bounded(nlp):
    text = line(6 * MAX_SENTENCE_CHARS)
    result = process_raw(RawDoc("line.txt", "line.txt", text), nlp)
    assert result.relations, "the line names agencies and people; some relation is expected"
    assert max(len(r.evidence) for r in result.relations) <= MAX_SENTENCE_CHARS
    assert max(len(s.text) for s in result.sentences) <= MAX_SENTENCE_CHARS

"""kg.learn: projecting gold names onto text, the CRF span tagger, cross-validation.

Sentences are our own; the tagger is trained here on a few of them, so the tests
check that it learns, not what the shipped model holds.
"""
import json
from pathlib import Path

from kg.cli import main
from kg.learn.features import document_features
from kg.learn.projection import gold_spans
from kg.learn.tagger import Example, spans_to_tags, tags_to_spans, train
from kg.types import Entity, Mention

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_tags_and_spans_round_trip():
    spans = [(0, 3, "Agency"), (5, 7, "Person"), (7, 9, "Place")]
    tags = spans_to_tags(10, spans)
    assert tags[:4] == ["B-Agency", "I-Agency", "I-Agency", "O"]
    assert tags_to_spans(tags) == spans


def test_projection_finds_forms_and_resolved_mentions():
    text = "市总工会实施“暖心驿站”工程，长河县水务局参加。"
    gold = {"entities": [
        {"type": "Agency", "name": "青川市总工会"},
        {"type": "Initiative", "name": "暖心驿站工程", "accept": ["暖心驿站"], "surface": ["“暖心驿站”工程"]},
        {"type": "Agency", "name": "长河县水务局"},
        {"type": "Place", "name": "长河县"},
    ]}
    # the pipeline resolved 市总工会 to the gold's canonical name: its span is labelled
    m = Mention("d", 0, 4, "市总工会", "Agency", "rule", 1.0, 0)
    resolved = [Entity("Agency", "青川市总工会", mentions=(m,))]
    spans = gold_spans(text, gold, resolved)
    assert (0, 4, "Agency") in spans
    assert (6, 14, "Initiative") in spans  # the surface form with its marks, longest wins
    assert (15, 21, "Agency") in spans
    assert not any(label == "Place" for _, _, label in spans)  # 长河县 lies inside the agency


def _example(text: str, spans) -> Example:
    return Example(document_features(text), spans_to_tags(len(text), spans), text)


def test_tagger_learns_a_head_noun_from_examples():
    sentences = [
        ("全县开展河道清淤行动，群众积极参与。", "河道清淤", "行动"),
        ("该镇实施农房改造行动，效果明显。", "农房改造", "行动"),
        ("各村推进厕所革命行动，进展顺利。", "厕所革命", "行动"),
        ("街道组织垃圾分类行动，居民响应。", "垃圾分类", "行动"),
        ("全市启动林草防火行动，责任落实。", "林草防火", "行动"),
        ("县里部署秸秆禁烧行动，成效显著。", "秸秆禁烧", "行动"),
    ]
    examples = []
    for text, core, head in sentences * 3:
        start = text.index(core)
        examples.append(_example(text, [(start, start + len(core) + len(head), "Initiative")]))
    tagger = train(examples, {"max_iterations": 60})
    text = "乡里开展护林巡查行动，干部带头。"
    found = tagger.predict(text, document_features(text))
    assert [(text[s:e], label) for s, e, label, _ in found] == [("护林巡查行动", "Initiative")]
    assert all(0.0 < score <= 1.0 for *_, score in found)


def test_features_carry_the_other_sources():
    text = "长河县水务局召开会议"
    feats = document_features(text, rule_spans=[(0, 6, "Agency", "rule:agency")], ner_spans=[(0, 3, "Place", "ner")])
    assert "rB-Agency" in feats[0] and "rI-Agency" in feats[5] and "rafter-Agency" in feats[6]
    assert "nB-Place" in feats[0] and "nI-Place" in feats[2]
    assert "r-none" in feats[7]


def test_eval_cv_prints_each_fold_and_the_cross_validated_figure(tmp_path, capsys):
    gold = tmp_path / "gold"
    gold.mkdir()
    docs = sorted(EXAMPLES.glob("*.*"))
    wanted = {"jinzhong_daily_page.txt": [{"type": "Person", "name": "窦文华"}],
              "changzhi_report_2024.txt": [{"type": "Person", "name": "韩立军"}],
              "qixian_summary_2023.md": [{"type": "Person", "name": "武建新"}]}
    for doc in docs:
        (gold / f"{doc.name}.json").write_text(json.dumps(
            {"doc": doc.name, "entities": wanted[doc.name], "relations": []}, ensure_ascii=False), encoding="utf-8")
    assert main(["eval", "--gold", str(gold), "--docs", str(EXAMPLES), "--cv", "3"]) == 0
    out = capsys.readouterr().out
    assert out.count("fold ") == 3
    assert "cross-validated (3 folds, 3 documents, 0 extra training documents)" in out
    assert "fitted on all" in out
    assert main(["eval", "--gold", str(gold), "--docs", str(EXAMPLES), "--cv", "5"]) == 1


def test_train_writes_a_model_that_loads(tmp_path, capsys):
    from kg.learn.tagger import SpanTagger

    gold = tmp_path / "gold"
    gold.mkdir()
    doc = EXAMPLES / "jinzhong_daily_page.txt"
    (gold / f"{doc.name}.json").write_text(json.dumps(
        {"doc": doc.name, "entities": [{"type": "Person", "name": "窦文华"}], "relations": []},
        ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "m" / "tagger.crfsuite"
    assert main(["train", "--gold", str(gold), "--docs", str(EXAMPLES), "-o", str(out)]) == 0
    meta = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["gold"] == [doc.name] and meta["characters"] > 300
    tagger = SpanTagger.load(out)
    text = "副市长窦文华出席。"
    assert isinstance(tagger.predict(text, document_features(text)), list)

"""kg.learn: projecting gold names onto text, the span classifier, cross-validation.

Sentences are our own; models are trained here on a few of them, so the tests check
that they learn, not what a shipped model holds.
"""
import json
from pathlib import Path

from kg.cli import main
from kg.learn import load_models
from kg.learn.projection import gold_occurrences, gold_spans
from kg.learn.maxent import train_classifier
from kg.learn.select import candidate_pool, pool_labels
from kg.types import Entity, Mention

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


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


def test_pool_holds_every_proposal_and_quotations_with_their_heads():
    text = "全县推行“三清一改”行动，长河县水务局参加。"
    rules = [(12, 18, "Agency", "rule:agency"), (12, 15, "Place", "rule:gazetteer")]
    ner = [(12, 18, "Agency", "ner"), (0, 2, "Title", "ner")]
    pool = {(p.start, p.end): p.sources for p in candidate_pool(text, rules, ner)}
    assert pool[(12, 18)] == {"rule:agency/Agency", "ner/Agency"}
    assert (0, 2) not in pool  # titles are not names
    assert "quote-inner" in pool[(5, 9)] and "quote-outer" in pool[(4, 10)]
    assert any(s.startswith("quote-head") for s in pool[(5, 12)])  # 三清一改”行动 … read as 三清一改行动


def test_pool_labels_take_nested_gold_occurrences():
    text = "长河县水务局召开会议。"
    gold = {"entities": [{"type": "Agency", "name": "长河县水务局"}, {"type": "Place", "name": "长河县"}]}
    occ = gold_occurrences(text, gold)
    pool = candidate_pool(text, [(0, 6, "Agency", "rule:agency"), (0, 3, "Place", "rule:gazetteer"),
                                 (3, 5, "Agency", "rule:agency")], [])
    labels = dict(zip([(p.start, p.end) for p in pool], pool_labels(pool, occ)))
    assert labels == {(0, 6): "Agency", (0, 3): "Place", (3, 5): "O"}


def test_classifier_learns_which_proposals_are_names():
    items = []
    for k in range(30):
        items.append((["bias", "src=quote-inner", "last=动", f"first=字{k % 5}"], "Initiative"))
        items.append((["bias", "src=quote-inner", "last=好", f"first=字{k % 5}"], "O"))
        items.append((["bias", "src=rule:agency/Agency", "last=局"], "Agency"))
    clf = train_classifier(items, {"max_iterations": 50})
    assert set(clf.labels) == {"Initiative", "O", "Agency"}
    p = clf.probabilities(["bias", "src=quote-inner", "last=动", "first=新"])
    assert p["Initiative"] > 0.8 and abs(sum(p.values()) - 1) < 1e-6
    assert clf.probabilities(["bias", "src=quote-inner", "last=好"])["O"] > 0.8


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
    assert "fitted on all" in out and "without learned models (the default pipeline)" in out
    assert main(["eval", "--gold", str(gold), "--docs", str(EXAMPLES), "--cv", "3", "--models", "words"]) == 1
    assert main(["eval", "--gold", str(gold), "--docs", str(EXAMPLES), "--cv", "5"]) == 1


def test_train_writes_a_model_the_pipeline_uses(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KG_LEARNED_MODEL", "")  # main() sets it; monkeypatch restores the variable afterwards
    gold = tmp_path / "gold"
    gold.mkdir()
    doc = EXAMPLES / "jinzhong_daily_page.txt"
    (gold / f"{doc.name}.json").write_text(json.dumps(
        {"doc": doc.name, "entities": [{"type": "Person", "name": "窦文华"}], "relations": []},
        ensure_ascii=False), encoding="utf-8")
    model = tmp_path / "m"
    assert main(["train", "--gold", str(gold), "--docs", str(EXAMPLES), "-o", str(model)]) == 0
    assert (model / "spans.crfsuite").is_file()
    assert not (model / "relations.crfsuite").exists()  # the gold has no relation to learn from
    meta = json.loads((model / "training.json").read_text(encoding="utf-8"))
    assert meta["gold"] == [doc.name] and meta["characters"] > 300
    out = tmp_path / "out"
    assert main(["--learned-model", str(model), "extract", str(doc), "-o", str(out)]) == 0
    people = {e["name"] for e in json.loads((out / f"{doc.name}.json").read_text(encoding="utf-8"))["entities"]
              if e["type"] == "Person"}
    assert "窦文华" in people
    (model / "spans.crfsuite").write_bytes(b"not a model")
    load_models.cache_clear()
    assert main(["--learned-model", str(model), "extract", str(doc), "-o", str(out)]) == 1
    assert "not a model kg train wrote" in capsys.readouterr().err


def test_relation_candidates_and_their_gold_labels(nlp):
    from kg.learn.relations import instance_labels, instances
    from kg.pipeline import analyse
    from kg.types import RawDoc

    text = "晋中市文化和旅游局主办第三届晋中市摄影大赛。晋中市总工会实施“暖心驿站”工程。"
    a = analyse(RawDoc("t.txt", "t.txt", text), nlp)
    pairs = instances(a.mentions, a.names, a.segments, a.relations)
    by_ends = {(x.source[1], x.target[1]): x for x in pairs}
    x = by_ends[("晋中市文化和旅游局", "第三届晋中市摄影大赛")]
    assert x.rtype == "involved_in" and "involved_in:verb=主办" in x.features and "involved_in:rule" in x.features
    assert ("晋中市文化和旅游局", "暖心驿站工程") not in by_ends  # another sentence: no candidate
    gold = {"entities": [{"type": "Agency", "name": "晋中市总工会", "accept": []},
                         {"type": "Initiative", "name": "暖心驿站工程", "accept": ["暖心驿站"]}],
            "relations": [{"type": "involved_in", "from": "晋中市总工会", "to": "暖心驿站"}]}
    labels = dict(zip([(p.source[1], p.target[1]) for p in pairs], instance_labels(pairs, gold)))
    assert labels[("晋中市总工会", "暖心驿站工程")] == "involved_in"
    assert labels[("晋中市文化和旅游局", "第三届晋中市摄影大赛")] == "O"


def test_a_bad_model_folder_fails_before_any_document(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("KG_LEARNED_MODEL", "")
    out = tmp_path / "out"
    assert main(["--learned-model", str(tmp_path / "missing"), "build", str(EXAMPLES), "-o", str(out),
                 "--jobs", "2"]) == 1
    assert "not a folder kg train wrote" in capsys.readouterr().err
    assert not out.exists()

"""kg.ner: the shipped statistical taggers (numpy / onnxruntime inference).

Tests that take the ``tagger`` fixture run on both shipped models, the fast default and
the accurate one that also reads Baidu LAC's character states."""
import json

import numpy as np
import pytest

from kg.ner import LABELS, chunk_text, load_tagger, span_f1
from kg.ner.jsonl import tag_jsonl


@pytest.fixture(scope="module", params=["fast", "accurate"])
def tagger(request):
    return load_tagger(model=request.param)


def _check_spans(text, spans):
    last_end = 0
    for span in spans:
        s, e, label = span[:3]
        assert isinstance(s, int) and isinstance(e, int)
        assert 0 <= s < e <= len(text)
        assert s >= last_end, f"overlapping or unsorted spans: {spans}"
        assert label in LABELS
        last_end = e


def test_person_city_bureau(tagger):
    text = "王建国昨天在杭州市公安局召开会议。"
    spans = tagger.predict([text])[0]
    _check_spans(text, spans)
    got = {(text[s:e], t) for s, e, t in spans}
    assert ("王建国", "Person") in got
    assert ("杭州市公安局", "Agency") in got or {("杭州市", "Place"), ("公安局", "Agency")} <= got


def test_place_and_title(tagger):
    text = "国务院总理李强今天在北京会见了法国总统。"
    spans = tagger.predict([text])[0]
    _check_spans(text, spans)
    got = {(text[s:e], t) for s, e, t in spans}
    assert ("李强", "Person") in got
    assert ("北京", "Place") in got
    assert ("国务院", "Agency") in got
    assert any(t == "Title" for _, t in got)


def test_batch_is_order_preserving(tagger):
    texts = ["张三在上海工作。", "", "李四来自广州市。", "没有实体的句子。"]
    out = tagger.predict(texts)
    assert len(out) == 4
    assert out[1] == []
    single = [tagger.predict([t])[0] for t in texts]
    assert out == single


def test_odd_input_does_not_raise(tagger):
    texts = ["", " ", "\n\n", "。。。", "a" * 5, "😀🎉" * 3, "\x00\x02\x03", "Ｂｅｉｊｉｎｇ１２３",
             "\ud800 lone surrogate", None, 42, "北" * 3000]
    out = tagger.predict(texts)
    assert len(out) == len(texts)
    for text, spans in zip(texts, out):
        if isinstance(text, str):
            _check_spans(text, spans)
        else:
            assert spans == []
    assert tagger.predict([]) == []


def test_long_text_offsets_map_back(tagger):
    sent = "王建国昨天在杭州市公安局召开会议。"
    text = "，".join([sent[:-1]] * 40) + "。" + sent * 30
    spans = tagger.predict([text])[0]
    _check_spans(text, spans)
    names = [s for s in spans if text[s[0]:s[1]] == "王建国" and s[2] == "Person"]
    assert len(names) >= 60


def test_scored(tagger):
    text = "王建国昨天在杭州市公安局召开会议。"
    plain = tagger.predict([text])[0]
    scored = tagger.predict_scored([text])[0]
    assert [s[:3] for s in scored] == plain
    for s in scored:
        assert 0.0 <= s[3] <= 1.0


def test_chunk_text_covers_long_input():
    text = ("甲" * 150 + "，") * 5 + "乙" * 700 + "。" + "丙丁"
    chunks = chunk_text(text, 200)
    assert all(0 < e - s <= 200 for s, e in chunks)
    covered = "".join(text[s:e] for s, e in chunks)
    assert covered == text


def test_span_f1():
    gold = [[(0, 2, "Person"), (3, 5, "Place")], []]
    pred = [[(0, 2, "Person"), (3, 6, "Place")], [(1, 2, "Title")]]
    res = span_f1(gold, pred)
    assert res["micro"]["tp"] == 1
    assert res["micro"]["p"] == pytest.approx(1 / 3)
    assert res["micro"]["r"] == pytest.approx(1 / 2)
    assert res["per_type"]["Person"]["f1"] == 1.0


def test_tag_jsonl(tagger, tmp_path):
    src = tmp_path / "in.jsonl"
    dst = tmp_path / "out.jsonl"
    lines = [json.dumps({"text": "王建国昨天在杭州市公安局召开会议。"}, ensure_ascii=False), "not json", "",
             json.dumps({"text": ""}), json.dumps({"other": 1})]
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    n = tag_jsonl(src, dst, tagger)
    out = [json.loads(x) for x in dst.read_text(encoding="utf-8").splitlines()]
    assert n == len(out) == 5
    ents = out[0]["entities"]
    assert {"start": 0, "end": 3, "type": "Person"} in ents
    assert all(o == {"entities": []} for o in out[1:])


def test_split_names_runs_only():
    from kg.ner.names import split_names

    lex = {"李鹏": 1, "乔石": 1}
    text = "李鹏乔石王建国"
    assert [text[s:e] for s, e in split_names(text, lex)] == ["李鹏", "乔石", "王建国"]
    assert split_names("克雷蒂安", lex) is None  # transliterated name: kept whole
    assert split_names("欧阳海燕", lex) is None  # compound surname
    assert split_names("汤姆-克鲁斯", lex) is None
    assert split_names("王建", lex) is None  # too short to be a run


def test_traditional_script(tagger):
    text = "劉少奇在北京會見了國務院總理。"
    spans = tagger.predict([text])[0]
    _check_spans(text, spans)
    got = {(text[s:e], t) for s, e, t in spans}
    assert ("劉少奇", "Person") in got
    assert ("北京", "Place") in got


def test_scaled_marginals_equal_log_space_ones(tagger):
    """The fast forward-backward gives the log-space marginals, with ragged lengths,
    one-character sequences and large emission gaps."""
    rng = np.random.default_rng(3)
    em = (rng.normal(size=(4, 30, tagger.model.trans.shape[0])) * 8).astype(np.float32)
    lengths = np.array([30, 1, 17, 2])
    fast, slow = tagger.model.marginals(em, lengths), _log_space_marginals(tagger.model, em, lengths)
    mask = np.arange(30)[None, :] < lengths[:, None]
    assert np.allclose(fast[mask], slow[mask], atol=1e-9)
    assert np.allclose(fast[mask].sum(-1), 1.0)


def _log_space_marginals(self, em, lengths):
    """Forward-backward in log space (``self`` is the model): the reference the fast
    ``marginals`` is checked against."""
    B, T, K = em.shape
    trans = self.trans
    alpha = np.empty((T, B, K), dtype=np.float64)
    beta = np.zeros((T, B, K), dtype=np.float64)
    a = self.start + em[:, 0].astype(np.float64)
    alpha[0] = a
    for t in range(1, T):
        s = a[:, :, None] + trans[None]
        m = s.max(1, keepdims=True)
        nxt = (m + np.log(np.exp(s - m).sum(1, keepdims=True)))[:, 0] + em[:, t]
        a = np.where((t < lengths)[:, None], nxt, a)
        alpha[t] = a
    last = (lengths - 1).clip(0)
    b = np.zeros((B, K), dtype=np.float64)
    for t in range(T - 1, -1, -1):
        b = np.where((t == last)[:, None], self.end[None].astype(np.float64), b)
        beta[t] = b
        if t == 0:
            break
        s = trans[None] + (em[:, t] + b)[:, None, :]
        m = s.max(2, keepdims=True)
        prev = (m + np.log(np.exp(s - m).sum(2, keepdims=True)))[:, :, 0]
        b = np.where((t <= last)[:, None], prev, b)
    logp = alpha.transpose(1, 0, 2) + beta.transpose(1, 0, 2)
    z = logp.max(2, keepdims=True)
    p = np.exp(logp - z)
    p /= p.sum(2, keepdims=True)
    return p


def test_unknown_model_name_is_an_error():
    with pytest.raises(ValueError, match="accurate"):
        load_tagger(model="huge")


def test_lac_features_follow_the_text():
    from kg.ner.lac import LacEncoder

    encoder = LacEncoder("lac_hidden")
    text = "李明在成都市政府工作。"
    states = encoder(text)
    assert states.shape == (len(text), 256)
    assert np.isfinite(states).all() and np.abs(states).max() <= 1.0  # GRU outputs
    # contextual: the same character reads differently in another sentence
    assert not np.allclose(encoder("成都很美。")[0], states[3])
    assert encoder("").shape == (0, 256)
    batch = encoder.batch([text, "成都"])
    assert batch.shape == (2, len(text), 256)
    assert np.allclose(batch[0], states) and not batch[1, 2:].any()
    with pytest.raises(ValueError):
        LacEncoder("lac_words")


def test_accurate_model_reads_lac_states():
    fast, accurate = load_tagger(model="fast"), load_tagger(model="accurate")
    assert fast.model.extra is None
    assert accurate.model.extra is not None and accurate.model.extra.dim == 256
    # the LAC states are computed on the raw text: digits and Latin letters, which the
    # tagger's own features normalise (2 -> 0, A -> a), must reach LAC unchanged
    text = "2024年ABC公司总经理张华在深圳市发言。"
    norm = accurate.model.feat.normalise(text)
    assert norm != text
    em_raw, _ = accurate.model.emissions([norm], [text])
    em_norm, _ = accurate.model.emissions([norm], [norm])
    assert not np.allclose(em_raw, em_norm)


def test_pipeline_uses_the_chosen_model(monkeypatch):
    from kg.extract import make_nlp
    from kg.extract.components import NER_KEY

    monkeypatch.delenv("KG_NER_MODEL", raising=False)
    assert make_nlp(use_ner=True).get_pipe("kg_ner").model == "fast"
    monkeypatch.setenv("KG_NER_MODEL", "accurate")  # what `kg --ner-model accurate` sets
    nlp = make_nlp(use_ner=True)
    assert nlp.get_pipe("kg_ner").model == "accurate"
    doc = nlp("会上，副县长赵丽娟介绍了全县春耕生产情况。")
    found = {(doc.text[c.start:c.end], c.label) for c in doc.user_data[NER_KEY]}
    assert ("赵丽娟", "Person") in found


def test_accurate_model_averages_its_members():
    from kg.ner.model import AveragedModel

    model = load_tagger(model="accurate").model
    assert isinstance(model, AveragedModel) and len(model.members) == 2
    first, second = model.members
    # members share the featurizer and the (costly) LAC encoder
    assert second.feat is first.feat and second.extra is first.extra
    text = "市委书记刘伟在全市经济工作会议上讲话。"
    norm = model.feat.normalise(text)
    em, lengths = model.emissions([norm], [text])
    one, _ = first.emissions([norm], [text])
    two, _ = second.emissions([norm], [text])
    assert lengths.tolist() == [len(text)]
    assert np.allclose(em, (one + two) / 2, atol=1e-5)
    assert not np.allclose(one, two)
    assert np.allclose(model.trans, (first.trans + second.trans) / 2)


def test_unknown_model_in_the_environment_fails_before_any_document(monkeypatch):
    from kg.errors import KGError
    from kg.extract import make_nlp

    monkeypatch.setenv("KG_NER_MODEL", "huge")
    with pytest.raises(KGError, match="huge"):
        make_nlp(use_ner=True)

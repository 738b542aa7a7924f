"""spaCy components of the extraction pipeline (registered on import).

The pipeline is ``spacy.blank("zh")`` with its character segmenter: every character
is a token, so any span a rule or the model finds is a valid spaCy span (a word
segmenter would cut 介休市税务局 where its dictionary says, not where names end).

- ``kg_rules``: gazetteer, agency grammar, people/titles, initiatives/events;
  writes ``doc.spans["kg_rules"]``;
- ``kg_ner``: the statistical tagger (``kg.ner``), when its model is installed;
  writes ``doc.ents``;
- ``kg_learned``: the span classifier learned from annotated documents (``kg.learn``),
  only when a model folder is given (``kg --learned-model``); otherwise a no-op;
- ``kg_merge``: settles them into ``doc.spans["kg_mentions"]`` (see ``merge.py``).

Candidates with their attributes travel in ``doc.user_data`` under the same keys,
since spaCy spans cannot hold arbitrary attributes without global extensions.
"""

from spacy.language import Language
from spacy.tokens import Doc, Span

from .agencies import find_agencies, model_agency_attrs, plausible_agency
from .candidates import Candidate
from .initiatives import find_initiatives, find_table_tasks
from .merge import SpanIndex, merge
from .people import find_people, plausible_person, title_before, titled_name
from .places import (find_addressed_places, find_listed_places, find_places, find_venues, plausible_place,
                     seat_lookup)

RULES_KEY = "kg_rules"
NER_KEY = "kg_ner"
NER_RAW_KEY = "kg_ner_raw"  # every span the model proposed, before the shape filters
LEARNED_KEY = "kg_learned"
DROPPED_KEY = "kg_dropped"  # (start, end, label, score, step, reason) of model spans left out
MENTIONS_KEY = "kg_mentions"
TEXT_KEY = "kg_text"


class CharTokenizer:
    """One token per character, no trailing spaces, and the text kept in
    ``doc.user_data[TEXT_KEY]``: what ``spacy.blank("zh")``'s character segmenter
    gives for our purposes, at a fraction of its cost (its word/space alignment and
    every later ``doc.text``, which joins the tokens again, took a fifth of the
    extraction time on long reports)."""

    def __init__(self, vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        doc = Doc(self.vocab, words=list(text), spaces=[False] * len(text))
        doc.user_data[TEXT_KEY] = text
        return doc


def doc_text(doc: Doc) -> str:
    """The document's text, without rebuilding it from the tokens when it is known."""
    text = doc.user_data.get(TEXT_KEY)
    return text if text is not None else doc.text


def _spans(doc: Doc, cands: list[Candidate]) -> list[Span]:
    spans = []
    for c in cands:
        span = doc.char_span(c.start, c.end, label=c.label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


class RuleRecognizer:
    """All rule families over the whole text of a document."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from ..places import load_gazetteer
        from ..resolve import guess_home

        text = doc_text(doc)
        gazetteer = load_gazetteer()
        places = find_places(text, gazetteer)
        home = guess_home(places, gazetteer, text)
        if home is not None:
            places = find_places(text, gazetteer, home)
        places += find_listed_places(text, gazetteer, home)
        places += find_addressed_places(text, places, gazetteer)
        venues = find_venues(text, places)
        agencies = [a for a in find_agencies(text, places, seat_lookup(gazetteer)) if not any(v.end == a.end and v.start <= a.start for v in venues)]
        cands = (places + venues + find_people(text) + agencies + find_initiatives(text, places)
                 + find_table_tasks(text, agencies))
        doc.user_data[RULES_KEY] = cands
        doc.user_data["kg_home"] = home.id if home is not None else ""
        doc.spans[RULES_KEY] = _spans(doc, cands)
        return doc


class StatisticalNER:
    """The trained tagger of ``kg.ner``; a no-op when no model is installed."""

    def __init__(self, nlp: Language, name: str, min_score: float, model: str = "fast"):
        self.name = name
        self.min_score = min_score
        self.model = model  # which shipped model (kg.ner.MODELS)
        self._tagger = None

    def _load(self):
        if self._tagger is None:
            from ..ner import load_tagger

            self._tagger = load_tagger(model=self.model)
        return self._tagger

    def __call__(self, doc: Doc) -> Doc:
        from ..places import load_gazetteer

        tagger = self._load()
        text = doc_text(doc)
        gazetteer = load_gazetteer()
        home = gazetteer.get(doc.user_data.get("kg_home", "")) if doc.user_data.get("kg_home") else None
        found, dropped = [], doc.user_data.setdefault(DROPPED_KEY, [])
        proposed = tagger.predict_scored([text])[0]
        doc.user_data[NER_RAW_KEY] = proposed
        for start, end, label, score in proposed:
            if label == "Person" and inside_longer_quotation(text, start, end):
                # “安康杯”竞赛, “四梁八柱”: a name-like part of a quoted phrase
                dropped.append((start, end, label, score, "ner-filter", "a name-like part of a longer quotation"))
            elif score < self.min_score:
                dropped.append((start, end, label, score, "ner-filter", f"score below {self.min_score}"))
            elif label == "Title":
                dropped.append((start, end, label, score, "ner-filter", "titles are read by the rules only"))
            elif label == "Agency":
                # an agency's span keeps its relative prefix (市委宣讲团), for resolution
                attrs = model_agency_attrs(text, start, end)
                if attrs is None:
                    dropped.append((start, end, label, score, "ner-filter", f"not the shape of a {label} (plausible)"))
                else:
                    found.append(Candidate(start, end, label, "ner", float(score), attrs=attrs))
            elif label == "Person" and title_before(text, start) and titled_name(text[start:end]):
                # 县长巴特尔, 团委书记扎西次仁: a title licenses a name with no known surname
                found.append(Candidate(start, end, label, "ner", float(score), attrs={"titled": True}))
            elif not plausible(text[start:end], label, gazetteer, home, score=score,
                               quoted=inside_longer_quotation(text, start, end), before=text[max(0, start - 4):start]):
                dropped.append((start, end, label, score, "ner-filter", f"not the shape of a {label} (plausible)"))
            else:
                found.append(Candidate(start, end, label, "ner", float(score)))
        doc.user_data[NER_KEY] = found
        ents = [s for s in _spans(doc, found)]
        doc.ents = _non_overlapping(ents)
        return doc


def inside_longer_quotation(text: str, start: int, end: int, reach: int = 20) -> bool:
    """True when ``[start, end)`` lies inside a short quotation (“…”) that holds more
    than the span: the quotation is a slogan or a name of its own."""
    opened = text.rfind("“", max(0, start - reach), start + 1)
    if opened < 0 or "”" in text[opened:start]:
        return False
    closed = text.find("”", end, end + reach)
    if closed < 0 or "“" in text[end:closed]:
        return False
    return opened + 1 < start or closed > end


def plausible(name: str, label: str, gazetteer, home=None, score: float = 1.0, quoted: bool = False,
              before: str = "") -> bool:
    """Whether a span the model proposes has the shape of its type, so the model adds
    open-ended names without adding fragments: a person starts with a surname, an
    agency ends with an agency head, a place is in the gazetteer or ends with a level
    word or a feature word (a place no gazetteer lists also needs the model's
    ``score`` to be high enough, no longer quotation around it, ``quoted``, and no
    word running into it from ``before``, the text right before it).
    Titles are left to the rules."""
    if label == "Person":
        return plausible_person(name)
    if label == "Agency":
        return plausible_agency(name)
    if label == "Place":
        return plausible_place(name, gazetteer, home, score=score, quoted=quoted, before=before)
    return False


def _non_overlapping(spans: list[Span]) -> list[Span]:
    from spacy.util import filter_spans

    return filter_spans(spans)


class LearnedSelection:
    """The span classifier learned from annotated documents (``kg.learn.select``): it
    reads every span the rules and the NER proposed, and the quotations, and gives each
    a probability per type. A rule span whose own type it finds improbable (below
    ``drop``) is dropped; a span no rule proposed that it finds a name (at ``add`` or
    above) is added, for the merge to settle like the rules' spans. ``classifier`` is
    set from ``kg --learned-model DIR`` or, in cross-validation, fitted on the other
    folds; without one the component does nothing."""

    def __init__(self, nlp: Language, name: str, drop: float, add: float, relation_threshold: float):
        self.name = name
        self.drop = drop
        self.add = add
        self.classifier = None
        # the pair classifier of kg.learn.relations, used after relate (kg.pipeline)
        self.relations = None
        self.relation_threshold = relation_threshold

    def __call__(self, doc: Doc) -> Doc:
        if self.classifier is None:
            return doc
        from ..learn.select import TYPES, candidate_pool, pool_features

        text = doc_text(doc)
        rules = doc.user_data.get(RULES_KEY, [])
        ner = [(s, e, label, "ner") for s, e, label, _ in doc.user_data.get(NER_RAW_KEY, [])]
        pool = candidate_pool(text, [(c.start, c.end, c.label, c.source) for c in rules], ner)
        probs = {(p.start, p.end): self.classifier.probabilities(f) for p, f in zip(pool, pool_features(text, pool))}
        kept = [c for c in rules if c.label not in TYPES or probs.get((c.start, c.end), {}).get(c.label, 1.0) >= self.drop]
        ruled = {(c.start, c.end) for c in rules}
        added = []
        for (start, end), p in probs.items():
            label = max(TYPES, key=lambda t: p.get(t, 0.0))
            if (start, end) not in ruled and p.get(label, 0.0) >= self.add:
                added.append(Candidate(start, end, label, "learned", p[label]))
        doc.user_data[RULES_KEY] = kept
        doc.user_data[LEARNED_KEY] = sorted(added, key=lambda c: -c.score)
        return doc


class MentionMerger:
    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        # one sense per document: a string a rule reads as a person (市长韩立峰) is no
        # place or agency where the model tags it so in a headline (韩立峰到通化县…)
        people = {text[c.start:c.end] for c in doc.user_data.get(RULES_KEY, []) if c.label == "Person"}
        model = []
        for m in doc.user_data.get(NER_KEY, []):
            if m.label in ("Place", "Agency") and text[m.start:m.end] in people:
                doc.user_data.setdefault(DROPPED_KEY, []).append(
                    (m.start, m.end, m.label, m.score, "merge", "a rule reads the same string as a person"))
            else:
                model.append(m)
        doc.user_data[NER_KEY] = model
        final = merge(doc.user_data.get(RULES_KEY, []), model, doc.user_data.get(LEARNED_KEY, []))
        kept = {(c.start, c.end, c.label) for c in final}
        index = SpanIndex(final)
        for m in doc.user_data.get(NER_KEY, []):
            if (m.start, m.end, m.label) not in kept:
                other = next(iter(index.overlapping(m)), None)
                why = (f"overlaps {text[other.start:other.end]} ({other.label}, {other.source}), which was kept"
                       if other is not None else "overlaps a span that was kept")
                doc.user_data.setdefault(DROPPED_KEY, []).append((m.start, m.end, m.label, m.score, "merge", why))
        doc.user_data[MENTIONS_KEY] = final
        doc.spans[MENTIONS_KEY] = _spans(doc, final)
        return doc


@Language.factory("kg_rules", assigns=["doc.spans"])
def make_rules(nlp: Language, name: str) -> RuleRecognizer:
    return RuleRecognizer(nlp, name)


@Language.factory("kg_ner", assigns=["doc.ents"], default_config={"min_score": 0.5, "model": "fast"})
def make_ner(nlp: Language, name: str, min_score: float, model: str) -> StatisticalNER:
    return StatisticalNER(nlp, name, min_score, model)


@Language.factory("kg_learned", default_config={"drop": 0.05, "add": 0.5, "relation_threshold": 0.5})
def make_learned(nlp: Language, name: str, drop: float, add: float, relation_threshold: float) -> LearnedSelection:
    return LearnedSelection(nlp, name, drop, add, relation_threshold)


@Language.factory("kg_merge", assigns=["doc.spans"], requires=["doc.spans"])
def make_merge(nlp: Language, name: str) -> MentionMerger:
    return MentionMerger(nlp, name)

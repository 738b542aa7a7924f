"""Stage 4, extract: Segments -> Mentions, through a spaCy pipeline.

``make_nlp()`` builds the pipeline once (per worker process); ``extract()`` runs it on
one document and returns plain ``Mention`` records with clean and raw offsets and the
sentence each falls in. spaCy objects never leave this package.
"""
from __future__ import annotations

import os

import spacy
from spacy.language import Language

from ..errors import KGError
from ..types import Mention, Segments
from . import components  # noqa: F401  (registers the factories)
from .components import DROPPED_KEY, MENTIONS_KEY, CharTokenizer


def ner_available(model: str = "fast") -> bool:
    """True when the statistical tagger and this model of it are installed (the model
    stays loaded: ``load_tagger`` caches it for the pipeline component)."""
    try:
        from ..ner import load_tagger

        load_tagger(model=model)
    except (ImportError, OSError, KGError):  # no tagger or no model: rules only
        return False
    return True


def make_nlp(use_ner: bool | None = None, ner_model: str | None = None,
             use_learned: bool | None = None) -> Language:
    """The extraction pipeline: rules, the statistical NER (if installed), the models
    learned from annotated documents (when a folder of them is given), merge.

    ``use_learned=None`` means: use it unless ``KG_LEARNED`` is ``0`` (what
    ``--no-learned`` sets); ``KG_LEARNED_MODEL`` (``--learned-model``) names the folder
    of models ``kg train`` wrote.

    ``use_ner=None`` means: use the NER when its model is installed, unless the
    environment variable ``KG_NER`` is ``0`` (what ``--no-ner`` sets, so that worker
    processes follow it too). ``ner_model``: "fast" or "accurate" (``kg.ner.MODELS``);
    ``None`` reads ``KG_NER_MODEL`` (what ``--ner-model`` sets), else "fast"."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)  # the rules use jieba's tags; keep its loading quiet
    nlp = spacy.blank("zh")
    nlp.tokenizer = CharTokenizer(nlp.vocab)
    nlp.add_pipe("kg_rules")
    if use_ner is None and os.environ.get("KG_NER", "1") == "0":
        use_ner = False
    if use_ner is not False:
        from ..ner import MODELS

        ner_model = ner_model or os.environ.get("KG_NER_MODEL") or "fast"
        if ner_model not in MODELS:
            raise KGError(f"unknown NER model {ner_model!r} (KG_NER_MODEL?); choose one of {', '.join(MODELS)}")
        if use_ner or ner_available(ner_model):
            nlp.add_pipe("kg_ner", config={"model": ner_model})
    nlp.add_pipe("kg_learned")
    if use_learned is None:
        use_learned = os.environ.get("KG_LEARNED", "1") != "0"
    if use_learned:
        from ..learn import load_models

        load_models(os.environ.get("KG_LEARNED_MODEL") or None).install(nlp)
    nlp.add_pipe("kg_merge")
    return nlp


def extract(segments: Segments, nlp: Language) -> tuple[list[Mention], str, list[Mention]]:
    """Mentions of one document, the home place id the rules guessed, and the spans the
    statistical NER proposed that were left out (``source`` = the step, ``attrs["reason"]``
    = why), for ``kg extract --explain``."""
    doc_clean = segments.doc
    doc = nlp(doc_clean.text)
    mentions = []
    for c in doc.user_data[MENTIONS_KEY]:
        sentence = segments.sentence_at(c.start)
        raw_start, raw_end = doc_clean.to_raw(c.start, c.end)
        attrs = dict(c.attrs)
        if c.name:
            attrs["name"] = c.name
        mentions.append(Mention(doc_id=doc_clean.doc_id, start=c.start, end=c.end, text=doc_clean.text[c.start:c.end],
                                label=c.label, source=c.source, score=c.score, sentence=sentence.index,
                                raw_start=raw_start, raw_end=raw_end, attrs=attrs))
    dropped = []
    for start, end, label, score, step, reason in doc.user_data.get(DROPPED_KEY, []):
        raw_start, raw_end = doc_clean.to_raw(start, end)
        dropped.append(Mention(doc_id=doc_clean.doc_id, start=start, end=end, text=doc_clean.text[start:end],
                               label=label, source=step, score=float(score), sentence=segments.sentence_at(start).index,
                               raw_start=raw_start, raw_end=raw_end, attrs={"reason": reason}))
    return mentions, doc.user_data.get("kg_home", ""), dropped

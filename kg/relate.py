"""Stage 6, relate: Entities + Mentions + Segments -> Relations.

One function per relation of the guidelines (section 3); each returns Relations that
carry their evidence sentence, the rule that made them and a confidence.

- holds_position: [agency] title name, and chains 市人大常委会副主任、市总工会主席王根元;
  name title (李先念副总理, 以胡锦涛同志为总书记的党中央); a title with no agency in
  front uses the agency it implies (副市长 -> the home city's government, 总书记 ->
  中共中央), from ``people/titles.tsv``;
- located_in: an agency's or event's jurisdiction (its place prefix or resolved
  relative name), and an event's venue (在<place> in its sentence);
- part_of: the direct parent among the document's places, from the gazetteer;
- sub_organization_of: one agency's name nests in another's (晋中市委组织部 ->
  晋中市委);
- involved_in: an actor, a verb from ``initiatives/roles.tsv`` and an initiative or
  event in one sentence, actor first;
- cooperates_with: two agencies around a word from ``initiatives/cooperation.txt``.
"""
from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from .extract.initiatives import load_roles
from .labels import MentionType, RelationType
from .lexicon import iter_tsv, load_word_list
from .resolve import COUNTRY, HomeChain, article_agents, author
from .types import Entity, Mention, Relation, Segments

A, P, PL, I, E, T = (MentionType.AGENCY.value, MentionType.PERSON.value, MentionType.PLACE.value,
                     MentionType.INITIATIVE.value, MentionType.EVENT.value, MentionType.TITLE.value)
_CLAUSE = re.compile(r"[，,：:]")
_ADMIN_LEVELS = ("country", "province", "city", "county", "township", "village")


def _national_markers() -> tuple[str, ...]:
    return tuple(load_word_list("patterns/national_markers.txt"))


class _Ctx:
    """What the relation rules share for one document."""

    def __init__(self, mentions, names, segments, entities, jurisdiction):
        self.mentions = mentions
        self.names = names
        self.segments = segments
        self.entities = {e.key: e for e in entities}
        self.jurisdiction = jurisdiction
        self.by_sentence: dict[int, list[int]] = defaultdict(list)
        for i, m in enumerate(mentions):
            self.by_sentence[m.sentence].append(i)

    def maximal(self, idxs: list[int], labels: tuple[str, ...]) -> list[int]:
        """Mentions with these labels not nested in a longer agency mention: the actor
        of 榆次区税务局第二税务分局开展… is the sub-bureau, not 榆次区税务局 too."""
        picked = [i for i in idxs if self.mentions[i].label in labels and self.key(i)]
        return [i for i in picked if not any(
            j != i and self.mentions[j].label == A and self.mentions[j].start <= self.mentions[i].start
            and self.mentions[i].end <= self.mentions[j].end and
            (self.mentions[j].end - self.mentions[j].start) > (self.mentions[i].end - self.mentions[i].start)
            for j in picked)]

    def titled(self, i: int, idxs: list[int]) -> bool:
        """True when an agency mention is followed by a title (市总工会主席王根元): it
        names a post, not an actor."""
        m = self.mentions[i]
        return any(self.mentions[j].label == T and self.mentions[j].start == m.end for j in idxs)

    def key(self, i: int) -> tuple[str, str] | None:
        name = self.names.get(i)
        return (self.mentions[i].label, name) if name else None

    def relation(self, rtype, source, target, i_sentence, confidence, rule, **extra) -> Relation:
        sentence = self.segments.sentences[i_sentence]
        raw_start, raw_end = self.segments.doc.to_raw(sentence.start, sentence.end)
        return Relation(type=rtype.value, source=source, target=target, doc_id=self.segments.doc.doc_id,
                        sentence=i_sentence, evidence=sentence.text, confidence=round(confidence, 3), rule=rule,
                        raw_start=raw_start, raw_end=raw_end, **extra)


def holds_position(ctx: _Ctx, chain_for) -> list[Relation]:
    out = []
    text = ctx.segments.doc.text
    for sent, idxs in ctx.by_sentence.items():
        ms = [(i, ctx.mentions[i]) for i in idxs]
        for i, person in ms:
            if person.label != P:
                continue
            # title chain ending right before the name
            pos = person.start
            first = True
            while True:
                title = next((m for j, m in ms if m.label == T and m.end == pos), None)
                if title is None:
                    break
                agency_i = next((j for j, m in ms if m.label == A and m.end == title.start and ctx.key(j)), None)
                target = ctx.key(agency_i) if agency_i is not None else _implied(ctx, title, chain_for(sent))
                if target:
                    conf = min(person.score, title.score) * (0.95 if agency_i is not None else 0.8)
                    out.append(ctx.relation(RelationType.HOLDS_POSITION, ctx.key(i), target, sent, conf,
                                            "title-chain" if not first else "title+name", title=title.text))
                start = ctx.mentions[agency_i].start if agency_i is not None else title.start
                if start > 0 and text[start - 1] in "、，,":
                    pos = start - 1
                    first = False
                    continue
                break
            # name + title: 习近平总书记, 以胡锦涛同志为总书记的, 李先念、薄一波两位副总理 (the
            # title says where its names end); a title no rule gave a name to takes the
            # name right before it
            after = next((m for j, m in ms if m.label == T
                          and person.end in m.attrs.get("name_ends", (m.attrs.get("name_end", m.start),))
                          and (m.attrs.get("after_name") or m.attrs.get("alone"))), None)
            if after is not None:
                target = _implied(ctx, after, chain_for(sent))
                if target:
                    out.append(ctx.relation(RelationType.HOLDS_POSITION, ctx.key(i), target, sent,
                                            person.score * 0.85, "name+title", title=after.text))
    return out


def _implied(ctx: _Ctx, title: Mention, chain: HomeChain) -> tuple[str, str] | None:
    template = title.attrs.get("implies", "")
    if not template:
        return _author_title(ctx, title)
    match = re.search(r"\{(\w+)\}", template)
    if match:
        place = chain.at(match.group(1))
        if not place:
            return None
        return (A, template.replace(match.group(0), place))
    return (A, template)


def _author_of(ctx: _Ctx) -> str | None:
    """The body the document's title opens with (``resolve.author``), once per document."""
    if not hasattr(ctx, "author"):
        ctx.author = author(ctx.mentions, ctx.names, ctx.segments.doc.text)
    return ctx.author


def _author_title(ctx: _Ctx, title: Mention) -> tuple[str, str] | None:
    """In a body's own summary a post of that body is named by its head alone: 局长,
    副局长 in the 人社局's, 厅长 in the 水利厅's (the title names the body)."""
    body = _author_of(ctx)
    post = re.sub(r"^(?:常务)?副", "", title.text)
    if body is None or len(post) < 2 or not post.startswith(body[-1]):
        return None
    key = (A, body)
    return key if key in ctx.entities else None


def located_in(ctx: _Ctx, chain_for=None) -> list[Relation]:
    out = []
    places = {k[1] for k in ctx.entities if k[0] == PL}
    seen = set()
    inner = _innermost_places(ctx)
    for key, place in ctx.jurisdiction.items():
        place = inner.get(key, place)
        if key[0] in (A, E) and place in places | {COUNTRY}:
            ent = ctx.entities.get(key)
            if ent is None:
                continue
            m = ent.mentions[0]
            seen.add((key, place))
            out.append(ctx.relation(RelationType.LOCATED_IN, key, (PL, place), m.sentence, ent.confidence * 0.95,
                                    "jurisdiction"))
    text = ctx.segments.doc.text
    for sent, idxs in ctx.by_sentence.items():
        ms = [(i, ctx.mentions[i]) for i in idxs]
        for i, m in ms:
            if m.label not in (A, E) or not ctx.key(i):
                continue
            # the last place named inside the agency or event name
            inside = [j for j, p in ms if p.label == PL and m.start <= p.start and p.end < m.end and ctx.key(j)]
            if inside and ctx.key(i) not in ctx.jurisdiction:
                pair = (ctx.key(i), ctx.key(inside[-1]))
                if pair not in seen:
                    seen.add(pair)
                    out.append(ctx.relation(RelationType.LOCATED_IN, *pair, sent, m.score * 0.9, "name-place"))
            # no place in the name: national bodies and events lie in 中国, the rest in
            # the home place of their article
            if ctx.key(i) not in ctx.jurisdiction and not inside and chain_for is not None \
                    and not any(r.source == ctx.key(i) for r in out):
                # an event of a one-article text is the speaking place's, even where the
                # article names one county often enough to narrow relative words to it
                own = -1 if m.label == E and len(ctx.segments.articles) == 1 else sent
                target = COUNTRY if m.text.startswith(_national_markers()) else chain_for(own).lowest
                if target and (ctx.key(i), (PL, target)) not in seen:
                    seen.add((ctx.key(i), (PL, target)))
                    out.append(ctx.relation(RelationType.LOCATED_IN, ctx.key(i), (PL, target), sent, m.score * 0.6,
                                            "home-place"))
            # an event's venue: 在<place> (the whole place named there, not a river in its name)
            if m.label == E:
                for j, p in ms:
                    if p.label == PL and ctx.key(j) and text[max(0, p.start - 1):p.start] == "在" and not any(
                            q.label == PL and q.start == p.start and q.end > p.end for _, q in ms):
                        pair = (ctx.key(i), ctx.key(j))
                        if pair not in seen:
                            seen.add(pair)
                            out.append(ctx.relation(RelationType.LOCATED_IN, *pair, sent, 0.6, "venue"))
    return out


def _innermost_places(ctx: _Ctx) -> dict:
    """Agency key -> the last place named inside its name, when that differs from the
    first (中国工商银行长治分行 lies in 长治市, not in 中国)."""
    out = {}
    for idxs in ctx.by_sentence.values():
        for i in idxs:
            m = ctx.mentions[i]
            if m.label != A or not ctx.key(i):
                continue
            inside = [j for j in idxs if ctx.mentions[j].label == PL and m.start <= ctx.mentions[j].start
                      and ctx.mentions[j].end < m.end and ctx.key(j)
                      and ctx.mentions[j].attrs.get("level") in _ADMIN_LEVELS]
            if len(inside) > 1 or (inside and ctx.mentions[inside[-1]].start > m.start):
                out[ctx.key(i)] = ctx.key(inside[-1])[1]
    return out


def part_of(ctx: _Ctx, gazetteer, chain_for) -> list[Relation]:
    """Places in the gazetteer: the nearest ancestor that the document names (for a
    village the gazetteer lacks, listed with villages it has: their parent's). Venues
    and local features it does not list: the venue whose name theirs extends
    (文化宫体育活动中心 -> 文化宫), else a division written right before them (来远镇东山村),
    else the village whose short name theirs holds (美丽枣园主题游园 -> 枣园村), else the
    last place inside their name, else the place
    their relative prefix resolves to, else the article's home place.

    A division links to its nearest ancestor among the document's places (guidelines:
    the direct parent among the annotated places), one parent per document; where
    documents name different ancestors of one place, the merged graph keeps the direct
    one (``kg.graph``)."""
    out = []
    places = {k[1]: e for k, e in ctx.entities.items() if k[0] == PL}
    for name, ent in places.items():
        pid = ent.attrs.get("place_id")
        place = gazetteer.get(pid) if pid else None
        if place is not None:
            for ancestor in gazetteer.ancestors(place):
                if ancestor.name in places and ancestor.name != name:
                    out.append(ctx.relation(RelationType.PART_OF, (PL, name), (PL, ancestor.name),
                                            ent.mentions[0].sentence, 0.9, "gazetteer"))
                    break
            continue
        if not ent.mentions or ent.attrs.get("level") == "country":
            continue
        known_parent = gazetteer.get(ent.attrs["parent_id"]) if ent.attrs.get("parent_id") else None
        if known_parent is not None:  # a village the gazetteer lacks, listed with its neighbours
            named = next((p.name for p in [known_parent, *gazetteer.ancestors(known_parent)] if p.name in places), "")
            if named:
                out.append(ctx.relation(RelationType.PART_OF, (PL, name), (PL, named), ent.mentions[0].sentence,
                                        0.7, "listed-with"))
                continue
        if ent.attrs.get("level") == "region" and COUNTRY in places and any(w in name for w in _national_markers()):
            out.append(ctx.relation(RelationType.PART_OF, (PL, name), (PL, COUNTRY), ent.mentions[0].sentence,
                                    0.6, "national-region"))
            continue
        parent = max((p for p in places if p != name and name.startswith(p) and not places[p].attrs.get("place_id")),
                     key=len, default="") or _written_after(ctx, ent) or _short_form_host(name, places) \
            or _inner_place(ctx, ent) or ctx.jurisdiction.get((PL, name), "")
        if not parent:
            parent = chain_for(-1).lowest  # the document's home place
        if parent and parent != name:
            out.append(ctx.relation(RelationType.PART_OF, (PL, name), (PL, parent), ent.mentions[0].sentence,
                                    0.6, "venue"))
    return out


def _written_after(ctx: _Ctx, ent: Entity) -> str:
    """A larger division written right before the place (来远镇东山村: 来远镇), as
    addresses are written from the larger to the smaller."""
    rank = _ADMIN_LEVELS.index(ent.attrs["level"]) if ent.attrs.get("level") in _ADMIN_LEVELS else len(_ADMIN_LEVELS)
    for m in ent.mentions:
        for j in ctx.by_sentence.get(m.sentence, []):
            p = ctx.mentions[j]
            if p.label == PL and p.end == m.start and ctx.key(j) and p.attrs.get("level") in _ADMIN_LEVELS \
                    and _ADMIN_LEVELS.index(p.attrs["level"]) < rank:
                return ctx.key(j)[1]
    return ""


def _short_form_host(name: str, places: dict[str, Entity]) -> str:
    """The village or township whose short name the place's name holds (美丽枣园主题游园
    lies in 枣园村): local venues are named after their village."""
    hosts = [(len(p) - 1, p) for p, e in places.items() if p != name and e.attrs.get("level") in ("village", "township")
             and p[-1] in "村镇乡" and len(p) >= 3 and p[:-1] in name]
    return max(hosts)[1] if hosts else ""


def _inner_place(ctx: _Ctx, ent: Entity) -> str:
    """The last gazetteer place named inside one of the entity's mentions."""
    for m in ent.mentions:
        for j in ctx.by_sentence.get(m.sentence, []):
            p = ctx.mentions[j]
            if p.label == PL and m.start <= p.start and p.end <= m.end and (p.start, p.end) != (m.start, m.end) \
                    and p.attrs.get("place_id") and ctx.key(j):
                return ctx.key(j)[1]
    return ""


def sub_organization_of(ctx: _Ctx) -> list[Relation]:
    """One agency's name nests in another's (晋中市委组织部 -> 晋中市委), also through a
    fixed abbreviation (共青团晋中市委 -> 中国共产主义青年团, 中共中央 -> 中国共产党) when the
    document names that body."""
    out = []
    agencies = sorted((k[1] for k in ctx.entities if k[0] == A), key=len)
    for name in agencies:
        ent = ctx.entities[(A, name)]
        parent = ent.attrs.get("named_parent")
        if parent and (A, parent) in ctx.entities and parent != name:
            out.append(ctx.relation(RelationType.SUB_ORGANIZATION_OF, (A, name), (A, parent),
                                    ent.mentions[0].sentence, ent.confidence * 0.85, "name-abbreviation"))
    same_body = tuple(load_word_list("agencies/same_body_endings.txt"))
    for name in agencies:
        parents = [p for p in agencies if len(p) < len(name) and name.startswith(p) and len(p) >= 3
                   and name[len(p):] not in same_body]
        if parents:
            parent = max(parents, key=len)
            ent = ctx.entities[(A, name)]
            out.append(ctx.relation(RelationType.SUB_ORGANIZATION_OF, (A, name), (A, parent),
                                    ent.mentions[0].sentence, ent.confidence * 0.9, "name-nesting"))
    return out


class _Links:
    """involved_in relations collected once per (actor, target) pair."""

    def __init__(self, ctx: _Ctx):
        self.ctx = ctx
        self.out: list[Relation] = []
        self.seen: set = set()

    def add(self, actor: tuple, target: tuple, sentence: int, confidence: float, rule: str, role: str) -> None:
        if (actor, target) in self.seen or actor == target:
            return
        self.seen.add((actor, target))
        self.out.append(self.ctx.relation(RelationType.INVOLVED_IN, actor, target, sentence, confidence, rule,
                                          role=role))


@lru_cache(maxsize=1)
def _role_verb_re() -> re.Pattern[str]:
    """The verbs of ``initiatives/roles.tsv``, longest first."""
    return re.compile("|".join(sorted(map(re.escape, load_roles()), key=len, reverse=True)))


def involved_in(ctx: _Ctx) -> list[Relation]:
    """Actors (agencies, people) and the initiatives and events they take part in, each
    link stated in one sentence:

    - actor, role verb, target (市总工会实施…工程); the target may be named before, in
      the sentence's topic (围棋精英赛由市体育局指导), or referred back to (本次比赛由…);
    - what is done, then the doer after the comma (深入开展主题教育，市总工会…);
    - actor 在 event 上 (总书记在…大会上的讲话): participant;
    - event 代表 person (党的二十大代表刘桂珍): participant;
    - an event named after its organizer (市总工会三届七次全委会议).
    """
    links = _Links(ctx)
    _verb_links(ctx, links)
    _by_links(ctx, links)
    _fronted_links(ctx, links)
    _pattern_links(ctx, links)
    _owner_links(ctx, links)
    _table_links(ctx, links)
    return links.out


def _verb_links(ctx: _Ctx, links: _Links) -> None:
    roles = load_roles()
    verb_re = _role_verb_re()
    anaphora = {f[0]: f[1] for _, f in iter_tsv("initiatives/anaphora.tsv", 2, 2)}
    ana_re = re.compile("|".join(sorted((re.escape(a) for a, w in anaphora.items() if w == "any"), key=len, reverse=True)))
    after_verb = tuple(a for a, w in anaphora.items() if w == "after_verb")
    text = ctx.segments.doc.text
    speech = load_word_list("initiatives/speech_verbs.txt")
    reported = _reported_events(ctx)
    events: dict[int, list[int]] = defaultdict(list)  # article -> its events, in text order
    for i in sorted(range(len(ctx.mentions)), key=lambda i: ctx.mentions[i].start):
        if ctx.mentions[i].label == E and ctx.key(i):
            events[ctx.segments.sentences[ctx.mentions[i].sentence].article].append(i)
    for sent_i in sorted(ctx.by_sentence):
        idxs = ctx.by_sentence[sent_i]
        sentence = ctx.segments.sentences[sent_i]
        # actors: not a post in a title chain (市总工会主席), not a place phrase (在…举办),
        # not a byline (记者李文娟)
        actors = [i for i in ctx.maximal(idxs, (A, P)) if not ctx.titled(i, idxs)
                  and text[ctx.mentions[i].start - 1:ctx.mentions[i].start] not in ("在", "到", "于")
                  and not ctx.mentions[i].attrs.get("byline")]
        targets = [i for i in idxs if ctx.mentions[i].label in (I, E) and ctx.key(i)]
        previous_event = reported.get(sentence.article)
        if previous_event is not None and ctx.mentions[previous_event].sentence >= sent_i:
            previous_event = None
        if not actors:
            continue
        verbs = [v for v in verb_re.finditer(text, sentence.start, sentence.end)
                 if text[v.start() - 1:v.start()] not in ("为", "的")]  # 以…为指导, 召开的
        for n, verb in enumerate(verbs):
            role = roles[verb.group(0)]
            clause = _clause_start(text, sentence.start, verb.start())
            near = [a for a in actors if clause <= ctx.mentions[a].start and ctx.mentions[a].end <= verb.start()]
            if not near:
                first = min(actors, key=lambda a: ctx.mentions[a].start)
                if ctx.mentions[first].start - sentence.start <= 2 and ctx.mentions[first].end <= verb.start() \
                        and not text.startswith(tuple(speech), ctx.mentions[first].end):
                    near = [first]  # the sentence's subject, unless it only speaks (王根元指出，…)
                    near += [a for a in actors if text[ctx.mentions[a].start - 1:ctx.mentions[a].start] == "、"
                             and ctx.mentions[a].start - 1 == ctx.mentions[first].end]  # 该乡党委、政府
            if not near:
                continue
            near += _listed_before(ctx, idxs, text, sentence.start, clause, actors)
            stop = verbs[n + 1].start() if n + 1 < len(verbs) else sentence.end
            after = [t for t in targets if verb.end() <= ctx.mentions[t].start < stop]
            topic = [t for t in targets if ctx.mentions[t].end <= ctx.mentions[near[0]].start
                     and "由" in text[ctx.mentions[t].end:ctx.mentions[near[0]].start]]
            if after:
                chosen, conf, rule = after, 0.7, "actor-verb-target"
            elif topic:
                chosen, conf, rule = topic, 0.65, "topic-by-actor"
            elif (named := _named_back(ctx, events.get(sentence.article, ()), sent_i, stop, verb.end())) is not None:
                chosen, conf, rule = [named], 0.55, "actor-verb-back-reference"
            elif previous_event is not None and (
                    ana_re.search(text, sentence.start, stop) or text.startswith(after_verb, verb.end())
                    or (role == "participant" and not targets)):
                chosen, conf, rule = [previous_event], 0.55, "actor-verb-back-reference"
            else:
                continue
            for a in near:
                for t in chosen:
                    links.add(ctx.key(a), ctx.key(t), sent_i, conf * ctx.mentions[a].score, rule, role)


_DEICTIC = ("本次", "此次", "这次", "本届", "该")


def _named_back(ctx: _Ctx, events: list[int], sent_i: int, stop: int, after_verb: int) -> int | None:
    """The latest event of the article, named in an earlier sentence, that this one refers
    to by the tail of its name: right after the verb (观摩职业技能竞赛 after 2024年…职业
    技能竞赛) or after 本次/此次 (本次培训班由…举办 after 全市…农民培训班). Two
    characters at least, so that one character of a name is no reference."""
    text = ctx.segments.doc.text
    clause = text[ctx.segments.sentences[sent_i].start:stop]
    for e in reversed(events):
        m = ctx.mentions[e]
        if m.sentence >= sent_i:
            continue
        name = text[m.start:m.end]
        for k in range(min(len(name) - 1, 8), 1, -1):
            tail = name[-k:]
            if text.startswith(tail, after_verb) or any(d + tail in clause for d in _DEICTIC):
                return e
    return None


def _listed_before(ctx: _Ctx, idxs: list[int], text: str, sent_start: int, clause: int,
                   actors: list[int]) -> list[int]:
    """The actors of the clause before ``clause`` when that clause names only actors
    and their posts (柳河县委书记王春雷，市农业农村局局长丁振国参加…): a list of
    subjects split by a comma shares the verb after the last one."""
    if clause <= sent_start or text[clause - 1] not in "，,":
        return []
    begin = _clause_start(text, sent_start, clause - 1)
    covered = set()
    for j in idxs:
        m = ctx.mentions[j]
        if m.label in (A, P, T) and begin <= m.start and m.end <= clause - 1:
            covered.update(range(m.start, m.end))
    rest = [k for k in range(begin, clause - 1) if k not in covered and text[k] not in "、和及 "]
    if rest or not covered:
        return []
    return [a for a in actors if begin <= ctx.mentions[a].start and ctx.mentions[a].end <= clause - 1]


def _by_links(ctx: _Ctx, links: _Links) -> None:
    """由 A、B 主办，C 承办的 E: every actor named between 由 and the 的 right before the
    event takes part in it, in the role of the first verb after it."""
    roles = load_roles()
    verb_re = _role_verb_re()
    text = ctx.segments.doc.text
    for sent_i, idxs in ctx.by_sentence.items():
        sentence = ctx.segments.sentences[sent_i]
        for t in idxs:
            tm = ctx.mentions[t]
            if tm.label not in (I, E) or not ctx.key(t) or text[tm.start - 1:tm.start] != "的":
                continue
            by = text.rfind("由", sentence.start, tm.start)
            if by < 0 or "。" in text[by:tm.start]:
                continue
            if any(ctx.mentions[o].label in (I, E) and by < ctx.mentions[o].start < tm.start for o in idxs):
                continue
            for a in ctx.maximal(idxs, (A, P)):
                am = ctx.mentions[a]
                if not (by < am.start and am.end < tm.start) or ctx.titled(a, idxs):
                    continue
                verb = verb_re.search(text, am.end, tm.start)
                if verb is not None:
                    links.add(ctx.key(a), ctx.key(t), sent_i, 0.65 * am.score, "by-actor-verb-target",
                              roles[verb.group(0)])


def _reported_events(ctx: _Ctx) -> dict[int, int]:
    """Article -> the event it reports: the first one followed by a verb saying it took
    place (…会议召开), else the first one named."""
    held = tuple(load_word_list("initiatives/held_verbs.txt"))
    text = ctx.segments.doc.text
    first: dict[int, int] = {}
    held_first: dict[int, int] = {}
    for i, m in enumerate(ctx.mentions):
        if m.label != E or not ctx.key(i):
            continue
        article = ctx.segments.sentences[m.sentence].article
        first.setdefault(article, i)
        after = re.sub(r"^[（(][^）)]{0,6}[）)]", "", text[m.end:m.end + 16])  # …会议（视频）召开
        if article not in held_first and any(after.startswith(v) or ("在" in after[:2] and v in after) for v in held):
            held_first[article] = i
    return {**first, **held_first}


def _fronted_links(ctx: _Ctx, links: _Links) -> None:
    """A sentence that opens with what is done and names the doer after the comma:
    在推进“我为群众办实事”实践活动中，市总工会…; 深入开展主题教育，市总工会…"""
    roles = load_roles()
    verb_re = _role_verb_re()
    text = ctx.segments.doc.text
    for sent_i, idxs in ctx.by_sentence.items():
        sentence = ctx.segments.sentences[sent_i]
        comma = next((m.start() for m in _CLAUSE.finditer(text, sentence.start, sentence.end)), None)
        if comma is None:
            continue
        actors = [i for i in ctx.maximal(idxs, (A, P)) if comma < ctx.mentions[i].start <= comma + 3]
        targets = [i for i in idxs if ctx.mentions[i].label in (I, E) and ctx.key(i) and ctx.mentions[i].end <= comma]
        verbs = list(verb_re.finditer(text, sentence.start, comma))
        if not actors or not targets or not verbs:
            continue
        if any(ctx.mentions[i].label in (A, P) and ctx.mentions[i].end <= comma for i in idxs):
            continue  # the first clause has its own actor
        role = roles[verbs[0].group(0)]
        for t in targets:
            if ctx.mentions[t].start >= verbs[0].end():
                links.add(ctx.key(actors[0]), ctx.key(t), sent_i, 0.55 * ctx.mentions[actors[0]].score,
                          "fronted-target", role)


def _pattern_links(ctx: _Ctx, links: _Links) -> None:
    """Participation stated without a role verb: 习近平总书记在…大会上, 党的二十大代表刘桂珍."""
    text = ctx.segments.doc.text
    for sent_i, idxs in ctx.by_sentence.items():
        events = [i for i in idxs if ctx.mentions[i].label == E and ctx.key(i)]
        if not events:
            continue
        actors = ctx.maximal(idxs, (A, P))
        for e in events:
            em = ctx.mentions[e]
            for a in actors:
                am = ctx.mentions[a]
                title_end = next((ctx.mentions[j].end for j in idxs if ctx.mentions[j].label == T
                                  and ctx.mentions[j].start == am.end), am.end)  # 习近平总书记在…
                gap = text[title_end:em.start]
                if gap == "在" and text.startswith("上", em.end):
                    links.add(ctx.key(a), ctx.key(e), sent_i, 0.6 * am.score, "actor-at-event", "participant")
                if am.label == P and text[em.end:am.start] == "代表":
                    links.add(ctx.key(a), ctx.key(e), sent_i, 0.6 * am.score, "event-delegate", "participant")


def _owner_links(ctx: _Ctx, links: _Links) -> None:
    """An event named after its organizer: 市总工会三届七次全委会议 -> 晋中市总工会."""
    agencies = sorted((k[1] for k in ctx.entities if k[0] == A), key=len, reverse=True)
    for key, ent in ctx.entities.items():
        if key[0] != E:
            continue
        # a session names its body around the term: 昭觉县十届人大三次会议 -> 昭觉县人大
        name = _TERM.sub("", key[1], count=1)
        owner = next((a for a in agencies if name.startswith(a) and len(a) < len(name)), None)
        if owner and not re.match(r"(成立|建立|诞生)|.*周年", name[len(owner):]):  # not 共青团成立100周年大会
            links.add((A, owner), key, ent.mentions[0].sentence if ent.mentions else 0, 0.6, "event-owner",
                      "organizer")


_TERM = re.compile(r"(?<=[省市县区州旗盟])第?[一二三四五六七八九十百零〇\d]+届(?=人大|人民代表大会|政协)")


def _table_links(ctx: _Ctx, links: _Links) -> None:
    """A task table's row: the units of the cell after the task carry it out
    (昭觉县中医医院迁建项目　县卫生健康局　2025年6月)."""
    text = ctx.segments.doc.text
    for i, m in enumerate(ctx.mentions):
        if m.source != "rule:table-task" or not ctx.key(i):
            continue
        line_end = text.find("\n", m.end)
        cell_end = text.find(" ", m.end + 1, line_end if line_end >= 0 else len(text))
        cell_end = cell_end if cell_end >= 0 else (line_end if line_end >= 0 else len(text))
        for a in ctx.maximal(ctx.by_sentence[m.sentence], (A,)):
            if m.end < ctx.mentions[a].start < cell_end:
                links.add(ctx.key(a), ctx.key(i), m.sentence, 0.6 * ctx.mentions[a].score, "table-row", "implementer")


def _clause_start(text: str, sent_start: int, pos: int) -> int:
    cut = max((m.end() for m in _CLAUSE.finditer(text, sent_start, pos)), default=sent_start)
    return cut


def cooperates_with(ctx: _Ctx) -> list[Relation]:
    """Two agencies around a cooperation word (与…签订, 联合…); with no subject in the
    sentence, the agency its article is about (see ``resolve.article_agents``)."""
    sent_article = {x.index: x.article for x in ctx.segments.sentences}
    agents = article_agents({k: list(e.mentions) for k, e in ctx.entities.items()}, sent_article, ctx.segments)
    words = load_word_list("initiatives/cooperation.txt")
    joint = load_word_list("initiatives/joint_words.txt")
    word_re = re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))
    out = []
    seen = set()
    text = ctx.segments.doc.text
    # a one-article text whose title opens with a body is that body's own summary
    author_body = _author_of(ctx) if len(ctx.segments.articles) == 1 else None
    for sent_i, idxs in ctx.by_sentence.items():
        sentence = ctx.segments.sentences[sent_i]
        agencies = ctx.maximal(idxs, (A,))
        if not agencies or not word_re.search(text, sentence.start, sentence.end):
            continue
        for w in word_re.finditer(text, sentence.start, sentence.end):
            clause = _clause_start(text, sentence.start, w.start())
            before = [a for a in agencies if ctx.mentions[a].end <= w.start()]
            after = [a for a in agencies if ctx.mentions[a].start >= w.end()]
            listed = _joined_before(ctx, text, before, w.start()) if w.group(0) in joint else []
            if listed and text[ctx.mentions[listed[0]].start - 1:ctx.mentions[listed[0]].start] in ("与", "同", "和"):
                listed = []  # 与A、B联合…: the partners of an unstated subject
            if len(listed) > 1:
                # 县工商联、县市场监管局联合开展…: the bodies listed before the word work together
                for x, y in zip(listed, listed[1:]):
                    a, b = sorted([ctx.key(x), ctx.key(y)])
                    if a != b and (a, b) not in seen:
                        seen.add((a, b))
                        out.append(ctx.relation(RelationType.COOPERATES_WITH, a, b, sent_i, 0.6,
                                                "cooperation-listed"))
                continue
            partner = None
            if before and text[ctx.mentions[before[-1]].start - 1:ctx.mentions[before[-1]].start] in ("与", "同", "和"):
                partner = before[-1]
                # the subject is in the partner's clause: 建水一中…投入使用，A与B合作 -> A
                subjects = [a for a in before[:-1] if ctx.mentions[a].start >= clause][-1:]
            elif after and ctx.mentions[after[0]].start - w.end() <= 1:
                partner = after[0]
                subjects = before
            else:
                continue
            if not subjects:
                # 联合晋中爱尔眼科医院开展…, 协同县委统战部、工商联加强…: the unstated subject
                # is the body whose summary this is (its title names it), else the agency
                # the article is about (named at least twice in it); every partner listed
                # after the word works with it
                agent = author_body or agents.get(ctx.segments.sentences[sent_i].article)
                subject = (A, agent) if agent else None
                partners = [partner] + (_listed_after(ctx, text, after) if after and partner == after[0] else [])
                for p in partners:
                    if subject is None or subject == ctx.key(p):
                        continue
                    a, b = sorted([subject, ctx.key(p)])
                    if (a, b) not in seen:
                        seen.add((a, b))
                        out.append(ctx.relation(RelationType.COOPERATES_WITH, a, b, sent_i, 0.45,
                                                "cooperation-article-agent"))
                continue
            subject = subjects[0]
            partners = [partner] + (_listed_after(ctx, text, after) if after and partner == after[0] else [])
            for p in partners:
                a, b = sorted([ctx.key(subject), ctx.key(p)])
                if a == b or (a, b) in seen:
                    continue
                seen.add((a, b))
                out.append(ctx.relation(RelationType.COOPERATES_WITH, a, b, sent_i, 0.6, "cooperation-word"))
    return out


def _listed_after(ctx: _Ctx, text: str, after: list[int]) -> list[int]:
    """The agencies listed right after ``after[0]`` (…联合A、B和C开展), joined by 、 和
    与 及 with nothing else between them."""
    listed = []
    last = after[0]
    for a in after[1:]:
        if text[ctx.mentions[last].end:ctx.mentions[a].start] not in ("、", "和", "与", "及"):
            break
        listed.append(a)
        last = a
    return listed


def _joined_before(ctx: _Ctx, text: str, before: list[int], pos: int) -> list[int]:
    """The agencies listed right before ``pos`` (A、B和C联合…), joined by 、 和 与 及
    with nothing else between them; the last ends at ``pos``."""
    if not before or ctx.mentions[before[-1]].end != pos:
        return []
    listed = [before[-1]]
    for a in reversed(before[:-1]):
        gap = text[ctx.mentions[a].end:ctx.mentions[listed[0]].start]
        if gap not in ("、", "和", "与", "及"):
            break
        listed.insert(0, a)
    return listed


def relate(mentions: list[Mention], names: dict[int, str], segments: Segments, entities: list[Entity],
           jurisdiction: dict, chains: dict[int, HomeChain], gazetteer) -> list[Relation]:
    """All relations of one document; duplicates (same type and ends) kept once."""
    ctx = _Ctx(mentions, names, segments, entities, jurisdiction)
    sent_article = {s.index: s.article for s in segments.sentences}

    def chain_for(sentence: int) -> HomeChain:
        """The home chain of the sentence's article; -1 gives the document's."""
        if sentence < 0:
            return chains.get("document", HomeChain())
        return chains.get(sent_article.get(sentence, 0), HomeChain())

    found = (holds_position(ctx, chain_for) + located_in(ctx, chain_for) + part_of(ctx, gazetteer, chain_for) +
             sub_organization_of(ctx) + involved_in(ctx) + cooperates_with(ctx))
    best: dict[tuple, Relation] = {}
    for r in found:
        key = (r.type, r.source, r.target, r.title)
        if key not in best or r.confidence > best[key].confidence:
            best[key] = r
    return list(best.values())

"""Per-document results merged into one networkx graph, and back out as node-link data.

The graph is the single place where documents meet: an entity named in ten documents is
one node that remembers all ten (``documents``, ``mentions``), and a relation stated in
three documents is one edge whose ``evidence`` lists the three sentences. Every export
(RDF, Gephi, JSON) reads this graph, so provenance is decided once, here.

Identity follows ``Entity.key``: ``(type, canonical name)``, and for a person also its
scope (``kg.scope``: the city, province or 中国 where the document places it), so two
people with one name in different places are two nodes. Node ids are the readable
string ``"<type>:<name>"`` (``Agency:晋中市总工会``), ``"<type>:<name>@<scope>"`` for a
person (``Person:王伟@晋中市``; the ``label`` stays ``王伟`` and ``scope`` is an
attribute); document nodes are ``"Document:<doc id>"``, which cannot clash because
``Document`` is not an entity type.

Edges are keyed so that merging is a dictionary update: the key of a relation edge is
its type plus, where they distinguish one claim from another, its ``title`` (a person
who is 主席 and 副主任 of the same body holds two posts) and ``role``. A symmetric
relation (``cooperates_with``) is stored once, from the smaller node id to the larger,
whichever way round a document stated it.

Documents are also compared with each other (``kg.dedup``): two documents that are
versions of one text get a ``near_duplicate_of`` edge between their document nodes
(``similarity``, ``method``), and where their aligned sentences name a person
differently (郭焕平 / 郝焕平), the two person nodes stay apart and get a
``possibly_same_as`` edge with ``flagged: True`` and both sentences as ``evidence``.
Both edges are symmetric and stored once, from the smaller node id to the larger.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from sys import intern
from typing import Any, Iterable, Mapping

import networkx as nx

from .errors import InputError
from .dedup import METHOD, NameConflict, NearDuplicate, NearDuplicateIndex
from .labels import MENTIONED_IN, NEAR_DUPLICATE_OF, POSSIBLY_SAME_AS, SYMMETRIC_RELATIONS, RelationType
from .types import DocResult, Entity, Mention, Relation

log = logging.getLogger(__name__)

DOCUMENT = "Document"
"""Node ``type`` of document nodes (entity nodes carry one of ``ENTITY_TYPES``)."""

_ENTITY_FIELDS = frozenset(
    {"type", "label", "scope", "pinyin", "aliases", "confidence", "documents", "mentions"}
)
_DOCUMENT_FIELDS = frozenset({"type", "label", "aliases", "path", "jurisdiction"})


@lru_cache(maxsize=1)
def _pinyin():
    """pypinyin's ``lazy_pinyin`` with the place-name readings of
    ``gazetteers/place_readings.tsv`` added to its phrase dictionary (长治 is cháng zhì,
    单县 shàn xiàn, where the common reading of the character differs)."""
    from pypinyin import load_phrases_dict, lazy_pinyin

    from .lexicon import iter_tsv

    load_phrases_dict({f[0]: [[syllable] for syllable in f[1].split()]
                       for _, f in iter_tsv("gazetteers/place_readings.tsv", 2, 2)})
    return lazy_pinyin


def pinyin_of(name: str) -> str:
    """The name in Hanyu Pinyin with tone marks, one syllable per character, separated
    by spaces (``晋中市`` → ``jìn zhōng shì``); characters that are not Chinese are kept
    as they are. pypinyin picks readings from its phrase dictionary and our table of
    place-name readings; a name that begins with 长 reads cháng (长治市, 长三角, 长江),
    since names start with 长 'long' and not 长 'to grow' unless the table says so (长子县).
    Heteronyms in rare names can still come out wrong (a surname 曾 as céng)."""
    from pypinyin import Style

    syllables = _pinyin()(name, style=Style.TONE, errors="default")
    if name.startswith("长") and syllables and syllables[0] == "zhǎng" and not name.startswith("长子"):
        syllables[0] = "cháng"
    return " ".join(syllables).strip()


def node_id(key: tuple) -> str:
    """The node id of an entity key: ``("Agency", "晋中市总工会")`` → ``Agency:晋中市总工会``,
    ``("Person", "王伟", "晋中市")`` → ``Person:王伟@晋中市``."""
    if len(key) > 2 and key[2]:
        return intern(f"{key[0]}:{key[1]}@{key[2]}")
    return intern(f"{key[0]}:{key[1]}")


def node_key(data: Mapping[str, Any]) -> tuple:
    """The entity key of a node's data (its type, label and scope): inverse of the node
    id, for code that has the data (``kg.rdf``)."""
    scope = data.get("scope")
    return (data["type"], data["label"], scope) if scope else (data["type"], data["label"])


def document_node_id(doc_id: str) -> str:
    """The node id of a document: ``Document:<doc id>``."""
    return intern(f"{DOCUMENT}:{doc_id}")


def relation_key(relation: str, title: str = "", role: str = "") -> str:
    """The edge key of a relation: what makes two statements the same claim.

    Two statements are one edge when type, ends, title and role agree; the ends are
    already fixed by the (source, target) pair of the multigraph edge.
    """
    return "|".join([str(relation), title, role]).rstrip("|")


def build_graph(results: Iterable[DocResult], *, near_duplicates: bool = True) -> nx.MultiDiGraph:
    """Merge per-document results into one graph with provenance on every node and edge.

    Entity nodes: ``type``, ``label`` (canonical name), ``pinyin`` (of the label),
    ``aliases`` (union, first-seen order), ``confidence`` (max), ``documents``, ``mentions`` (dicts with doc, offsets,
    sentence, text, source, score) and the entity's ``attrs`` (``level``, ``kind``,
    ``code``; the first document that gives a value wins). Document nodes: ``type`` =
    ``"Document"``, ``label`` = doc id, ``aliases`` = [], ``path``, ``jurisdiction``
    and the doc's meta.
    Relation edges: ``relation``, ``title``, ``role``, ``confidence`` (max),
    ``evidence`` (one dict per supporting sentence). ``mentioned_in`` edges go from an
    entity to each document that names it, with ``count`` and that document's
    ``aliases``.
    With ``near_duplicates``, documents with a MinHash signature are compared as they
    come in: ``near_duplicate_of`` and flagged ``possibly_same_as`` edges (module
    docstring, ``kg.dedup``).
    """
    graph = nx.MultiDiGraph()
    index = NearDuplicateIndex() if near_duplicates else None
    for result in results:
        _add_document(graph, result)
        for entity in result.entities:
            _add_entity(graph, entity, result.doc_id)
        sentences = {s.index: s.text for s in result.sentences}
        for relation in result.relations:
            _add_relation(graph, relation, sentences)
        if index is not None and result.minhash:
            pairs, conflicts = index.add(result)
            for pair in pairs:
                add_near_duplicate(graph, pair)
            for conflict in conflicts:
                add_name_conflict(graph, conflict)
    drop_indirect_parents(graph)
    return graph


def drop_indirect_parents(graph: nx.MultiDiGraph) -> int:
    """Remove ``part_of`` edges that skip a level another edge fills: each document
    links a place to the nearest of its ancestors that it names (a city to 中国 when no
    province is named), so across documents a place can get its province and, from
    another report, 中国 as well. The edge to an ancestor that is reachable through
    another parent is implied by that path and goes; returns how many went."""
    part_of = RelationType.PART_OF.value
    edges = [(u, v, k) for u, v, k, data in graph.edges(keys=True, data=True) if data.get("relation") == part_of]
    dropped = indirect_parent_edges(edges)
    graph.remove_edges_from(dropped)
    return len(dropped)


def indirect_parent_edges(edges: Iterable[tuple[Any, Any, Any]]) -> list[tuple[Any, Any, Any]]:
    """Of the ``part_of`` edges ``(place, parent, key)``, those to a parent that is also
    reachable through another of the place's parents (see
    :func:`drop_indirect_parents`); shared with the disk merge (``kg.diskgraph``)."""
    parents: dict[Any, set] = {}
    keys: dict[tuple, list] = {}
    for u, v, k in edges:
        parents.setdefault(u, set()).add(v)
        keys.setdefault((u, v), []).append(k)

    def ancestors(node: Any) -> set:
        seen, stack = set(), list(parents.get(node, ()))
        while stack:
            n = stack.pop()
            if n not in seen:
                seen.add(n)
                stack.extend(parents.get(n, ()))
        return seen

    dropped = []
    for node, direct in parents.items():
        if len(direct) < 2:
            continue
        above = set().union(*(ancestors(p) for p in direct))
        for target in direct & above:
            dropped.extend((node, target, k) for k in keys[node, target])
    return dropped


def add_near_duplicate(graph: nx.MultiDiGraph, pair: NearDuplicate) -> None:
    """A ``near_duplicate_of`` edge between two document nodes (smaller id first)."""
    u, v = sorted((document_node_id(pair.doc_a), document_node_id(pair.doc_b)))
    graph.add_edge(u, v, key=NEAR_DUPLICATE_OF, relation=NEAR_DUPLICATE_OF,
                   similarity=float(pair.similarity), method=METHOD)


def add_name_conflict(graph: nx.MultiDiGraph, conflict: NameConflict) -> None:
    """A flagged ``possibly_same_as`` edge between the two person nodes, with the
    sentence of each document as evidence (smaller node id first)."""
    (u, v), keys, records = name_conflict_parts(conflict)
    for key in keys:
        _ensure_entity_node(graph, key)
    if not graph.has_edge(u, v, POSSIBLY_SAME_AS):
        graph.add_edge(u, v, key=POSSIBLY_SAME_AS, **new_conflict_edge())
    merge_conflict(graph.edges[u, v, POSSIBLY_SAME_AS], conflict, records)


def new_conflict_edge() -> dict[str, Any]:
    """The attributes of a new ``possibly_same_as`` edge."""
    return {"relation": POSSIBLY_SAME_AS, "flagged": True, "similarity": 0.0, "evidence": []}


def name_conflict_parts(conflict: NameConflict) -> tuple[tuple[str, str], list[tuple], list[dict[str, Any]]]:
    """The ends of a conflict's edge (smaller node id first), the two entity keys, and
    the evidence record of each document's sentence."""
    ends = sorted([(node_id(conflict.a.key), conflict.doc_a, conflict.a),
                   (node_id(conflict.b.key), conflict.doc_b, conflict.b)], key=lambda end: end[0])
    (u, _, _), (v, _, _) = ends
    records = []
    for _, doc_id, context in ends:
        records.append({
            "doc": _text(doc_id),
            "sentence": _shared(context.sentence),
            "text": _text(context.text),
            "name": _text(context.key[1]),
            "start": _shared(context.start),
            "end": _shared(context.end),
            "raw_start": _shared(context.raw_start),
            "raw_end": _shared(context.raw_end),
            "rule": "name-conflict",
        })
    return (u, v), [context.key for _, _, context in ends], records


def merge_conflict(edge: dict[str, Any], conflict: NameConflict, records: list[dict[str, Any]]) -> None:
    """Add a conflict's similarity and evidence to its ``possibly_same_as`` edge."""
    edge["similarity"] = max(edge["similarity"], float(conflict.similarity))
    for record in records:
        if record not in edge["evidence"]:
            edge["evidence"].append(record)


def _add_document(graph: nx.MultiDiGraph, result: DocResult) -> None:
    nid = document_node_id(result.doc_id)
    if nid in graph:
        log.warning("Document %r appears twice; its results are merged.", result.doc_id)
    graph.add_node(nid, **document_attrs(result))


def document_attrs(result: DocResult) -> dict[str, Any]:
    """The attributes of a document's node: its id, path, jurisdiction and metadata."""
    attrs: dict[str, Any] = {
        "type": DOCUMENT,
        "label": result.doc_id,
        "aliases": [],  # every node has type, label and aliases, whatever its type
        "path": result.path,
        "jurisdiction": result.jurisdiction,
    }
    for name, value in result.meta.items():
        if name in _DOCUMENT_FIELDS:
            log.warning("Meta field %r of document %r clashes with a node field; dropped.",
                        name, result.doc_id)
            continue
        attrs[name] = value
    return attrs


def _ensure_entity_node(graph: nx.MultiDiGraph, key: tuple) -> dict[str, Any]:
    nid = node_id(key)
    if nid not in graph:
        graph.add_node(nid, **new_entity_node(key))
    return graph.nodes[nid]


def new_entity_node(key: tuple) -> dict[str, Any]:
    """The attributes of a new entity node, before any document adds to it."""
    etype, name = key[0], key[1]
    attrs: dict[str, Any] = {"type": str(etype), "label": name}
    if len(key) > 2 and key[2]:
        attrs["scope"] = _text(key[2])
    attrs.update(pinyin=pinyin_of(name), aliases=[], confidence=0.0, documents=[], mentions=[])
    return attrs


def _append_new(values: list, items: Iterable) -> None:
    for item in items:
        if item not in values:
            values.append(item)


def _append_doc(documents: list, doc_id: str) -> None:
    """Add a document id to a node's list in constant time: documents are merged one
    after another, so a repeat can only be the last one added (a linear membership
    test made big builds quadratic in the number of documents sharing an entity)."""
    if not documents or documents[-1] != doc_id:
        documents.append(doc_id)


def _append_record(records: list, record: Mapping[str, Any]) -> None:
    """Add an evidence record unless an equal one is there, looking only at the last
    records, those of the same document: documents are merged one after another, so an
    equal record can only be among them (a membership test over the whole list made big
    builds quadratic in the number of sentences that support a common relation)."""
    for old in reversed(records):
        if old.get("doc") != record["doc"]:
            break
        if old == record:
            return
    records.append(record)


def _add_entity(graph: nx.MultiDiGraph, entity: Entity, doc_id: str) -> None:
    node = _ensure_entity_node(graph, entity.key)
    merge_entity(node, entity, doc_id)
    node["mentions"].extend(mention_record(m) for m in entity.mentions)
    doc_node = document_node_id(doc_id)
    nid = node_id(entity.key)
    if graph.has_edge(nid, doc_node, MENTIONED_IN):
        merge_mentioned_in(graph.edges[nid, doc_node, MENTIONED_IN], entity)
    else:
        graph.add_edge(nid, doc_node, key=MENTIONED_IN, **new_mentioned_in(entity))


def merge_entity(node: dict[str, Any], entity: Entity, doc_id: str) -> None:
    """What one document's entity adds to its node, but its mention records: aliases,
    confidence, the document, attributes (the first document that gives one wins)."""
    _append_new(node["aliases"], (a for a in entity.aliases if a != entity.name))
    node["confidence"] = max(node["confidence"], float(entity.confidence))
    _append_doc(node["documents"], doc_id)
    for name, value in entity.attrs.items():
        if name in _ENTITY_FIELDS:
            log.warning("Attribute %r of entity %r clashes with a node field; dropped.",
                        name, node_id(entity.key))
        elif value is not None and node.get(name) in (None, ""):
            node[name] = value


def _doc_aliases(entity: Entity) -> list[str]:
    return [_text(a) for a in dict.fromkeys(entity.aliases) if a != entity.name]


def new_mentioned_in(entity: Entity) -> dict[str, Any]:
    """The attributes of the ``mentioned_in`` edge of an entity named in a document."""
    return {"relation": MENTIONED_IN, "count": len(entity.mentions), "aliases": _doc_aliases(entity)}


def merge_mentioned_in(edge: dict[str, Any], entity: Entity) -> None:
    """The same entity named again in the same document (a document merged twice)."""
    edge["count"] += len(entity.mentions)
    _append_new(edge["aliases"], _doc_aliases(entity))


_NUMBERS: dict[Any, Any] = {}
_NUMBERS_LIMIT = 1 << 20


def _shared(value: Any) -> Any:
    """One object per number value (offsets, scores, confidences): a big graph holds
    millions of them in mention and evidence records, most of them repeats (24–28
    bytes each; CPython shares only the ints -5…256). Strings in the records are
    interned for the same reason. At most ``_NUMBERS_LIMIT`` values are kept."""
    kind = type(value)
    if (kind is int and not -5 <= value <= 256) or kind is float:
        found = _NUMBERS.get((kind, value))
        if found is not None:
            return found
        if len(_NUMBERS) < _NUMBERS_LIMIT:
            _NUMBERS[kind, value] = value
    return value


def _text(value: Any) -> Any:
    """One object per distinct string in the records (names, doc ids, sentences)."""
    return intern(value) if type(value) is str else value


def mention_record(mention: Mention) -> dict[str, Any]:
    return {
        "doc": _text(mention.doc_id),
        "start": _shared(mention.start),
        "end": _shared(mention.end),
        "raw_start": _shared(mention.raw_start),
        "raw_end": _shared(mention.raw_end),
        "sentence": _shared(mention.sentence),
        "text": _text(mention.text),
        "source": _text(mention.source),
        "score": _shared(float(mention.score)),
    }


def _add_relation(graph: nx.MultiDiGraph, rel: Relation, sentences: Mapping[int, str]) -> None:
    (source, target), (u, v, key), attrs, record = relation_parts(rel, sentences)
    for end in (source, target):
        node = _ensure_entity_node(graph, end)
        # An end that the document did not list as an entity still comes from it.
        _append_doc(node["documents"], rel.doc_id)
    if not graph.has_edge(u, v, key):
        graph.add_edge(u, v, key=key, **attrs)
    edge = graph.edges[u, v, key]
    edge["confidence"] = max(edge["confidence"], float(rel.confidence))
    _append_record(edge["evidence"], record)


def relation_parts(rel: Relation, sentences: Mapping[int, str]) -> tuple[
        tuple[tuple, tuple], tuple[str, str, str], dict[str, Any], dict[str, Any]]:
    """A relation's end keys (a symmetric one from the smaller node id), its edge
    ``(u, v, key)``, the attributes of the edge when new, and its evidence record."""
    source, target = rel.source, rel.target
    if rel.type in SYMMETRIC_RELATIONS and node_id(target) < node_id(source):
        source, target = target, source
    relation = str(rel.type)
    title = rel.title if rel.type == RelationType.HOLDS_POSITION else ""
    key = relation_key(relation, title, rel.role)
    attrs: dict[str, Any] = {"relation": relation, "confidence": 0.0, "evidence": []}
    if title:
        attrs["title"] = title
    if rel.role:
        attrs["role"] = rel.role
    record = {
        "doc": _text(rel.doc_id),
        "sentence": _shared(rel.sentence),
        "text": _text(rel.evidence or sentences.get(rel.sentence, "")),
        "raw_start": _shared(rel.raw_start),
        "raw_end": _shared(rel.raw_end),
        "confidence": _shared(float(rel.confidence)),
        "rule": _text(rel.rule),
    }
    if getattr(rel, "date", ""):
        record["date"] = _text(rel.date)
    return (source, target), (node_id(source), node_id(target), key), attrs, record


def to_node_link(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """The graph as networkx node-link data (``nodes``/``edges`` lists), JSON-ready."""
    return nx.node_link_data(graph, edges="edges")


def from_node_link(data: Mapping[str, Any]) -> nx.MultiDiGraph:
    """Rebuild the graph written by :func:`to_node_link`."""
    if not isinstance(data, Mapping) or "nodes" not in data or "edges" not in data:
        found = sorted(data) if isinstance(data, Mapping) else type(data).__name__
        raise InputError(
            f"Not node-link graph data: expected an object with 'nodes' and 'edges', "
            f"found {found!r}. Give a graph.json written by kg build/export."
        )
    try:
        return nx.node_link_graph(data, directed=True, multigraph=True, edges="edges")
    except (KeyError, TypeError) as err:
        raise InputError(
            f"Node-link graph data is incomplete ({err!r} missing or malformed); "
            f"every edge needs 'source', 'target' and 'key'."
        ) from err

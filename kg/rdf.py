"""The merged graph as RDF: one named graph per document, so every triple keeps the
document that supports it.

A document's named graph (``https://w3id.org/kg-gov/doc/<doc id>``) holds the
document's own description, the typing and names of each entity it mentions, and each
relation it states with that document's evidence. An entity or relation found in two
documents appears in both graphs; the dataset's default graph is the union
(``default_union=True``), so a query without ``GRAPH`` sees the whole graph once and a
query with ``GRAPH ?g`` asks which document says what.

A relation is written twice over: as the direct triple (``person kgo:holdsPosition
agency``), which is what queries want, and as a ``kgo:RelationStatement`` node
(``rdf:subject`` / ``rdf:predicate`` / ``rdf:object``, plain RDF reification, no RDF-star)
that carries the title, role and one ``kgo:Evidence`` node per supporting sentence.
A ``holds_position`` also becomes an ``org:Post`` per (person, agency, title).

IRIs are stable: entities are ``id/<Type>/<percent-encoded name>``; statements,
evidence and posts are ``id/<kind>/<hash of what identifies them>``, so building the
same graph twice gives the same triples.

The triples are generated, not collected: :func:`document_graphs` /
:func:`document_quads` yield one document's named graph after another and
:func:`union_triples` the union graph element by element, each triple once, so the
exports (``kg.export``) stream a corpus of any size to disk without holding its
dataset. :func:`to_dataset` and :func:`to_graph` put the same triples into rdflib's
memory store, for small graphs (tests, SHACL validation, JSON-LD).
"""
from __future__ import annotations

import hashlib
import logging
from array import array
from functools import lru_cache
from typing import Any, Iterable, Iterator, Mapping, Optional, Union
from urllib.parse import quote

import networkx as nx
import re

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS
from rdflib.term import Node

from .graph import DOCUMENT, document_node_id, node_key
from .labels import LINK_RELATIONS, MENTIONED_IN, NEAR_DUPLICATE_OF, POSSIBLY_SAME_AS, EntityType, RelationType
from .namespaces import DOC, ID, KGO, LINKS_GRAPH, PREFIXES

log = logging.getLogger(__name__)

LANG = "zh"
PINYIN_LANG = "zh-Latn-pinyin"
"""BCP 47 tag of the pinyin labels (Chinese in Latin script, Hanyu Pinyin)."""

ENTITY_CLASSES = {
    EntityType.PERSON.value: KGO.Person,
    EntityType.AGENCY.value: KGO.Agency,
    EntityType.PLACE.value: KGO.Place,
    EntityType.INITIATIVE.value: KGO.Initiative,
    EntityType.EVENT.value: KGO.Event,
}

RELATION_PROPERTIES = {
    RelationType.HOLDS_POSITION.value: KGO.holdsPosition,
    RelationType.LOCATED_IN.value: KGO.locatedIn,
    RelationType.PART_OF.value: KGO.partOf,
    RelationType.SUB_ORGANIZATION_OF.value: KGO.subOrganizationOf,
    RelationType.INVOLVED_IN.value: KGO.involvedIn,
    RelationType.COOPERATES_WITH.value: KGO.cooperatesWith,
}

ATTRIBUTE_PROPERTIES = {"level": KGO.level, "kind": KGO.kind, "code": KGO.code}
"""Entity attrs that have a term in the ontology; other attrs stay in the networkx graph.
A place's ``code`` is its administrative division code (``kgo:divisionCode``)."""

DOCUMENT_META_PROPERTIES = {"date": DCTERMS.date, "title": DCTERMS.title}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


# Streaming a big graph makes the same few terms again and again: an entity's IRI and
# names in every document that mentions it, a document's IRI in each of its triples.
# They are made once and cached (bounded), and the vocabulary terms are looked up once
# here, since attribute access on rdflib's DefinedNamespace costs a check per call.
_TYPE, _LABEL, _PREF_LABEL, _ALT_LABEL = RDF.type, RDFS.label, SKOS.prefLabel, SKOS.altLabel
_SUBJECT, _PREDICATE, _OBJECT = RDF.subject, RDF.predicate, RDF.object
_DERIVED_FROM = PROV.wasDerivedFrom
_K_PINYIN, _K_MENTIONED_IN, _K_DIVISION_CODE = KGO.pinyin, KGO.mentionedIn, KGO.divisionCode
_K_EVIDENCE, _K_EVIDENCE_CLASS, _K_STATEMENT_CLASS = KGO.evidence, KGO.Evidence, KGO.RelationStatement
_K_DOC_ID, _K_SENTENCE_TEXT, _K_SENTENCE_INDEX = KGO.docId, KGO.sentenceText, KGO.sentenceIndex
_K_START, _K_END, _K_CONFIDENCE, _K_RULE = KGO.startOffset, KGO.endOffset, KGO.confidence, KGO.rule
_K_TITLE, _K_ROLE, _K_POST, _K_HOLDS_POSITION = KGO.title, KGO.role, KGO.post, KGO.holdsPosition
_ORG_POST, _ORG_HOLDS, _ORG_POST_IN, _ORG_ROLE, _ORG_ROLE_CLASS = (
    ORG.Post, ORG.holds, ORG.postIn, ORG.role, ORG.Role)
_CACHE = 1 << 16


@lru_cache(maxsize=_CACHE)
def entity_iri(key: tuple) -> URIRef:
    """Stable IRI of an entity: ``id/<Type>/<percent-encoded canonical name>``, and for
    a person with a scope ``id/Person/<name>@<scope>`` (``kg.scope``)."""
    etype, name = key[0], key[1]
    local = f"{quote(str(etype), safe='')}/{quote(name, safe='')}"
    if len(key) > 2 and key[2]:
        local += f"@{quote(key[2], safe='')}"
    return ID[local]


@lru_cache(maxsize=_CACHE)
def document_iri(doc_id: str) -> URIRef:
    """IRI of a document, also the name of its named graph."""
    return DOC[quote(doc_id, safe="")]


@lru_cache(maxsize=_CACHE)
def _text(text: str, lang: Optional[str] = None) -> Literal:
    """A plain or language-tagged literal of a short, recurring text (names, doc ids)."""
    return Literal(text, lang=lang)


@lru_cache(maxsize=_CACHE, typed=True)  # typed: 1 and 1.0 are different literals
def _number(value: Union[int, float]) -> Literal:
    """An xsd:integer or xsd:double literal (offsets, sentence numbers, confidences)."""
    return Literal(value)


def _hashed_iri(kind: str, *parts: Any) -> URIRef:
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]
    return ID[f"{kind}/{digest}"]


Triple = tuple[Node, Node, Node]
Quad = tuple[Node, Node, Node, URIRef]
"""``(subject, predicate, object, graph name)``, the graph name last as in N-Quads."""


def document_graphs(graph: nx.MultiDiGraph) -> Iterator[tuple[URIRef, list[Triple]]]:
    """Each document's named graph in turn: its name and its triples, each once, those
    of one subject together.

    Memory: an index of which entities and which runs of evidence records belong to
    which document (one entry per document-entity and document-relation pair), and one
    document's triples at a time; never the triples of the whole dataset.
    """
    for doc_id, data, entities, relations in _document_parts(graph):
        triples = list(_document_triples(doc_id, data or {}))
        for node, aliases in entities:
            triples.extend(_entity_triples(node, [doc_id], aliases))
        for ends, data, records in relations:
            statement, head = _statement(ends, data)
            for end in ends:
                triples.extend(_entity_head(end))
            triples.extend(head)
            triples.extend(_role_triples(data))
            triples.extend(_statement_evidence(statement, doc_id, records))
        yield document_iri(doc_id), _by_subject(triples)
    links = list(dict.fromkeys(link_triples(graph, heads=True)))
    if links:
        yield LINKS_GRAPH, _by_subject(links)


def _document_parts(graph) -> Iterator[tuple[str, Optional[Mapping[str, Any]], list, list]]:
    """Each document in turn: its id, its node's data, its entities (node data, the
    aliases the document gives) and its relations (end nodes' data, edge data, the
    document's evidence records). From an index of the networkx graph, or from the
    database of a ``kg.diskgraph.DiskGraph``, which answers per document."""
    skipped: set[str] = set()
    if hasattr(graph, "document_rows"):
        for doc_id, data in graph.documents():
            entities, relations = graph.document_rows(doc_id)
            doc_node = document_node_id(doc_id)
            yield doc_id, data, [
                (node, (graph.get_edge_data(nid, doc_node, MENTIONED_IN) or {}).get("aliases", ()))
                for nid, node in entities if node.get("type") in ENTITY_CLASSES], [
                ((graph.nodes[u], graph.nodes[v]), data, records) for u, v, data, records in relations
                if _exported_edge(graph, u, v, data, skipped)]
        _warn_skipped(skipped)
        return
    documents, entities, relations, edges = _document_index(graph, skipped=skipped)
    _warn_skipped(skipped)
    for doc_id, data in documents.items():
        doc_node = document_node_id(doc_id)
        nodes = []
        for nid in entities.get(doc_id, ()):
            mention = graph.get_edge_data(nid, doc_node, MENTIONED_IN) or {}
            nodes.append((graph.nodes[nid], mention.get("aliases", ())))
        runs = relations.get(doc_id)
        parts = []
        for i in range(0, len(runs) if runs else 0, 3):
            ends, data_, evidence = edges[runs[i]]
            parts.append((ends, data_, evidence[runs[i + 1]:runs[i + 2]]))
        yield doc_id, data, nodes, parts


def document_quads(graph: nx.MultiDiGraph) -> Iterator[Quad]:
    """The quads of :func:`document_graphs`, one named graph after another (for TriG
    and N-Quads)."""
    for name, triples in document_graphs(graph):
        for s, p, o in triples:
            yield s, p, o, name


def union_triples(graph: nx.MultiDiGraph) -> Iterator[Triple]:
    """The union of all documents' graphs, each triple once (for a graph made by
    ``kg.graph.build_graph``), generated element by element: each document's
    description, each entity with its names and documents, the relations between each
    pair of entities with all their evidence.

    Memory: the triples of one graph element at a time, and the set of role titles
    already written (a title's ``org:Role`` is shared by every post with that title).
    """
    skipped: set[str] = set()
    documents = (graph.documents() if hasattr(graph, "document_rows")
                 else _document_index(graph, index=False, skipped=skipped)[0].items())
    for doc_id, data in documents:
        yield from _by_subject(_document_triples(doc_id, data or {}))
    for nid, data in graph.nodes(data=True):
        if data.get("type") not in ENTITY_CLASSES:
            continue
        doc_ids = list(dict.fromkeys(data.get("documents") or ()))
        if doc_ids:
            aliases = _aliases(graph, nid)
            names = [a for doc_id in doc_ids for a in aliases.get(doc_id, ())]
            yield from _by_subject(_entity_triples(data, doc_ids, names))
        elif any(_exported_edge(graph, u, v, d) for u, v, d in graph.out_edges(nid, data=True)) \
                or any(_exported_edge(graph, u, v, d) for u, v, d in graph.in_edges(nid, data=True)):
            # an end of a relation that is in no document's entity list
            yield from _entity_head(data)
    roles: set[URIRef] = set()
    for u, neighbours in graph.adjacency():
        for v, keyed in neighbours.items():
            statements: dict[URIRef, list[Mapping[str, Any]]] = {}
            triples: list[Triple] = []
            for data in keyed.values():
                if not _exported_edge(graph, u, v, data, skipped):
                    continue
                statement, head = _statement((graph.nodes[u], graph.nodes[v]), data)
                triples.extend(head)
                for triple in _role_triples(data):
                    if triple[0] not in roles:
                        triples.append(triple)
                statements.setdefault(statement, []).extend(data["evidence"])
            roles.update(s for s, p, o in triples if p == RDF.type and o == ORG.Role)
            yield from _by_subject(triples)
            for statement, evidence in statements.items():
                for doc_id, records in _by_document(evidence).items():
                    yield from _by_subject(_statement_evidence(statement, doc_id, records))
    yield from _by_subject(dict.fromkeys(link_triples(graph, heads=False)))
    _warn_skipped(skipped)


def link_triples(graph: nx.MultiDiGraph, heads: bool = True) -> Iterator[Triple]:
    """What comparing documents found, for the named graph ``LINKS_GRAPH``:

    - ``near_duplicate_of`` edges: ``docA kgo:nearDuplicateOf docB`` and a
      ``kgo:NearDuplicate`` statement (rdf:subject / rdf:predicate / rdf:object) with
      its ``kgo:similarity``;
    - ``possibly_same_as`` edges: ``personA kgo:possiblySameAs personB`` and a
      ``kgo:NameConflict`` statement with ``kgo:flagged true``, ``kgo:similarity`` (of
      the aligned sentences) and one ``kgo:Evidence`` per document's sentence.

    With ``heads``, also the typing, names and ``kgo:mentionedIn`` of the documents and
    persons they link, so the named graph is valid on its own (the union already has
    them from the documents' graphs). A triple may come more than once (a document
    in two links).
    """
    for _, triples in link_groups(graph, heads):
        yield from triples


def link_groups(graph: nx.MultiDiGraph, heads: bool = True) -> Iterator[tuple[tuple[str, ...], list[Triple]]]:
    """The triples of :func:`link_triples` one link at a time, each with the doc ids it
    rests on (the two near duplicates; the documents of a conflict's evidence), for
    the store, which keeps each link in a named graph of its own."""
    for u, v, data in graph.edges(data=True):
        relation = data.get("relation")
        if relation in LINK_RELATIONS:
            triples = list(_link_triples(graph, u, v, data, heads))
            if triples:
                docs = ([graph.nodes[u].get("label"), graph.nodes[v].get("label")]
                        if relation == NEAR_DUPLICATE_OF else [r["doc"] for r in data["evidence"]])
                yield tuple(sorted(set(map(str, docs)))), triples


def _link_statement(statement, kind, subject, predicate, obj,
                    data: Mapping[str, Any]) -> Iterator[Triple]:
    """A link between documents or persons: the triple itself, and the statement node of
    class ``kind`` that says what it is (reified) and carries its similarity."""
    yield subject, predicate, obj
    yield statement, _TYPE, kind
    yield statement, _SUBJECT, subject
    yield statement, _PREDICATE, predicate
    yield statement, _OBJECT, obj
    if data.get("similarity") is not None:
        yield statement, KGO.similarity, _number(float(data["similarity"]))


def _link_triples(graph: nx.MultiDiGraph, u: Any, v: Any, data: Mapping[str, Any],
                  heads: bool) -> Iterator[Triple]:
    relation = data.get("relation")
    if relation == NEAR_DUPLICATE_OF:
        a, b = (graph.nodes[n].get("label") for n in (u, v))
        if a and b:
            doc_a, doc_b = document_iri(a), document_iri(b)
            statement = _hashed_iri("near-duplicate", doc_a, doc_b)
            yield from _link_statement(statement, KGO.NearDuplicate, doc_a, KGO.nearDuplicateOf, doc_b, data)
            if heads:
                for doc_id, iri in ((a, doc_a), (b, doc_b)):
                    yield iri, _TYPE, KGO.Document
                    yield iri, _K_DOC_ID, _text(doc_id)
    elif relation == POSSIBLY_SAME_AS:
        ends = (graph.nodes[u], graph.nodes[v])
        if any(end.get("type") not in ENTITY_CLASSES for end in ends) or not data.get("evidence"):
            return
        source, target = (node_iri(end) for end in ends)
        statement = _hashed_iri("name-conflict", source, target)
        yield from _link_statement(statement, KGO.NameConflict, source, KGO.possiblySameAs, target, data)
        yield statement, KGO.flagged, Literal(bool(data.get("flagged", True)))
        for record in data["evidence"]:
            node = _hashed_iri("evidence", statement, record["doc"], record.get("sentence"),
                               record.get("rule"), record.get("raw_start"), record.get("name"))
            yield statement, _K_EVIDENCE, node
            yield from _evidence_triples(node, record)
            if heads:
                doc = document_iri(record["doc"])
                yield doc, _TYPE, KGO.Document
                yield doc, _K_DOC_ID, _text(record["doc"])
        if heads:
            for end, iri in zip(ends, (source, target)):
                docs = [r["doc"] for r in data["evidence"] if r.get("name") == end["label"]]
                yield from _entity_head(end)
                for doc_id in dict.fromkeys(docs):
                    yield iri, _K_MENTIONED_IN, document_iri(doc_id)


def node_iri(data: Mapping[str, Any]) -> URIRef:
    """The IRI of an entity node of the graph (from its type, label and scope)."""
    return entity_iri(node_key(data))


def to_dataset(graph: nx.MultiDiGraph) -> Dataset:
    """One named graph per document, with a default graph that is their union, in
    rdflib's memory store: the same triples as :func:`document_quads`, for small
    graphs (tests, SHACL validation, JSON-LD). Exports stream instead."""
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    for name, triples in document_graphs(graph):
        named = dataset.graph(name)
        named.addN((s, p, o, named) for s, p, o in triples)
    return dataset


def to_graph(graph: nx.MultiDiGraph) -> Graph:
    """The union of all documents' triples as one in-memory Graph, with our prefixes:
    the triples of :func:`union_triples`."""
    union = Graph()
    for prefix, namespace in PREFIXES.items():
        union.bind(prefix, namespace, override=True)
    union.addN((s, p, o, union) for s, p, o in union_triples(graph))
    return union


def union_graph(dataset: Dataset) -> Graph:
    """All triples of a dataset's named graphs in one Graph, with its prefixes."""
    union = Graph()
    for prefix, namespace in dataset.namespaces():
        union.bind(prefix, namespace, override=True)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _document_index(graph: nx.MultiDiGraph, index: bool = True,
                    skipped: Optional[set[str]] = None) -> tuple[
        dict[str, Optional[Mapping[str, Any]]], dict[str, list[str]], dict[str, array],
        list[tuple[tuple[Mapping[str, Any], Mapping[str, Any]], Mapping[str, Any], list]]]:
    """Which documents there are and what each holds.

    Returns ``documents`` (doc id → its document node's data, or None for a doc id
    that entities or evidence name but that has no node; document nodes first, in
    graph order), and with ``index``: ``entities`` (doc id → entity node ids whose
    ``documents`` name it), ``relations`` (doc id → flat ``array`` of (edge number,
    start, end) triplets: a run of that edge's evidence records from that document)
    and ``edges`` (edge number → (end nodes' data, edge data, evidence list)).
    Evidence records of one document are contiguous in an edge's list when the graph
    was merged document by document, so there is one run per document and edge.
    ``skipped`` collects the node and relation types that have no term in the ontology.
    """
    skipped = set() if skipped is None else skipped
    documents: dict[str, Optional[Mapping[str, Any]]] = {}
    for _, data in graph.nodes(data=True):
        if data.get("type") == DOCUMENT:
            documents[data["label"]] = data
        elif data.get("type") not in ENTITY_CLASSES:
            skipped.add(f"node type {data.get('type')!r}")
    entities: dict[str, list[str]] = {}
    relations: dict[str, array] = {}
    edges: list = []
    for nid, data in graph.nodes(data=True):
        if data.get("type") in ENTITY_CLASSES:
            for doc_id in dict.fromkeys(data.get("documents") or ()):
                documents.setdefault(doc_id, None)
                if index:
                    entities.setdefault(doc_id, []).append(nid)
    for u, v, data in graph.edges(data=True):
        if not _exported_edge(graph, u, v, data, skipped):
            continue
        evidence = data["evidence"]
        number = len(edges)
        if index:
            edges.append(((graph.nodes[u], graph.nodes[v]), data, evidence))
        start = 0
        for i in range(1, len(evidence) + 1):
            if i == len(evidence) or evidence[i]["doc"] != evidence[start]["doc"]:
                doc_id = evidence[start]["doc"]
                documents.setdefault(doc_id, None)
                if index:
                    relations.setdefault(doc_id, array("q")).extend((number, start, i))
                start = i
    return documents, entities, relations, edges


def _exported_edge(graph: nx.MultiDiGraph, u: Any, v: Any, data: Mapping[str, Any],
                   skipped: Optional[set[str]] = None) -> bool:
    """Whether an edge becomes RDF: a relation with a term in the ontology, between two
    entities, with evidence from at least one document (``mentioned_in`` edges are the
    entities' ``kgo:mentionedIn``). ``skipped`` collects relation types left out."""
    relation = data.get("relation")
    if relation == MENTIONED_IN or relation in LINK_RELATIONS:
        return False  # links between documents: link_triples
    if relation not in RELATION_PROPERTIES:
        if skipped is not None:
            skipped.add(f"relation {relation!r}")
        return False
    # an end of unknown type is reported as an unknown node type
    return (graph.nodes[u].get("type") in ENTITY_CLASSES
            and graph.nodes[v].get("type") in ENTITY_CLASSES and bool(data.get("evidence")))


def _warn_skipped(skipped: set[str]) -> None:
    if skipped:
        log.warning("Left out of RDF, no term in the ontology: %s. Add the term to "
                    "ontology/kg.ttl and kg/rdf.py to export them.", ", ".join(sorted(skipped)))


def _aliases(graph: nx.MultiDiGraph, nid: Any) -> dict[str, list[str]]:
    """doc id → the aliases an entity has in that document (its ``mentioned_in`` edges)."""
    return {graph.nodes[doc]["label"]: edge.get("aliases", [])
            for _, doc, edge in graph.out_edges(nid, data=True)
            if edge.get("relation") == MENTIONED_IN}


def _by_subject(triples: Iterable[Triple]) -> list[Triple]:
    """Each triple once, those of one subject together (subjects in the order they first
    come), so Turtle and TriG writers can share the subject."""
    groups: dict[Node, dict[tuple[Node, Node], None]] = {}
    for s, p, o in triples:
        groups.setdefault(s, {})[p, o] = None
    return [(s, p, o) for s, rest in groups.items() for p, o in rest]


def _by_document(evidence: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for record in evidence:
        grouped.setdefault(record["doc"], []).append(record)
    return grouped


def _document_triples(doc_id: str, data: Mapping[str, Any]) -> Iterator[Triple]:
    doc = document_iri(doc_id)
    yield doc, _TYPE, KGO.Document
    yield doc, _LABEL, _text(doc_id)
    yield doc, _K_DOC_ID, _text(doc_id)
    if data.get("path"):
        yield doc, KGO.path, Literal(str(data["path"]))
    if data.get("jurisdiction"):
        yield doc, KGO.jurisdiction, Literal(str(data["jurisdiction"]), lang=LANG)
    if data.get("title"):
        yield doc, DCTERMS.title, Literal(str(data["title"]), lang=LANG)
    date = document_date(data)
    if date is not None:
        yield doc, DCTERMS.date, date


def document_date(data: Mapping[str, Any]) -> Literal | None:
    """A document's ``date`` ("YYYY-MM-DD", as xsd:date) or else its ``year`` (as
    xsd:gYear); any other form of date stays a plain string."""
    date, year = data.get("date"), data.get("year")
    if date:
        text = str(date)
        return Literal(text, datatype=XSD.date) if _DATE.match(text) else Literal(text)
    if year and _YEAR.match(str(year)):
        return Literal(str(year), datatype=XSD.gYear)
    return None


def _entity_head(data: Mapping[str, Any]) -> tuple[Triple, ...]:
    """An entity's typing, names and scope: in every document graph that uses it, so
    each document's graph is valid on its own."""
    return _head(data["type"], data["label"], str(data.get("pinyin") or ""), str(data.get("scope") or ""))


@lru_cache(maxsize=_CACHE)
def _head(etype: str, name: str, pinyin: str, scope: str = "") -> tuple[Triple, ...]:
    iri = entity_iri((etype, name, scope) if scope else (etype, name))
    label = _text(name, LANG)
    head = ((iri, _TYPE, ENTITY_CLASSES[etype]), (iri, _PREF_LABEL, label), (iri, _LABEL, label))
    if scope:
        head += ((iri, KGO.scope, _text(scope, LANG)),)
    return head + ((iri, _K_PINYIN, _text(pinyin, PINYIN_LANG)),) if pinyin else head


def _entity_triples(data: Mapping[str, Any], doc_ids: Iterable[str],
                    aliases: Iterable[str]) -> Iterator[Triple]:
    """An entity as the documents ``doc_ids`` name it, with the ``aliases`` they use."""
    yield from _entity_head(data)
    name = data["label"]
    iri = node_iri(data)
    for alias in aliases:
        if alias != name:
            yield iri, _ALT_LABEL, _text(alias, LANG)
    for attr, prop in ATTRIBUTE_PROPERTIES.items():
        if data.get(attr) not in (None, ""):
            if attr == "code" and data["type"] == EntityType.PLACE.value:
                prop = _K_DIVISION_CODE
            yield iri, prop, _text(str(data[attr]))
    for doc_id in doc_ids:
        yield iri, _K_MENTIONED_IN, document_iri(doc_id)


def _statement(ends: tuple[Mapping[str, Any], Mapping[str, Any]],
               data: Mapping[str, Any]) -> tuple[URIRef, tuple[Triple, ...]]:
    """A relation's statement node and what does not depend on the document: the direct
    triple, the statement's subject, predicate, object, title and role, and for a
    ``holds_position`` with a title its ``org:Post`` (the post's role: ``_role_triples``)."""
    source, target = (node_key(end) for end in ends)
    return _statement_head(source, target, data["relation"], data.get("title", ""),
                           data.get("role", ""))


@lru_cache(maxsize=_CACHE)
def _statement_head(source_key: tuple, target_key: tuple, relation: str,
                    title: str, role: str) -> tuple[URIRef, tuple[Triple, ...]]:
    source, target = entity_iri(source_key), entity_iri(target_key)
    prop = RELATION_PROPERTIES[relation]
    statement = _hashed_iri("statement", source, prop, target, title, role)
    triples: list[Triple] = [
        (source, prop, target),
        (statement, _TYPE, _K_STATEMENT_CLASS),
        (statement, _SUBJECT, source),
        (statement, _PREDICATE, prop),
        (statement, _OBJECT, target),
    ]
    if title:
        triples.append((statement, _K_TITLE, _text(title, LANG)))
    if role:
        triples.append((statement, _K_ROLE, _text(role)))
    if prop == _K_HOLDS_POSITION and title:
        # The W3C Organization Ontology reading of a holds_position: a Post and its Role.
        post = _hashed_iri("post", source, target, title)
        triples += [
            (statement, _K_POST, post),
            (post, _TYPE, _ORG_POST),
            (source, _ORG_HOLDS, post),
            (post, _ORG_POST_IN, target),
            (post, _ORG_ROLE, _role_iri(title)),
            (post, _K_TITLE, _text(title, LANG)),
            (post, _LABEL, _text(title, LANG)),
        ]
    return statement, tuple(triples)


def _role_iri(title: str) -> URIRef:
    return ID[f"Role/{quote(title, safe='')}"]


def _role_triples(data: Mapping[str, Any]) -> list[Triple]:
    """The ``org:Role`` of a post, shared by all posts with the same title."""
    title = data.get("title", "")
    if RELATION_PROPERTIES[data["relation"]] != KGO.holdsPosition or not title:
        return []
    role = _role_iri(title)
    return [(role, _TYPE, _ORG_ROLE_CLASS), (role, _PREF_LABEL, _text(title, LANG)),
            (role, _LABEL, _text(title, LANG))]


def _statement_evidence(statement: URIRef, doc_id: str,
                        records: Iterable[Mapping[str, Any]]) -> Iterator[Triple]:
    """What one document adds to a statement: its provenance and the evidence nodes of
    its sentences."""
    yield statement, _DERIVED_FROM, document_iri(doc_id)
    for record in records:
        node = _hashed_iri("evidence", statement, record["doc"], record.get("sentence"),
                           record.get("rule"), record.get("raw_start"))
        yield statement, _K_EVIDENCE, node
        yield from _evidence_triples(node, record)


def _evidence_triples(node: URIRef, record: Mapping[str, Any]) -> Iterator[Triple]:
    doc_id = record["doc"]
    yield node, _TYPE, _K_EVIDENCE_CLASS
    yield node, _DERIVED_FROM, document_iri(doc_id)
    yield node, _K_DOC_ID, _text(doc_id)
    yield node, _K_SENTENCE_TEXT, Literal(record.get("text", ""), lang=LANG)
    if record.get("sentence") is not None:
        yield node, _K_SENTENCE_INDEX, _number(int(record["sentence"]))
    # -1 marks an offset extraction could not map back to the file: leave it out
    # rather than state a false position (the SHACL shapes then report it).
    for field, prop in (("raw_start", _K_START), ("raw_end", _K_END)):
        if record.get(field) is not None and record[field] >= 0:
            yield node, prop, _number(int(record[field]))
    if record.get("confidence") is not None:
        yield node, _K_CONFIDENCE, _number(float(record["confidence"]))
    if record.get("rule"):
        yield node, _K_RULE, _text(record["rule"])

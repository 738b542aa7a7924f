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
"""
from __future__ import annotations

import hashlib
import logging
from typing import Any, Iterable, Mapping
from urllib.parse import quote

import networkx as nx
import re

from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SKOS

from .graph import DOCUMENT
from .labels import MENTIONED_IN, EntityType, RelationType
from .namespaces import DOC, ID, KGO, PREFIXES

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


def entity_iri(key: tuple[str, str]) -> URIRef:
    """Stable IRI of an entity: ``id/<Type>/<percent-encoded canonical name>``."""
    etype, name = key
    return ID[f"{quote(str(etype), safe='')}/{quote(name, safe='')}"]


def document_iri(doc_id: str) -> URIRef:
    """IRI of a document, also the name of its named graph."""
    return DOC[quote(doc_id, safe="")]


def _hashed_iri(kind: str, *parts: Any) -> URIRef:
    digest = hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()[:20]
    return ID[f"{kind}/{digest}"]


def to_dataset(graph: nx.MultiDiGraph) -> Dataset:
    """One named graph per document, with a default graph that is their union."""
    dataset = Dataset(default_union=True)
    for prefix, namespace in PREFIXES.items():
        dataset.bind(prefix, namespace)
    named: dict[str, Graph] = {}

    def doc_graph(doc_id: str) -> Graph:
        if doc_id not in named:
            named[doc_id] = dataset.graph(document_iri(doc_id))
            _add_document(named[doc_id], doc_id, {})
        return named[doc_id]

    skipped: set[str] = set()
    for nid, data in graph.nodes(data=True):
        if data.get("type") == DOCUMENT:
            _add_document(doc_graph(data["label"]), data["label"], data)
        elif data.get("type") not in ENTITY_CLASSES:
            skipped.add(f"node type {data.get('type')!r}")
    for nid, data in graph.nodes(data=True):
        if data.get("type") in ENTITY_CLASSES:
            aliases = {graph.nodes[doc]["label"]: edge.get("aliases", [])
                       for _, doc, edge in graph.out_edges(nid, data=True)
                       if edge.get("relation") == MENTIONED_IN}
            for doc_id in data.get("documents", []):
                _add_entity(doc_graph(doc_id), data, doc_id, aliases.get(doc_id, ()))
    for u, v, data in graph.edges(data=True):
        ends = (graph.nodes[u], graph.nodes[v])
        if data.get("relation") == MENTIONED_IN:
            continue
        if data.get("relation") not in RELATION_PROPERTIES:
            skipped.add(f"relation {data.get('relation')!r}")
            continue
        if any(end.get("type") not in ENTITY_CLASSES for end in ends):
            continue  # its end is already reported as an unknown node type
        for doc_id, evidence in _by_document(data.get("evidence", [])).items():
            _add_relation(doc_graph(doc_id), ends, data, doc_id, evidence)
    if skipped:
        log.warning("Left out of RDF, no term in the ontology: %s. Add the term to "
                    "ontology/kg.ttl and kg/rdf.py to export them.", ", ".join(sorted(skipped)))
    return dataset


def to_graph(graph: nx.MultiDiGraph) -> Graph:
    """The union of all documents' triples as one Graph (for Turtle and N-Triples)."""
    return union_graph(to_dataset(graph))


def union_graph(dataset: Dataset) -> Graph:
    """All triples of a dataset's named graphs in one Graph, with its prefixes."""
    union = Graph()
    for prefix, namespace in dataset.namespaces():
        union.bind(prefix, namespace, override=True)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _by_document(evidence: Iterable[Mapping[str, Any]]) -> dict[str, list[Mapping[str, Any]]]:
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for record in evidence:
        grouped.setdefault(record["doc"], []).append(record)
    return grouped


def _add_document(g: Graph, doc_id: str, data: Mapping[str, Any]) -> None:
    doc = document_iri(doc_id)
    g.add((doc, RDF.type, KGO.Document))
    g.add((doc, RDFS.label, Literal(doc_id)))
    g.add((doc, KGO.docId, Literal(doc_id)))
    if data.get("path"):
        g.add((doc, KGO.path, Literal(str(data["path"]))))
    if data.get("jurisdiction"):
        g.add((doc, KGO.jurisdiction, Literal(str(data["jurisdiction"]), lang=LANG)))
    if data.get("title"):
        g.add((doc, DCTERMS.title, Literal(str(data["title"]), lang=LANG)))
    date = document_date(data)
    if date is not None:
        g.add((doc, DCTERMS.date, date))


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


def _add_entity(g: Graph, data: Mapping[str, Any], doc_id: str, aliases: Iterable[str]) -> None:
    name = data["label"]
    iri = entity_iri((data["type"], name))
    g.add((iri, RDF.type, ENTITY_CLASSES[data["type"]]))
    g.add((iri, SKOS.prefLabel, Literal(name, lang=LANG)))
    g.add((iri, RDFS.label, Literal(name, lang=LANG)))
    if data.get("pinyin"):
        g.add((iri, KGO.pinyin, Literal(str(data["pinyin"]), lang=PINYIN_LANG)))
    for alias in aliases:
        if alias != name:
            g.add((iri, SKOS.altLabel, Literal(alias, lang=LANG)))
    for attr, prop in ATTRIBUTE_PROPERTIES.items():
        if data.get(attr) not in (None, ""):
            if attr == "code" and data["type"] == EntityType.PLACE.value:
                prop = KGO.divisionCode
            g.add((iri, prop, Literal(str(data[attr]))))
    g.add((iri, KGO.mentionedIn, document_iri(doc_id)))


def _add_relation(g: Graph, ends: tuple[Mapping[str, Any], Mapping[str, Any]],
                  data: Mapping[str, Any], doc_id: str,
                  evidence: list[Mapping[str, Any]]) -> None:
    """The direct triple, its statement node and this document's evidence, in ``g``."""
    source, target = (entity_iri((end["type"], end["label"])) for end in ends)
    # Ends keep their typing in every graph that uses them, so each document's graph
    # is valid on its own.
    for end, iri in zip(ends, (source, target)):
        g.add((iri, RDF.type, ENTITY_CLASSES[end["type"]]))
        g.add((iri, SKOS.prefLabel, Literal(end["label"], lang=LANG)))
        g.add((iri, RDFS.label, Literal(end["label"], lang=LANG)))
        if end.get("pinyin"):
            g.add((iri, KGO.pinyin, Literal(str(end["pinyin"]), lang=PINYIN_LANG)))
    prop = RELATION_PROPERTIES[data["relation"]]
    title, role = data.get("title", ""), data.get("role", "")
    g.add((source, prop, target))

    statement = _hashed_iri("statement", source, prop, target, title, role)
    g.add((statement, RDF.type, KGO.RelationStatement))
    g.add((statement, RDF.subject, source))
    g.add((statement, RDF.predicate, prop))
    g.add((statement, RDF.object, target))
    g.add((statement, PROV.wasDerivedFrom, document_iri(doc_id)))
    if title:
        g.add((statement, KGO.title, Literal(title, lang=LANG)))
    if role:
        g.add((statement, KGO.role, Literal(role)))
    if prop == KGO.holdsPosition and title:
        g.add((statement, KGO.post, _add_post(g, source, target, title)))
    for record in evidence:
        g.add((statement, KGO.evidence, _add_evidence(g, statement, record)))


def _add_post(g: Graph, person: URIRef, agency: URIRef, title: str) -> URIRef:
    """The W3C Organization Ontology reading of a holds_position: a Post and its Role."""
    post = _hashed_iri("post", person, agency, title)
    role = ID[f"Role/{quote(title, safe='')}"]
    g.add((post, RDF.type, ORG.Post))
    g.add((person, ORG.holds, post))
    g.add((post, ORG.postIn, agency))
    g.add((post, ORG.role, role))
    g.add((post, KGO.title, Literal(title, lang=LANG)))
    g.add((post, RDFS.label, Literal(title, lang=LANG)))
    g.add((role, RDF.type, ORG.Role))
    g.add((role, SKOS.prefLabel, Literal(title, lang=LANG)))
    g.add((role, RDFS.label, Literal(title, lang=LANG)))
    return post


def _add_evidence(g: Graph, statement: URIRef, record: Mapping[str, Any]) -> URIRef:
    doc_id = record["doc"]
    node = _hashed_iri("evidence", statement, doc_id, record.get("sentence"),
                       record.get("rule"), record.get("raw_start"))
    g.add((node, RDF.type, KGO.Evidence))
    g.add((node, PROV.wasDerivedFrom, document_iri(doc_id)))
    g.add((node, KGO.docId, Literal(doc_id)))
    g.add((node, KGO.sentenceText, Literal(record.get("text", ""), lang=LANG)))
    if record.get("sentence") is not None:
        g.add((node, KGO.sentenceIndex, Literal(int(record["sentence"]))))
    # -1 marks an offset extraction could not map back to the file: leave it out
    # rather than state a false position (the SHACL shapes then report it).
    for field, prop in (("raw_start", KGO.startOffset), ("raw_end", KGO.endOffset)):
        if record.get(field) is not None and record[field] >= 0:
            g.add((node, prop, Literal(int(record[field]))))
    if record.get("confidence") is not None:
        g.add((node, KGO.confidence, Literal(float(record["confidence"]))))
    if record.get("rule"):
        g.add((node, KGO.rule, Literal(record["rule"])))
    return node

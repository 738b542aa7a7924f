"""RDF namespaces: our ontology's terms as Python names, and the standard vocabularies.

``KGO`` mirrors ``ontology/kg.ttl`` term for term (a test compares the two), in the
shape rdflib's ``defined_namespace_creator.py`` generates. ``_fail = True`` makes a
mistyped term (``KGO.holdPosition``) an AttributeError instead of a new, silent IRI.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

SCHEMA = SDO
"""schema.org, under its current ``https://schema.org/`` IRI."""

ONTOLOGY_IRI = "https://w3id.org/kg-gov/ontology#"
ID = Namespace("https://w3id.org/kg-gov/id/")
"""Instance data: ``ID["Agency/<percent-encoded name>"]``."""
DOC = Namespace("https://w3id.org/kg-gov/doc/")
"""Documents, and the named graphs that hold what each states."""
LINKS_GRAPH = URIRef("https://w3id.org/kg-gov/graph/links")
"""The named graph of what comparing documents found (near duplicates, flagged name
conflicts): it belongs to no one document."""


class KGO(DefinedNamespace):
    """The kg-gov ontology (``ontology/kg.ttl``)."""

    _fail = True
    _NS = Namespace(ONTOLOGY_IRI)

    # classes
    Person: URIRef
    Agency: URIRef
    Place: URIRef
    Initiative: URIRef
    Event: URIRef
    Document: URIRef
    Evidence: URIRef
    RelationStatement: URIRef
    NearDuplicate: URIRef
    NameConflict: URIRef

    # relations
    holdsPosition: URIRef
    locatedIn: URIRef
    partOf: URIRef
    subOrganizationOf: URIRef
    involvedIn: URIRef
    cooperatesWith: URIRef
    mentionedIn: URIRef
    nearDuplicateOf: URIRef
    possiblySameAs: URIRef

    # posts and provenance
    title: URIRef
    role: URIRef
    post: URIRef
    evidence: URIRef
    sentenceText: URIRef
    sentenceIndex: URIRef
    docId: URIRef
    startOffset: URIRef
    endOffset: URIRef
    confidence: URIRef
    rule: URIRef
    path: URIRef
    jurisdiction: URIRef
    similarity: URIRef
    flagged: URIRef

    # entity attributes
    level: URIRef
    kind: URIRef
    code: URIRef
    divisionCode: URIRef

    # labels
    pinyin: URIRef
    scope: URIRef


PREFIXES = {
    "kgo": KGO._NS,
    "kgid": ID,
    "kgdoc": DOC,
    "org": ORG,
    "prov": PROV,
    "skos": SKOS,
    "schema": SCHEMA,
    "dcterms": DCTERMS,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
}
"""Prefixes bound in every exported file and available in every query."""

__all__ = ["KGO", "ID", "DOC", "LINKS_GRAPH", "ORG", "PROV", "SKOS", "SCHEMA", "DCTERMS", "PREFIXES"]

"""The merged graph kept on disk, in SQLite, for corpora whose graph does not fit in memory.

``kg.graph.build_graph`` merges every document into one networkx graph: the main
process grows by about 64 kB per document (each mention and each supporting sentence
is kept as provenance), so a gigabyte of text would need tens of gigabytes. A
:class:`DiskGraph` does the same merge, with the same rules (the functions of
``kg.graph`` on one node or edge), into an SQLite database in a temporary folder: the
documents come in batches (``BATCH``), the nodes and edges a batch touches are read,
updated in memory and written back, and the mention and evidence records are appended
to tables of their own. So the process holds one batch at a time, and what stays on
disk is the graph: entity identity, document lists, mentions, evidence, and the
near-duplicate index (MinHash signatures, their LSH band keys and the person sentences
of each document, :class:`DiskNearDuplicateIndex`).

The exports read it through the part of networkx's ``MultiDiGraph`` interface they use
(``nodes``, ``edges``, ``out_edges``, ``get_edge_data``, ``adjacency``, ``degree`` …),
in the order networkx would give (nodes in the order they were added; edges by source
node, then by the first edge to each target, then by key), with the same attribute
dicts, except that a node's ``documents`` and ``mentions`` and a relation's
``evidence`` are :class:`Records`: sequences read from the database as they are
iterated, never held whole. The RDF exports' per-document graphs ask for one
document's entities and evidence at a time (:meth:`DiskGraph.document_rows`). So the
files written are the ones the in-memory graph gives, byte for byte
(``tests/unit/test_diskgraph.py``), and :meth:`DiskGraph.to_networkx` gives the
graph itself, for a corpus that fits.

Values go into SQLite as they are (no declared column types: an int stays an int, a
float a float); attribute dicts are pickled (the database is a private temporary
file of this process, never read from elsewhere).
"""
from __future__ import annotations

import logging
import os
import pickle
import shutil
import sqlite3
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence

import networkx as nx
import numpy as np

from .dedup import NearDuplicateIndex
from .graph import (DOCUMENT, _append_doc, _append_record, _text, document_attrs, document_node_id,
                    indirect_parent_edges, mention_record, merge_conflict, merge_entity, merge_mentioned_in,
                    name_conflict_parts, new_conflict_edge, new_entity_node, new_mentioned_in, node_id,
                    relation_parts)
from .labels import MENTIONED_IN, NEAR_DUPLICATE_OF, POSSIBLY_SAME_AS, RelationType
from .types import DocResult, PersonContext

log = logging.getLogger(__name__)

BATCH = 200
"""Documents merged in memory before their changes are written to the database."""

_PLAIN_EDGES = (MENTIONED_IN, NEAR_DUPLICATE_OF, POSSIBLY_SAME_AS)
"""Edges whose attributes are all in their pickled dict (no evidence table)."""

_MENTION_FIELDS = ("doc", "start", "end", "raw_start", "raw_end", "sentence", "text", "source", "score")
_EVIDENCE_FIELDS = ("doc", "sentence", "text", "raw_start", "raw_end", "confidence", "rule", "date")

_SCHEMA = """
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA temp_store = FILE;
CREATE TABLE node (id INTEGER PRIMARY KEY, nid TEXT NOT NULL UNIQUE, type, data BLOB, last_doc);
CREATE TABLE node_doc (node INTEGER, doc);
CREATE TABLE mention (node INTEGER, doc, start, "end", raw_start, raw_end, sentence, text, source, score);
CREATE TABLE edge (id INTEGER PRIMARY KEY, u INTEGER, v INTEGER, key, relation, data BLOB, tail BLOB,
                   UNIQUE (u, v, key));
CREATE TABLE evidence (edge INTEGER, doc, sentence, text, raw_start, raw_end, confidence, rule, date);
CREATE TABLE signature (doc TEXT PRIMARY KEY, minhash BLOB, people BLOB);
CREATE TABLE band (key BLOB, doc);
CREATE INDEX band_key ON band (key);
"""
_READ_INDEXES = """
CREATE INDEX node_doc_node ON node_doc (node);
CREATE INDEX node_doc_doc ON node_doc (doc, node);
CREATE INDEX mention_node ON mention (node);
CREATE INDEX evidence_edge ON evidence (edge);
CREATE INDEX evidence_doc ON evidence (doc, edge);
CREATE INDEX edge_v ON edge (v);
CREATE TABLE edge_order (rank INTEGER PRIMARY KEY, edge INTEGER UNIQUE);
CREATE TABLE degree (node INTEGER PRIMARY KEY, n);
"""


def _dumps(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


class Records(Sequence):
    """A node's ``documents`` or ``mentions``, or a relation's ``evidence``: the rows of
    ``table`` whose ``column`` is ``key``, in the order they were added, read from the
    database each time it is iterated (as dicts of ``fields``, or the one value of
    ``fields[0]`` with ``plain``). Compares equal to the list it stands for."""

    def __init__(self, db: sqlite3.Connection, table: str, column: str, key: Any,
                 fields: tuple[str, ...], plain: bool = False) -> None:
        self._db, self._table, self._column, self._key = db, table, column, key
        self._fields, self._plain = fields, plain

    def _rows(self, fields: Iterable[str]) -> sqlite3.Cursor:
        columns = ", ".join(f'"{f}"' for f in fields)
        return self._db.execute(f"SELECT {columns} FROM {self._table} WHERE {self._column} = ? ORDER BY rowid",
                                (self._key,))

    def __iter__(self) -> Iterator[Any]:
        if self._plain:
            for (value,) in self._rows(self._fields[:1]):
                yield value
            return
        fields = self._fields
        for row in self._rows(fields):
            yield {k: v for k, v in zip(fields, row) if v is not None or k != "date"}

    def field(self, name: str) -> Iterator[Any]:
        """The values of one field of each record, in order (cheaper than the records)."""
        return (value for (value,) in self._rows([name]))

    def __len__(self) -> int:
        return self._db.execute(f"SELECT COUNT(*) FROM {self._table} WHERE {self._column} = ?",
                                (self._key,)).fetchone()[0]

    def __bool__(self) -> bool:
        return self._db.execute(f"SELECT EXISTS (SELECT 1 FROM {self._table} WHERE {self._column} = ?)",
                                (self._key,)).fetchone()[0] == 1

    def __getitem__(self, index):
        return list(self)[index]

    def __eq__(self, other: Any) -> bool:
        return list(self) == (list(other) if isinstance(other, Records) else other)

    def __repr__(self) -> str:
        return f"Records({list(self)!r})"


def plain(data: dict[str, Any]) -> dict[str, Any]:
    """An attribute dict with its :class:`Records` read into lists (for JSON)."""
    if not any(isinstance(v, Records) for v in data.values()):
        return data
    return {k: list(v) if isinstance(v, Records) else v for k, v in data.items()}


class _Batch:
    """The nodes and edges one batch of documents touched, and the records it added."""

    def __init__(self) -> None:
        self.nodes: dict[str, list] = {}  # nid -> [id, type, data, last_doc, documents added]
        self.edges: dict[tuple, list] = {}  # (u id, v id, key) -> [id, relation, data, tail]
        self.node_docs: list[tuple] = []
        self.mentions: list[tuple] = []
        self.evidence: list[tuple] = []
        self.documents = 0


class DiskGraph:
    """The merged graph in an SQLite database (module docstring): :meth:`merge` the
    documents, then read it as a networkx ``MultiDiGraph``. Use as a context manager, or
    :meth:`close` it: the database's folder is deleted then."""

    def __init__(self, folder: Optional[str] = None, *, near_duplicates: bool = True) -> None:
        _remove_stale(Path(folder or tempfile.gettempdir()))
        self._folder = Path(tempfile.mkdtemp(prefix=f"kg-merge-{os.getpid()}-", dir=folder))
        self._db = sqlite3.connect(str(self._folder / "graph.sqlite"), isolation_level=None)
        self._db.executescript(_SCHEMA)
        self._db.execute("BEGIN")
        self._next_node = 1
        self._next_edge = 1
        self._index = DiskNearDuplicateIndex(self._db) if near_duplicates else None
        self._finished = False
        self.graph: dict[str, Any] = {}
        self.nodes = _NodeView(self)

    # ------------------------------------------------------------------ merging

    def merge(self, results: Iterable[DocResult]) -> "DiskGraph":
        """Merge the documents in, a batch at a time, then put the graph in its final
        form (indirect ``part_of`` edges dropped, the read indexes made)."""
        batch = _Batch()
        for result in results:
            self._add(batch, result)
            batch.documents += 1
            if batch.documents >= BATCH:
                self._write(batch)
                batch = _Batch()
        self._write(batch)
        self._finish()
        return self

    def _node(self, batch: _Batch, nid: str, new: Optional[dict] = None) -> list:
        found = batch.nodes.get(nid)
        if found is None:
            row = self._db.execute("SELECT id, type, data, last_doc FROM node WHERE nid = ?", (nid,)).fetchone()
            if row is not None:
                found = [row[0], row[1], pickle.loads(row[2]), row[3], False]
            elif new is not None:
                found = [self._next_node, new.get("type"), new, None, True]
                self._next_node += 1
            else:
                return None
            batch.nodes[nid] = found
        return found

    def _entity(self, batch: _Batch, key: tuple) -> list:
        nid = node_id(key)
        node = batch.nodes.get(nid) or self._node(batch, nid)
        if node is None:
            node = self._node(batch, nid, _placeholders(new_entity_node(key)))
        return node

    def _add_doc(self, batch: _Batch, node: list, doc_id: str) -> None:
        """``kg.graph._append_doc`` on the node's list, which is a table here."""
        last = [node[3]] if node[3] is not None else []
        _append_doc(last, doc_id)
        if last[-1] != node[3]:
            node[3] = last[-1]
            batch.node_docs.append((node[0], doc_id))

    def _edge(self, batch: _Batch, u: int, v: int, key: str, new: Optional[dict] = None) -> list:
        found = batch.edges.get((u, v, key))
        if found is None:
            row = self._db.execute("SELECT id, relation, data, tail FROM edge WHERE u = ? AND v = ? AND key = ?",
                                   (u, v, key)).fetchone()
            if row is not None:
                found = [row[0], row[1], pickle.loads(row[2]), pickle.loads(row[3]) if row[3] else []]
            elif new is not None:
                found = [self._next_edge, new["relation"], new, []]
                self._next_edge += 1
            else:
                return None
            batch.edges[u, v, key] = found
        return found

    def _add(self, batch: _Batch, result: DocResult) -> None:
        doc_nid = document_node_id(result.doc_id)
        attrs = document_attrs(result)
        doc = self._node(batch, doc_nid)
        if doc is None:
            doc = self._node(batch, doc_nid, attrs)
        else:
            log.warning("Document %r appears twice; its results are merged.", result.doc_id)
            doc[2].update(attrs)
        for entity in result.entities:
            node = self._entity(batch, entity.key)
            data = node[2]
            # the node's list is a table: kg.graph._append_doc needs only its last entry
            data["documents"] = [node[3]] if node[3] is not None else []
            merge_entity(data, entity, result.doc_id)
            added, data["documents"] = data["documents"], None
            if added and added[-1] != node[3]:
                node[3] = added[-1]
                batch.node_docs.append((node[0], added[-1]))
            node_no = node[0]
            batch.mentions.extend((node_no, *(r[f] for f in _MENTION_FIELDS))
                                  for r in map(mention_record, entity.mentions))
            edge = self._edge(batch, node_no, doc[0], MENTIONED_IN)
            if edge is None:
                self._edge(batch, node_no, doc[0], MENTIONED_IN, new_mentioned_in(entity))
            else:
                merge_mentioned_in(edge[2], entity)
        sentences = {s.index: s.text for s in result.sentences}
        for relation in result.relations:
            (source, target), (_, _, key), attrs, record = relation_parts(relation, sentences)
            ends = []
            for end in (source, target):
                node = self._entity(batch, end)
                self._add_doc(batch, node, relation.doc_id)
                ends.append(node[0])
            attrs["evidence"] = None
            edge = self._edge(batch, ends[0], ends[1], key, attrs)
            edge[2]["confidence"] = max(edge[2]["confidence"], float(relation.confidence))
            tail = edge[3]  # the records of the edge's last document (kg.graph._append_record)
            before = len(tail)
            _append_record(tail, record)
            if len(tail) > before:
                if len(tail) > 1 and tail[-2]["doc"] != record["doc"]:
                    del tail[:-1]
                batch.evidence.append((edge[0], *(record.get(f) for f in _EVIDENCE_FIELDS)))
        if self._index is not None and result.minhash:
            pairs, conflicts = self._index.add(result)
            for pair in pairs:
                u, v = sorted((document_node_id(pair.doc_a), document_node_id(pair.doc_b)))
                nu, nv = self._node(batch, u), self._node(batch, v)
                self._edge(batch, nu[0], nv[0], NEAR_DUPLICATE_OF,
                           {"relation": NEAR_DUPLICATE_OF, "similarity": float(pair.similarity),
                            "method": _method()})
            for conflict in conflicts:
                (u, v), keys, records = name_conflict_parts(conflict)
                ends = [self._entity(batch, key)[0] for key in keys]
                edge = self._edge(batch, ends[0], ends[1], POSSIBLY_SAME_AS, new_conflict_edge())
                merge_conflict(edge[2], conflict, records)

    def _write(self, batch: _Batch) -> None:
        db = self._db
        db.executemany("INSERT INTO node (id, nid, type, data, last_doc) VALUES (?, ?, ?, ?, ?) "
                       "ON CONFLICT (id) DO UPDATE SET data = excluded.data, last_doc = excluded.last_doc",
                       ((n[0], nid, n[1], _dumps(n[2]), n[3]) for nid, n in batch.nodes.items()))
        db.executemany("INSERT INTO edge (id, u, v, key, relation, data, tail) VALUES (?, ?, ?, ?, ?, ?, ?) "
                       "ON CONFLICT (id) DO UPDATE SET data = excluded.data, tail = excluded.tail",
                       ((e[0], u, v, key, e[1], _dumps(e[2]), _dumps(e[3]) if e[3] else None)
                        for (u, v, key), e in batch.edges.items()))
        db.executemany("INSERT INTO node_doc VALUES (?, ?)", batch.node_docs)
        db.executemany("INSERT INTO mention VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", batch.mentions)
        db.executemany("INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", batch.evidence)
        db.execute("COMMIT")
        db.execute("BEGIN")

    def _finish(self) -> None:
        db = self._db
        db.execute("COMMIT")
        db.executescript(_READ_INDEXES)
        db.execute("BEGIN")
        # networkx's order: by source node, then by the first edge to each target, then by key
        db.execute("INSERT INTO edge_order (edge) SELECT id FROM (SELECT id, u, MIN(id) OVER (PARTITION BY u, v) "
                   "AS first FROM edge) ORDER BY u, first, id")
        part_of = RelationType.PART_OF.value
        dropped = indirect_parent_edges(db.execute("SELECT u, v, key FROM edge WHERE relation = ?", (part_of,)))
        for u, v, key in dropped:
            (edge,) = db.execute("SELECT id FROM edge WHERE u = ? AND v = ? AND key = ?", (u, v, key)).fetchone()
            for table, column in (("edge", "id"), ("evidence", "edge"), ("edge_order", "edge")):
                db.execute(f"DELETE FROM {table} WHERE {column} = ?", (edge,))
        db.execute("INSERT INTO degree SELECT node, SUM(n) FROM (SELECT u AS node, COUNT(*) AS n FROM edge GROUP BY u "
                   "UNION ALL SELECT v, COUNT(*) FROM edge GROUP BY v) GROUP BY node")
        db.execute("COMMIT")
        db.execute("ANALYZE")
        db.execute("BEGIN")  # reads in one transaction: no lock taken and released per query
        self._finished = True

    # ------------------------------------------------------------------ reading

    def _node_data(self, number: int, type_: Any, blob: bytes) -> dict[str, Any]:
        data = pickle.loads(blob)
        if type_ != DOCUMENT:
            if "documents" in data and data["documents"] is None:
                data["documents"] = Records(self._db, "node_doc", "node", number, ("doc",), plain=True)
            if "mentions" in data and data["mentions"] is None:
                data["mentions"] = Records(self._db, "mention", "node", number, _MENTION_FIELDS)
        return data

    def _edge_data(self, number: int, relation: str, blob: bytes) -> dict[str, Any]:
        data = pickle.loads(blob)
        if relation not in _PLAIN_EDGES and data.get("evidence", ()) is None:
            data["evidence"] = Records(self._db, "evidence", "edge", number, _EVIDENCE_FIELDS)
        return data

    @lru_cache(maxsize=4096)
    def _node_row(self, nid: str) -> Optional[tuple]:
        return self._db.execute("SELECT id, type, data FROM node WHERE nid = ?", (nid,)).fetchone()

    def node_data(self, nid: str) -> dict[str, Any]:
        row = self._node_row(nid)
        if row is None:
            raise KeyError(nid)
        return self._node_data(*row)

    def __contains__(self, nid: Any) -> bool:
        return isinstance(nid, str) and self._node_row(nid) is not None

    def __len__(self) -> int:
        return self.number_of_nodes()

    def __iter__(self) -> Iterator[str]:
        return iter(self.nodes)

    def number_of_nodes(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM node").fetchone()[0]

    def number_of_edges(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM edge").fetchone()[0]

    def is_directed(self) -> bool:
        return True

    def is_multigraph(self) -> bool:
        return True

    _EDGES = ("SELECT nu.nid, nv.nid, e.key, e.id, e.relation, e.data FROM edge_order o JOIN edge e ON e.id = o.edge "
              "JOIN node nu ON nu.id = e.u JOIN node nv ON nv.id = e.v")

    def edges(self, nbunch: Any = None, data: bool = False, keys: bool = False) -> Iterator[tuple]:
        """``(u, v[, key][, data])`` in networkx's order."""
        if nbunch is not None:
            return self.out_edges(nbunch, data=data, keys=keys)
        return self._edges(self._EDGES + " ORDER BY o.rank", (), data, keys)

    def _edges(self, sql: str, args: tuple, data: bool, keys: bool) -> Iterator[tuple]:
        for u, v, key, number, relation, blob in self._db.execute(sql, args):
            out = (u, v, key) if keys else (u, v)
            yield (*out, self._edge_data(number, relation, blob)) if data else out

    def out_edges(self, nid: str, data: bool = False, keys: bool = False) -> Iterator[tuple]:
        row = self._node_row(nid)
        return self._edges(self._EDGES + " WHERE e.u = ? ORDER BY o.rank", (row[0],), data, keys) if row else iter(())

    def in_edges(self, nid: str, data: bool = False, keys: bool = False) -> Iterator[tuple]:
        row = self._node_row(nid)
        return self._edges(self._EDGES + " WHERE e.v = ? ORDER BY o.rank", (row[0],), data, keys) if row else iter(())

    def get_edge_data(self, u: str, v: str, key: Any = None, default: Any = None) -> Any:
        nu, nv = self._node_row(u), self._node_row(v)
        if nu is None or nv is None:
            return default
        if key is None:
            rows = self._db.execute("SELECT e.key, e.id, e.relation, e.data FROM edge e JOIN edge_order o ON "
                                    "o.edge = e.id WHERE e.u = ? AND e.v = ? ORDER BY o.rank", (nu[0], nv[0])).fetchall()
            return {k: self._edge_data(n, r, b) for k, n, r, b in rows} if rows else default
        row = self._db.execute("SELECT id, relation, data FROM edge WHERE u = ? AND v = ? AND key = ?",
                               (nu[0], nv[0], key)).fetchone()
        return self._edge_data(*row) if row else default

    def has_edge(self, u: str, v: str, key: Any = None) -> bool:
        return self.get_edge_data(u, v, key) is not None

    def adjacency(self) -> Iterator[tuple[str, dict[str, dict[str, dict[str, Any]]]]]:
        """``(u, {v: {key: data}})`` for each node with edges, as networkx gives them
        (networkx also gives nodes without edges, with ``{}``: nothing to do for them)."""
        current, neighbours = None, {}
        for u, v, key, data in self.edges(data=True, keys=True):
            if u != current:
                if current is not None:
                    yield current, neighbours
                current, neighbours = u, {}
            neighbours.setdefault(v, {})[key] = data
        if current is not None:
            yield current, neighbours

    def degree(self, nid: str) -> int:
        row = self._node_row(nid)
        found = self._db.execute("SELECT n FROM degree WHERE node = ?", (row[0],)).fetchone() if row else None
        return found[0] if found else 0

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        """Nodes per type and edges per relation."""
        return (dict(self._db.execute("SELECT type, COUNT(*) FROM node GROUP BY type")),
                dict(self._db.execute("SELECT relation, COUNT(*) FROM edge GROUP BY relation")))

    def documents(self) -> Iterator[tuple[str, Optional[dict[str, Any]]]]:
        """doc id → its node's data (None for a doc id that only records name), document
        nodes first in graph order: what ``kg.rdf`` writes a description of."""
        labels = set()
        for number, type_, blob in self._db.execute("SELECT id, type, data FROM node WHERE type = ? ORDER BY id",
                                                    (DOCUMENT,)):
            data = self._node_data(number, type_, blob)
            labels.add(data["label"])
            yield data["label"], data
        for (doc,) in self._db.execute("SELECT doc FROM node_doc GROUP BY doc ORDER BY MIN(rowid)"):
            if doc not in labels:
                yield doc, None

    def document_rows(self, doc_id: str) -> tuple[list[tuple[str, dict]], list[tuple[str, str, dict, list]]]:
        """One document's part of the graph, for its RDF named graph: the entity nodes
        whose ``documents`` name it (node id, data), in graph order, and the edges with
        evidence from it ``(u, v, data, its records)``, in edge order."""
        entities = [(nid, self._node_data(number, type_, blob)) for nid, number, type_, blob in self._db.execute(
            "SELECT n.nid, n.id, n.type, n.data FROM node n WHERE n.id IN (SELECT node FROM node_doc WHERE doc = ?) "
            "ORDER BY n.id", (doc_id,))]
        relations: list[tuple[str, str, dict, list]] = []
        last = None
        for row in self._db.execute(
                "SELECT nu.nid, nv.nid, e.id, e.relation, e.data, " + ", ".join(f"x.{f}" for f in _EVIDENCE_FIELDS)
                + " FROM evidence x JOIN edge e ON e.id = x.edge JOIN edge_order o ON o.edge = e.id "
                "JOIN node nu ON nu.id = e.u JOIN node nv ON nv.id = e.v WHERE x.doc = ? ORDER BY o.rank, x.rowid",
                (doc_id,)):
            if row[2] != last:
                last = row[2]
                relations.append((row[0], row[1], self._edge_data(row[2], row[3], row[4]), []))
            relations[-1][3].append({k: v for k, v in zip(_EVIDENCE_FIELDS, row[5:]) if v is not None or k != "date"})
        return entities, relations

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph in memory, as ``kg.graph.build_graph`` makes it."""
        graph = nx.MultiDiGraph()
        for nid, data in self.nodes(data=True):
            graph.add_node(nid, **plain(data))
        for u, v, key, data in self.edges(keys=True, data=True):
            graph.add_edge(u, v, key=key, **plain(data))
        return graph

    def close(self) -> None:
        self._node_row.cache_clear()
        self._db.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> "DiskGraph":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class _NodeView:
    """``graph.nodes``: iterate node ids, ``graph.nodes(data=True)``, ``graph.nodes[nid]``."""

    def __init__(self, graph: DiskGraph) -> None:
        self._graph = graph

    def __call__(self, data: bool = False) -> Iterator[Any]:
        graph = self._graph
        rows = graph._db.execute("SELECT nid, id, type, data FROM node ORDER BY id")
        if not data:
            return (nid for nid, *_ in rows)
        return ((nid, graph._node_data(number, type_, blob)) for nid, number, type_, blob in rows)

    def __iter__(self) -> Iterator[str]:
        return self()

    def __len__(self) -> int:
        return self._graph.number_of_nodes()

    def __contains__(self, nid: Any) -> bool:
        return nid in self._graph

    def __getitem__(self, nid: str) -> dict[str, Any]:
        return self._graph.node_data(nid)


class DiskNearDuplicateIndex(NearDuplicateIndex):
    """``kg.dedup.NearDuplicateIndex`` with its signatures, LSH band keys and person
    sentences in the merge's database (tables ``signature`` and ``band``): the same
    bands, so the same candidates and pairs."""

    def __init__(self, db: sqlite3.Connection) -> None:
        super().__init__()
        self._db = db
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def _seen(self, doc_id: str) -> bool:
        return self._db.execute("SELECT 1 FROM signature WHERE doc = ?", (doc_id,)).fetchone() is not None

    def _candidates(self, minhash, signature: np.ndarray) -> Iterable[str]:
        keys = [bytes([i]) + key for i, key in enumerate(self.band_keys(signature))]
        marks = ", ".join("?" * len(keys))
        return [doc for (doc,) in self._db.execute(f"SELECT DISTINCT doc FROM band WHERE key IN ({marks})", keys)]

    def _stored(self, doc_id: str) -> tuple[np.ndarray, Sequence[PersonContext]]:
        minhash, people = self._db.execute("SELECT minhash, people FROM signature WHERE doc = ?",
                                           (doc_id,)).fetchone()
        return np.frombuffer(minhash, dtype=np.uint32), pickle.loads(people) if people else ()

    def _insert(self, doc_id: str, minhash, signature: np.ndarray, people: Sequence[PersonContext]) -> None:
        self._db.execute("INSERT INTO signature VALUES (?, ?, ?)",
                         (doc_id, signature.astype(np.uint32).tobytes(), _dumps(tuple(people)) if people else None))
        self._db.executemany("INSERT INTO band VALUES (?, ?)",
                             ((bytes([i]) + key, doc_id) for i, key in enumerate(self.band_keys(signature))))
        self._count += 1


def _remove_stale(parent: Path) -> None:
    """Delete the databases of merges whose process is gone (a build killed with
    SIGKILL, or out of memory, leaves its ``kg-merge-<pid>-*`` folder behind)."""
    from .locks import pid_alive

    try:
        entries = list(parent.glob("kg-merge-*-*"))
    except OSError:
        return
    for entry in entries:
        pid = entry.name.split("-")[2]
        if pid.isdigit() and not pid_alive(int(pid)) and entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def _placeholders(data: dict[str, Any]) -> dict[str, Any]:
    """A new entity node's data with its ``documents`` and ``mentions`` in their tables."""
    data["documents"] = None
    data["mentions"] = None
    return data


@lru_cache(maxsize=1)
def _method() -> str:
    from .dedup import METHOD

    return METHOD


def build_disk_graph(results: Iterable[DocResult], *, folder: Optional[str] = None,
                     near_duplicates: bool = True) -> DiskGraph:
    """:func:`kg.graph.build_graph` with the merge state on disk: a :class:`DiskGraph`
    (close it when done) in a new temporary folder under ``folder`` (default: the
    system's, ``TMPDIR``)."""
    graph = DiskGraph(folder, near_duplicates=near_duplicates)
    try:
        return graph.merge(results)
    except BaseException:
        graph.close()
        raise


__all__ = ["BATCH", "DiskGraph", "DiskNearDuplicateIndex", "Records", "build_disk_graph", "plain"]

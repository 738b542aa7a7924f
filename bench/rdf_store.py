"""Benchmark: about 1M triples in the shape of ours, loaded into the Oxigraph store and
into rdflib's memory store, and every saved query timed on both, in one run.

    .venv/bin/python bench/rdf_store.py [--triples 1000000] [--seed 1] [--rdflib-timeout 300]

Synthetic documents (people, agencies, places, initiatives and events with Chinese
names, every relation type, evidence sentences) go through ``kg.graph`` and ``kg.rdf``
as a real build does, one named graph per document, into an N-Quads file. Then:

- Oxigraph: ``bulk_load`` of the file into a new on-disk store, plus the union default
  graph ``kg.store`` keeps (``INSERT … WHERE { GRAPH ?g … }``), then each query;
- rdflib: ``Dataset(default_union=True).parse`` of the same file, then each query, in a
  child process that is stopped after ``--rdflib-timeout`` seconds for one query.

Prints a Markdown table. Not a test: it takes minutes and a few GB of memory.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kg.graph import build_graph  # noqa: E402
from kg.query import QUERIES_DIR, bind_params, run_sparql, saved_queries  # noqa: E402
from kg.rdf import document_iri, to_dataset  # noqa: E402
from kg.types import DocResult, Entity, Relation, Sentence  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "建国华明伟芳军平立新文红丽强海燕志勇玉英秀云德成永利福东晓峰林春梅兰鹏飞宏亮光辉杰斌涛波刚敏静丹霞"
PLACE_CHARS = "安宁平山河阳川江湖西东南北中泰兴华丰昌德宝龙凤云林清源石城新乐康寿长阜临晋汾沁潞榆祁襄"
AGENCY_SUFFIXES = ["总工会", "教育局", "人民政府", "发展和改革委员会", "生态环境局", "人大常委会", "妇联",
                   "税务局", "卫生健康委员会", "科学技术局", "文化和旅游局", "体育局", "公安局", "财政局"]
UNITS = ["办公室", "第一分局", "第二分局", "信息中心", "法规科"]
TITLES = ["主席", "副主席", "局长", "副局长", "主任", "副主任", "书记", "副书记", "市长", "副市长"]
THEMES = ["乡村振兴", "数字经济", "生态修复", "技能提升", "城市更新", "文旅融合", "科技创新", "民生保障"]
HEADS = ["工程", "行动", "计划", "示范区建设"]
EVENTS = ["职工技能大赛", "招商推介会", "象棋公开赛", "工作会议", "文化节"]
ROLES = ["organizer", "implementer", "guide", "participant", "funder"]


def _name(rng: random.Random, chars: str, n: int) -> str:
    return "".join(rng.choice(chars) for _ in range(n))


class World:
    """Pools of names shared by all documents, so entities recur across documents."""

    def __init__(self, rng: random.Random) -> None:
        self.provinces = [_name(rng, PLACE_CHARS, 2) + "省" for _ in range(30)]
        self.cities = [(_name(rng, PLACE_CHARS, 2) + "市", rng.choice(self.provinces)) for _ in range(300)]
        self.counties = [(_name(rng, PLACE_CHARS, 2) + rng.choice("县区"), rng.choice(self.cities)[0])
                         for _ in range(2000)]
        self.people = [rng.choice(SURNAMES) + _name(rng, GIVEN, rng.choice((1, 2))) for _ in range(20000)]


def make_doc(world: World, rng: random.Random, index: int) -> DocResult:
    doc_id = f"synthetic_{index:05d}.txt"
    county, city = rng.choice(world.counties)
    province = next(p for c, p in world.cities if c == city)
    entities: dict[tuple[str, str], Entity] = {}
    relations: list[Relation] = []
    sentences: list[Sentence] = []
    offset = 0

    def entity(etype: str, name: str, **attrs) -> tuple[str, str]:
        entities.setdefault((etype, name), Entity(etype, name, confidence=0.9, attrs=attrs))
        return (etype, name)

    def relate(rtype: str, source, target, text: str, **extra) -> None:
        nonlocal offset
        index_ = len(sentences)
        sentences.append(Sentence(doc_id, index_, offset, offset + len(text), text))
        relations.append(Relation(rtype, source, target, doc_id, index_, text, round(rng.uniform(0.5, 1), 2),
                                  "synthetic", raw_start=offset, raw_end=offset + len(text), **extra))
        offset += len(text) + 1

    p = entity("Place", province, level="province", code=f"{rng.randrange(11, 66)}0000")
    c = entity("Place", city, level="city", code=f"{rng.randrange(110000, 659999)}")
    k = entity("Place", county, level="county")
    relate("part_of", c, p, f"{city}位于{province}。")
    relate("part_of", k, c, f"{county}隶属{city}。")
    agencies = []
    for suffix in rng.sample(AGENCY_SUFFIXES, 6):
        place = rng.choice((city, county))
        a = entity("Agency", f"{place}{suffix}", kind="government")
        agencies.append(a)
        relate("located_in", a, (k if place == county else c), f"{place}{suffix}召开专题会议，部署年度重点工作。")
        if rng.random() < 0.4:
            unit = entity("Agency", f"{place}{suffix}{rng.choice(UNITS)}", kind="government")
            relate("sub_organization_of", unit, a, f"{unit[1]}是{a[1]}的下属单位。")
    for _ in range(5):
        person = entity("Person", rng.choice(world.people))
        agency = rng.choice(agencies)
        title = rng.choice(TITLES)
        relate("holds_position", person, agency, f"{agency[1]}{title}{person[1]}出席会议并讲话。", title=title)
    for _ in range(3):
        initiative = entity("Initiative", f"{city}{rng.choice(THEMES)}{rng.choice(HEADS)}")
        for agency in rng.sample(agencies, 2):
            relate("involved_in", agency, initiative, f"{agency[1]}牵头实施“{initiative[1]}”。",
                   role=rng.choice(ROLES))
    event = entity("Event", f"2024年{city}{rng.choice(EVENTS)}")
    relate("located_in", event, c, f"{event[1]}在{city}举行。")
    relate("involved_in", rng.choice(agencies), event, f"{event[1]}由有关单位主办。", role="organizer")
    a, b = rng.sample(agencies, 2)
    relate("cooperates_with", a, b, f"{a[1]}与{b[1]}签订战略合作协议。")
    year = rng.randrange(2019, 2025)
    return DocResult(doc_id, f"/synthetic/{doc_id}", county, tuple(entities.values()), tuple(relations),
                     tuple(sentences), meta={"date": f"{year}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 9)}"})


def write_nquads(path: Path, target: int, seed: int) -> tuple[int, int, dict[str, str]]:
    """Write documents until ``target`` triples; return (documents, triples, sample params)."""
    rng = random.Random(seed)
    world = World(rng)
    docs = triples = 0
    sample: dict[str, str] = {}
    with open(path, "w", encoding="utf-8") as out:
        while triples < target:
            result = make_doc(world, rng, docs)
            if not sample:
                post = next(r for r in result.relations if r.type == "holds_position")
                inv = next(r for r in result.relations if r.type == "involved_in")
                sub = next((r for r in result.relations if r.type == "sub_organization_of"), None)
                coop = next(r for r in result.relations if r.type == "cooperates_with")
                city = next(r for r in result.relations if r.type == "part_of").source[1]
                sample = {"person": post.source[1], "agency": post.target[1], "place": city,
                          "initiative": inv.target[1], "involved": inv.source[1], "body": (sub.target[1] if sub else post.target[1]),
                          "partner": coop.source[1], "source": post.source[1], "target": post.target[1]}
            graph_name = f"<{document_iri(result.doc_id)}>"
            for s, p, o in to_dataset(build_graph([result])).graph(document_iri(result.doc_id)):
                out.write(f"{s.n3()} {p.n3()} {o.n3()} {graph_name} .\n")
                triples += 1
            docs += 1
    return docs, triples, sample


def query_params(name: str, sample: dict[str, str]) -> dict[str, str]:
    return {"person_posts": {"person": sample["person"]}, "agency_people": {"agency": sample["agency"]},
            "agencies_in_place": {"place": sample["place"]}, "agency_initiatives": {"agency": sample["involved"]},
            "initiative_participants": {"initiative": sample["initiative"]},
            "sub_organizations": {"body": sample["body"]}, "partners": {"agency": sample["partner"]},
            "places_under": {"place": sample["place"]},
            "relation_evidence": {"source": sample["source"], "target": sample["target"]},
            }.get(name, {})


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def oxigraph_run(nq: Path, sample: dict[str, str]) -> dict[str, tuple[float, int]]:
    import pyoxigraph as ox

    from kg.store import query_store
    folder = Path(tempfile.mkdtemp(prefix="bench-ox-"))
    try:
        store = ox.Store(str(folder / "store"))
        start = time.perf_counter()
        store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        union = time.perf_counter() - start
        times = {"load": (loaded, 0), "union default graph": (union, 0)}
        for name, saved in saved_queries(QUERIES_DIR).items():
            bindings = bind_params(saved, query_params(name, sample))
            start = time.perf_counter()
            rows = len(list(query_store(store, saved.text, bindings)))
            times[name] = (time.perf_counter() - start, rows)
            print(f"oxigraph {name}: {times[name][0]:.3f} s", file=sys.stderr, flush=True)
        times["peak RSS MB"] = (peak_rss_mb(), 0)
        return times
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _rdflib_child(conn, nq: str, sample: dict[str, str], skip: list[str]) -> None:
    from rdflib import Dataset
    start = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(nq, format="nquads")
    conn.send(("load", time.perf_counter() - start, len(dataset)))
    for name, saved in saved_queries(QUERIES_DIR).items():
        if name in skip:
            continue
        bindings = bind_params(saved, query_params(name, sample))
        start = time.perf_counter()
        result = run_sparql(dataset, saved.text, bindings)
        conn.send((name, time.perf_counter() - start, len(result.rows)))
    conn.send(("peak RSS MB", peak_rss_mb(), 0))
    conn.send(("done", 0, 0))


def rdflib_run(nq: Path, sample: dict[str, str], timeout: float) -> dict[str, tuple[float, int]]:
    ctx = mp.get_context("fork")
    times: dict[str, tuple[float, int]] = {}
    skip: list[str] = []
    names = list(saved_queries(QUERIES_DIR))
    while True:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_rdflib_child, args=(child, str(nq), sample, skip))
        proc.start()
        current = "load"
        finished = False
        while True:
            if not parent.poll(timeout if current != "load" else 3600):
                print(f"rdflib {current}: stopped after {timeout:g} s", file=sys.stderr, flush=True)
                times[current] = (float("inf"), 0)
                skip.append(current)
                proc.kill()
                break
            name, seconds, rows = parent.recv()
            if name == "done":
                finished = True
                break
            if name == "load" and "load" in times:
                pass  # reloaded after a timeout: keep the first load time
            else:
                times[name] = (seconds, rows)
                print(f"rdflib {name}: {seconds:.3f}", file=sys.stderr, flush=True)
            skip.append(name) if name in names else None
            remaining = [n for n in names if n not in skip]
            current = remaining[0] if remaining else "peak RSS MB"
        proc.join()
        if finished or all(n in skip for n in names):
            return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rdflib-timeout", type=float, default=300.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-rdf-"))
    try:
        nq = work / "synthetic.nq"
        start = time.perf_counter()
        docs, triples, sample = write_nquads(nq, args.triples, args.seed)
        generated = time.perf_counter() - start
        print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}")
        print(f"data: {docs} documents, {triples:,} triples in named graphs "
              f"({nq.stat().st_size / 1e6:.0f} MB N-Quads), generated through kg.graph/kg.rdf in {generated:.1f} s")
        ox_times = oxigraph_run(nq, sample)
        rdf_times = rdflib_run(nq, sample, args.rdflib_timeout)
        print()
        print("| step | Oxigraph (pyoxigraph) | rows | rdflib memory store | rows |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name in ["load", "union default graph", *saved_queries(QUERIES_DIR), "peak RSS MB"]:
            ox_s, ox_rows = ox_times.get(name, (None, 0))
            rd_s, rd_rows = rdf_times.get(name, (None, 0))

            def cell(value, unit=" s"):
                if value is None:
                    return "–"
                if value == float("inf"):
                    return f"> {args.rdflib_timeout:g} s (stopped)"
                return f"{value:.0f} MB" if name == "peak RSS MB" else f"{value:.3f}{unit}"
            print(f"| {name} | {cell(ox_s)} | {ox_rows or ''} | {cell(rd_s)} | {rd_rows or ''} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

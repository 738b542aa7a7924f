"""The ``kg`` command: argument parsing only; the work is in the library.

Exit status: 0 all went well; 1 some input was skipped, a KGError, or a full disk (one
line; nothing written); 2 usage error; 130 interrupted (Ctrl-C), 143 terminated
(SIGTERM), in both cases with the previous exports and store left as they were unless
the build had already been written (it then says so).
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections import Counter
from pathlib import Path

from .errors import ConfigError, KGError, printable

EXIT_OK, EXIT_SKIPPED, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # Ctrl-C, as shells report it
EXIT_TERMINATED = 143  # SIGTERM (kill PID), as shells report it

DISK_MERGE_FROM = 10_000
"""``kg build --merge auto`` merges on disk (``kg.diskgraph``) from this many documents
on: docs/input-and-speed.md, *Merging on disk*, has the measurements."""


def _progress_bar(total: int, desc: str):
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit="doc", disable=None, file=sys.stderr)


def cmd_build(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from .export import parse_formats, prepare_exports
    from .formats import ReadOptions
    from .graph import build_graph
    from .locks import Terminated, build_lock, deferred_signals, sigterm_as_interrupt
    from .pipeline import BuildResult, count_files, stream
    from .store import StoreUpdate, add_links, documents, storing

    if not args.output and not args.store:
        print("kg build: error: give -o/--output, --store or both", file=sys.stderr)
        return EXIT_USAGE
    try:
        formats = parse_formats(args.formats) if args.formats else None
        if args.output:
            _check_output_folder(args.output, "-o/--output")
    except ConfigError as err:  # before any extraction: a wrong option is a usage error
        print(f"kg build: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    out = Path(args.output) if args.output else None
    result = BuildResult()
    options = ReadOptions(text_field=args.text_field, max_bytes=args.max_bytes)
    written: dict[str, Path] = {}
    stored = 0
    committed = False  # the exports and the store are in place
    try:
        with sigterm_as_interrupt(), ExitStack() as stack:
            # first: a wrong address fails before any lock or copy; closed once extraction is
            # done, so that its workers do not sit on their memory while the exports are written
            extraction = stack.enter_context(ExitStack())
            client = _open_cluster(extraction, args)
            if isinstance(client, int):
                return client
            if out is not None:
                # the output folder first, then the store: every build takes them in this order
                stack.enter_context(build_lock(out, "output"))
            # the store is updated all at once at the end, or not at all (StoreUpdate)
            update = stack.enter_context(StoreUpdate(args.store)) if args.store else None
            total = count_files(args.paths)
            with _progress_bar(total, "extracting") as bar:
                # the graph grows as documents come in: no list of all results is kept
                docs = stream(args.paths, jobs=args.jobs, options=options, progress=bar.update, into=result,
                              cluster=client)
                docs = storing(update.store, docs) if update is not None else docs
                if args.merge == "disk" or (args.merge == "auto" and total >= DISK_MERGE_FROM):
                    from .diskgraph import build_disk_graph

                    # deleted when the build ends, after the exports are written from it
                    graph = stack.enter_context(build_disk_graph(docs))
                else:
                    graph = build_graph(docs)
            counts = _graph_counts(graph)
            extraction.close()
            if not result.built:
                if update is not None:
                    update.discard()
            else:
                # everything that takes time or space first; then the commit, which only renames
                if update is not None:
                    add_links(update.store, graph)
                    stored = len(documents(update.store))
                    update.flush()
                pending = prepare_exports(graph, out, formats) if out is not None else None
                with deferred_signals():  # Ctrl-C and SIGTERM act after the commit, not inside it
                    try:
                        written = pending.commit() if pending is not None else {}  # 1. the exports
                        if update is not None:
                            update.commit()  # 2. the store
                    except BaseException:
                        if pending is not None and not written:
                            pending.discard()
                        raise
                    committed = True
    except KeyboardInterrupt as stop:
        status = EXIT_TERMINATED if isinstance(stop, Terminated) else EXIT_INTERRUPTED
        why = "terminated" if isinstance(stop, Terminated) else "interrupted"
        if not committed:
            print(f"\n{why}: nothing written; the previous exports and store are as they were", file=sys.stderr)
            return status
        _report_build(args, result, counts, written, stored)
        print(f"{why} after the build was written: what is listed above is in place", file=sys.stderr)
        return status
    except OSError as err:  # a full disk, a folder we may not write
        where = f" ({err.filename})" if err.filename else ""
        wrote = ", ".join(str(p) for p in written.values())
        what = (f"the exports were written ({wrote}) but the store was not updated" if written and not committed
                else "nothing written; the previous exports and store are as they were")
        print(f"error: {err.strerror or err}{where}: {what}", file=sys.stderr)
        return EXIT_SKIPPED
    for path, error in result.errors:
        print(f"skipped: {printable(error)}", file=sys.stderr)
    if not result.built:
        print("error: no document could be read; nothing written", file=sys.stderr)
        return EXIT_SKIPPED
    _report_build(args, result, counts, written, stored)
    return EXIT_SKIPPED if result.errors else EXIT_OK


def _open_cluster(stack, args: argparse.Namespace):
    """The Dask client of ``--cluster`` (closed with ``stack``), None without it, or the
    exit status of a usage error (an address that is not one) after saying so."""
    if not getattr(args, "cluster", None):
        return None
    from .cluster import connect

    try:
        return stack.enter_context(connect(args.cluster, args.jobs))
    except ConfigError as err:
        print(f"kg {args.command}: error: {err}", file=sys.stderr)
        return EXIT_USAGE


def _graph_counts(graph) -> tuple[dict, dict]:
    """Entities per type and relations per kind, for the summary."""
    if hasattr(graph, "counts"):  # kg.diskgraph: counted by the database
        types, relations = graph.counts()
        return ({k: v for k, v in types.items() if k != "Document"},
                {k: v for k, v in relations.items() if k != "mentioned_in"})
    return (Counter(d["type"] for _, d in graph.nodes(data=True) if d.get("type") != "Document"),
            Counter(d.get("relation") for _, _, d in graph.edges(data=True) if d.get("relation") != "mentioned_in"))


def _report_build(args: argparse.Namespace, result, counts: tuple[dict, dict], written: dict, stored: int) -> None:
    ents, rels = counts
    names = [printable(Path(p).name) for p, _ in result.errors]
    skipped = f" ({', '.join(names[:10])}{f', … {len(names) - 10} more' if len(names) > 10 else ''})" if names else ""
    print(f"documents: {result.built} built, {len(result.errors)} skipped{skipped}")
    print("entities:  " + ", ".join(f"{k} {v}" for k, v in sorted(ents.items())))
    print("relations: " + ", ".join(f"{k} {v}" for k, v in sorted(rels.items())))
    print(f"time:      {result.seconds:.1f}s ({result.characters / max(result.seconds, 1e-9):,.0f} characters/s)")
    if written:
        print("written:   " + ", ".join(str(p) for p in written.values()))
    if args.store:
        print(f"store:     {args.store} ({stored} documents)")


def _check_output_folder(path: str, option: str) -> None:
    """ConfigError unless ``path`` is a folder, or can be made one: it must not be a file,
    and its nearest existing parent must be a folder we may write in."""
    folder = Path(path)
    if folder.exists():
        if not folder.is_dir():
            raise ConfigError(f"{option} {printable(path)}: exists and is not a folder; give a folder for the "
                              "exports")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ConfigError(f"{option} {printable(path)}: the folder is not writable")
        return
    parent = folder.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        raise ConfigError(f"{option} {printable(path)}: {printable(str(parent))} is a file, not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ConfigError(f"{option} {printable(path)}: cannot create it, {printable(str(parent))} is not writable")


def _add_reading_options(p: argparse.ArgumentParser) -> None:
    """The options of the commands that read documents and extract (build, extract)."""
    p.add_argument("--jobs", type=int, default=None,
                   help=f"worker processes for extraction (default: all {os.cpu_count() or 1} cores); with "
                        "--cluster local, the LocalCluster's workers")
    p.add_argument("--cluster", metavar="ADDRESS",
                   help="extract on a Dask cluster: a scheduler address (tcp://HOST:8786), whose workers read "
                        "the files themselves (give paths every worker sees, or URLs: s3://…, file://…), or "
                        "'local' for a LocalCluster of --jobs processes here (needs the cluster extra: "
                        "pip install 'kg-gov[cluster]'; docs/input-and-speed.md)")
    p.add_argument("--text-field", default="text", metavar="FIELD",
                   help="in .jsonl corpora, the field that holds each document's text (default: text)")
    p.add_argument("--max-bytes", type=_byte_size, default="100M", metavar="SIZE",
                   help="skip files larger than this, and .jsonl lines, .docx files unpacking to more, PDFs with a "
                        "stream unpacking to more (bytes, or 50M, 1G; default 100M)")


def _byte_size(value: str) -> int:
    """``--max-bytes``: a number of bytes, or with a K/M/G suffix (100M)."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = value.strip().upper().removesuffix("B")
    try:
        n = int(float(text[:-1]) * units[text[-1]]) if text and text[-1] in units else int(text)
    except (ValueError, OverflowError):  # 'abc', 'nanM', 'infK', '1e400K'
        raise argparse.ArgumentTypeError(f"{value!r} is not a size (bytes, or with K, M or G: 100M)") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1 byte")
    return n


def cmd_extract(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from .evaluate import result_to_gold_shape
    from .formats import ReadOptions
    from .pipeline import BuildResult, count_files, stream

    try:
        _check_output_folder(args.output, "-o/--output")
    except ConfigError as err:
        print(f"kg extract: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    out_dir = Path(args.output)
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.explain:
        os.environ["KG_EXPLAIN"] = "1"  # read by kg.pipeline, in worker processes too
    result = BuildResult()
    options = ReadOptions(text_field=args.text_field, max_bytes=args.max_bytes)
    written: set[str] = set()
    try:
        with ExitStack() as stack:
            client = _open_cluster(stack, args)
            if isinstance(client, int):
                return client
            bar = stack.enter_context(_progress_bar(count_files(args.files), "extracting"))
            for doc in stream(args.files, jobs=args.jobs, options=options, progress=bar.update, into=result,
                              cluster=client):
                target = out_dir / f"{_file_name(doc.doc_id, written)}.json"
                tmp = target.with_name(target.name + ".tmp")
                tmp.write_text(json.dumps(result_to_gold_shape(doc), ensure_ascii=False, indent=1),
                               encoding="utf-8")
                tmp.replace(target)
                bar.write(str(target), file=sys.stdout)
    except KeyboardInterrupt:
        print("\ninterrupted: the files listed above were written", file=sys.stderr)
        return EXIT_INTERRUPTED
    for _, error in result.errors:
        print(f"skipped: {printable(error)}", file=sys.stderr)
    print(f"documents: {result.built} written, {len(result.errors)} skipped", file=sys.stderr)
    return EXIT_SKIPPED if result.errors or not result.built else EXIT_OK


def _file_name(doc_id: str, taken: set[str]) -> str:
    """A file name for a document id (ids of .jsonl lines may hold any character),
    unique among the names already ``taken``."""
    name = "".join("_" if ch in '/\\:*?"<>|' or ord(ch) < 32 else ch for ch in doc_id).strip(". ") or "document"
    name = name[:200]
    unique, n = name, 1
    while unique in taken:
        n += 1
        unique = f"{name}_{n}"
    taken.add(unique)
    return unique


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import (Scores, format_scores, jieba_baseline, load_gold, result_to_gold_shape,
                           score_document)
    from .extract import make_nlp
    from .labels import ENTITY_TYPES, RELATION_TYPES
    from .pipeline import process_path
    from .read import read_doc

    if args.cv:
        return _eval_cv(args)
    gold_dir, docs_dir = Path(args.gold), Path(args.docs)
    gold_files = sorted(gold_dir.glob("*.json"))
    if not gold_files:
        raise KGError(f"{gold_dir}: no gold files (*.json) found")
    nlp = make_nlp()
    ents, rels, titles, base = Scores(), Scores(), Scores(), Scores()
    rows = []
    for gf in gold_files:
        gold = load_gold(gf)
        doc_path = docs_dir / gold["doc"]
        if not doc_path.exists():
            print(f"skipped: {doc_path}: document of gold file {gf.name} not found", file=sys.stderr)
            continue
        pred = result_to_gold_shape(process_path(doc_path, nlp))
        e, r, t = score_document(pred, gold, args.min_confidence)
        b, _, _ = score_document(jieba_baseline(read_doc(doc_path).text), gold)
        ents.add(e), rels.add(r), titles.add(t), base.add(b)
        rows.append((gold["doc"], e.prf("overall")[2], r.prf("overall")[2], pred["jurisdiction"], gold.get("jurisdiction")))
    print(f"{'document':<36}{'ent F1':>8}{'rel F1':>8}  home (gold)")
    for doc, ef, rf, home, ghome in rows:
        print(f"{doc:<36}{ef:8.3f}{rf:8.3f}  {home} ({ghome})")
    print()
    print("\n".join(format_scores("entities", ents, ENTITY_TYPES)))
    print("\n".join(format_scores("relations", rels, RELATION_TYPES)))
    tp, n = titles.tp["title"], titles.gold["title"]
    print(f"holds_position titles right: {tp}/{n}")
    print("\n".join(format_scores("baseline jieba entities", base, ENTITY_TYPES)))
    p, r, f = ents.prf("overall")
    rp, rr, rf = rels.prf("overall")
    print(f"overall: entity P {p:.3f} R {r:.3f} F1 {f:.3f}; relation P {rp:.3f} R {rr:.3f} F1 {rf:.3f}; "
          f"jieba baseline entity F1 {base.prf('overall')[2]:.3f}")
    return EXIT_OK


def _prepare_annotated(args: argparse.Namespace, nlp):
    from .learn.crossval import annotated_pairs, load_extra, prepare

    unknown = set(args.models.split(",")) - {"spans", "relations"}
    if unknown:
        raise ConfigError(f"--models: unknown {', '.join(sorted(unknown))}; use spans, relations or both")

    docs = prepare(annotated_pairs(Path(args.gold), Path(args.docs)), nlp,
                   progress=lambda xs: _progress(xs, "features (gold)"))
    extra = []
    for spec in args.extra:
        extra += prepare(load_extra(spec), nlp, progress=lambda xs: _progress(xs, "features (extra)"), domain="extra")
    return docs, extra


def _progress(items, desc: str):
    bar = _progress_bar(len(items), desc)
    for item in items:
        yield item
        if bar is not None:
            bar.update(1)
    if bar is not None:
        bar.close()


def _eval_cv(args: argparse.Namespace) -> int:
    """``kg eval --cv K``: the pipeline with its learned parts fitted on the other folds."""
    from .evaluate import format_scores
    from .extract import make_nlp
    from .labels import ENTITY_TYPES, RELATION_TYPES
    from .learn.crossval import LearnedModels, cross_validate, score, train

    if args.cv < 2:
        raise ConfigError("--cv needs at least 2 folds")
    nlp = make_nlp(use_learned=False)
    docs, extra = _prepare_annotated(args, nlp)
    if len(docs) < args.cv:
        raise ConfigError(f"--cv {args.cv}: only {len(docs)} gold documents")
    report = cross_validate(docs, extra, nlp, args.cv, args.models)
    for i, (ids, ents, rels) in enumerate(report.folds, 1):
        print(f"fold {i}: entity F1 {ents.prf('overall')[2]:.3f}, relation F1 {rels.prf('overall')[2]:.3f}  "
              f"({', '.join(ids)})")
    print()
    print("\n".join(format_scores("entities (cross-validated)", report.total_ents, ENTITY_TYPES)))
    print("\n".join(format_scores("relations (cross-validated)", report.total_rels, RELATION_TYPES)))
    fe, fr, _ = score(docs, nlp, train(docs + extra, args.models))
    be, br, base_doc = score(docs, nlp, LearnedModels())
    print(f"fitted on all (scored on its own training documents): entity F1 {fe.prf('overall')[2]:.3f}, "
          f"relation F1 {fr.prf('overall')[2]:.3f}")
    print(f"without learned models (the default pipeline): entity F1 {be.prf('overall')[2]:.3f}, "
          f"relation F1 {br.prf('overall')[2]:.3f}")
    if args.check:
        names = [d.doc_id for d in docs if any(c and c in d.doc_id for c in args.check.split(","))]
        for label, per_doc in (("cross-validated", report.per_doc), ("without learned models", base_doc)):
            ef = sum(per_doc[n][0] for n in names) / max(len(names), 1)
            rf = sum(per_doc[n][1] for n in names) / max(len(names), 1)
            print(f"check set ({len(names)} documents), {label}: mean entity F1 {ef:.3f}, mean relation F1 {rf:.3f}")
    p, r, f = report.total_ents.prf("overall")
    rp, rr, rf = report.total_rels.prf("overall")
    print(f"cross-validated ({args.cv} folds, {len(docs)} documents, {len(extra)} extra training documents): "
          f"entity P {p:.3f} R {r:.3f} F1 {f:.3f}; relation P {rp:.3f} R {rr:.3f} F1 {rf:.3f}")
    return EXIT_OK


def cmd_train(args: argparse.Namespace) -> int:
    """``kg train``: fit the span classifier on gold and extra annotations."""
    from .extract import make_nlp
    from .learn.crossval import train, write_models

    nlp = make_nlp(use_learned=False)
    docs, extra = _prepare_annotated(args, nlp)
    models = train(docs + extra, args.models)
    out = Path(args.output)
    write_models(models, out, {"models": args.models, "gold": [d.doc_id for d in docs],
                               "extra": [d.doc_id for d in extra],
                               "characters": sum(len(d.text) for d in docs + extra)})
    print(f"written: {out} ({len(docs)} gold and {len(extra)} extra documents)")
    return EXIT_OK


def cmd_query(args: argparse.Namespace) -> int:
    from .query import WRITERS, bind_params, find_saved, parse_param, run_sparql, saved_queries

    if args.list_saved:
        for name, saved in saved_queries().items():
            params = " ".join(f"--param {p.name}=…" for p in saved.params)
            print(f"{name:<24}{saved.comment}" + (f"  [{params}]" if params else ""))
        return EXIT_OK
    if args.endpoint:
        # no graph with --endpoint: the first argument is the query
        if args.graph and args.query:
            raise KGError("with --endpoint give no graph file or store folder, only the query")
        args.query, args.graph = args.query or args.graph, None
        try:
            from .remote import check_url

            check_url(args.endpoint, "--endpoint")
            if args.default_graph:
                _check_iri(args.default_graph, "--default-graph")
            connection = _connection(args)
        except ConfigError as err:
            print(f"kg query: error: {err}", file=sys.stderr)
            return EXIT_USAGE
    elif not args.graph:
        raise KGError("no graph given: pass a graph file (graph.trig), a store folder (kg build --store) "
                      "or --endpoint URL")
    elif args.default_graph:
        raise KGError("--default-graph goes with --endpoint URL")
    bindings = {}
    if args.saved:
        if args.file or args.query:
            raise KGError("give either --saved NAME or a query (text or --file), not both")
        saved = find_saved(args.saved)
        query = saved.text
        bindings = bind_params(saved, dict(parse_param(p) for p in args.param))
    elif args.param:
        raise KGError("--param goes with --saved NAME")
    elif args.file:
        query = _query_file(Path(args.file))
    elif args.query:
        query = args.query
    else:
        raise KGError("no query given: pass it as an argument, with --file q.rq or --saved NAME")
    if args.graph and Path(args.graph).is_file():
        from .export import recover_exports

        recover_exports(Path(args.graph).parent)  # a build killed while moving its exports in
    try:
        if args.endpoint:
            from .remote import remote_query

            with connection:
                result = remote_query(connection, args.endpoint, query, bindings, default_graph=args.default_graph)
                WRITERS[args.format](result, sys.stdout)
        else:
            result = run_sparql(args.graph, query, bindings, stream=args.format != "table")
            WRITERS[args.format](result, sys.stdout)
        sys.stdout.flush()
    except KeyboardInterrupt:
        # the store's reading thread may be deep in a query that cannot be stopped from
        # Python: end the process now rather than wait for it at interpreter exit
        print("\ninterrupted: the answer is missing or incomplete", file=sys.stderr, flush=True)
        try:
            sys.stdout.flush()
        except (OSError, ValueError):
            pass
        os._exit(EXIT_INTERRUPTED)
    except BrokenPipeError:  # kg query … | head
        sys.stderr.close()
    return EXIT_OK


def _query_file(path: Path) -> str:
    """The text of a query file, or a one-line error that says what is wrong with it."""
    if not path.exists():
        raise KGError(f"{path}: no such query file")
    if path.is_dir():
        raise KGError(f"{path}: a folder, not a query file (give a .rq file)")
    data = path.read_bytes()
    if b"\0" in data:
        raise KGError(f"{path}: a binary file, not a SPARQL query")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise KGError(f"{path}: not UTF-8 text ({err.reason} at byte {err.start})") from None


def cmd_push(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from .push import GraphStore, PushReport, open_source, prune, push
    from .remote import RemoteError, check_url, graph_store_url

    try:
        if not args.endpoint and not args.graph_store:
            raise ConfigError("give --endpoint URL (the graph store's URL is found from it) or --graph-store URL")
        if args.prune and not args.endpoint:
            raise ConfigError("--prune lists the server's graphs with a query: give --endpoint URL too")
        if args.endpoint:
            check_url(args.endpoint, "--endpoint")
        target = check_url(args.graph_store, "--graph-store") if args.graph_store else graph_store_url(args.endpoint)
        if args.union_graph not in ("default", "none"):
            _check_iri(args.union_graph, "--union-graph")
        connection = _connection(args)
    except ConfigError as err:
        print(f"kg push: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    report = PushReport()
    with connection, open_source(args.source) as store:
        from .push import named_graphs

        total = len(named_graphs(store))
        graphs = GraphStore(connection, target)
        try:
            with ExitStack() as bars:
                bar = bars.enter_context(_progress_bar(total, "pushing"))
                bar.unit = "graph"
                union_bar = []

                def union_progress(sent: int, size: int) -> None:
                    if not union_bar:
                        from tqdm import tqdm

                        union_bar.append(bars.enter_context(tqdm(total=size, desc="union", unit="B", unit_scale=True,
                                                                 disable=None, file=sys.stderr)))
                    union_bar[0].update(sent - union_bar[0].n)

                push(store, graphs, union=args.union_graph, progress=bar.update, union_progress=union_progress,
                     report=report)
            if args.prune:
                prune(store, graphs, args.endpoint, report, union=args.union_graph)
        except (RemoteError, KeyboardInterrupt) as err:
            done = (f"{report.graphs} of {total} named graphs pushed" if report.graphs < total
                    else f"all {total} named graphs pushed, the union not" if report.union is None
                    else "all graphs pushed, pruning stopped")
            if isinstance(err, KeyboardInterrupt):
                print(f"\ninterrupted: {done}; pushing again replaces them", file=sys.stderr)
                return EXIT_INTERRUPTED
            raise RemoteError(f"{err} ({done}; pushing again replaces them)") from None
    where = {"default": "the default graph", "none": ""}.get(args.union_graph, f"graph <{args.union_graph}>")
    union = f" and their union ({report.union:,} triples) into {where}" if report.union is not None else ""
    print(f"pushed:    {report.graphs} named graphs ({report.triples:,} triples){union} to {target}")
    if report.pruned:
        print(f"pruned:    {report.pruned} graphs the source no longer holds")
    print(f"time:      {report.seconds:.1f}s ({report.total / max(report.seconds, 1e-9):,.0f} triples/s)")
    return EXIT_OK


def _check_iri(value: str, option: str) -> str:
    import re

    if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
        raise ConfigError(f"{option} {printable(value)!r}: give default, none, or an absolute IRI")
    return value


def _connection(args: argparse.Namespace):
    """The HTTP connection of --endpoint/--graph-store, with the credentials of the
    options or, for those not given, of $KG_SPARQL_USER, $KG_SPARQL_PASSWORD and
    $KG_SPARQL_TOKEN (a password without a user is not used: the server gets no login)."""
    from .remote import Connection, Credentials

    # an option wins over the environment, and the environment's other kind of login
    user = args.user or (None if args.token else os.environ.get("KG_SPARQL_USER") or None)
    token = args.token or (None if user else os.environ.get("KG_SPARQL_TOKEN") or None)
    password = args.password or os.environ.get("KG_SPARQL_PASSWORD")
    if args.password and user is None:
        raise ConfigError("--password without a user: give --user NAME (or $KG_SPARQL_USER)")
    if user is not None and token:
        raise ConfigError("give either --user (HTTP basic or digest) or --token (bearer), not both")
    if args.digest and user is None:
        raise ConfigError("--digest goes with --user NAME")
    return Connection(Credentials(user=user, password=password, token=token, digest=args.digest),
                      timeout=args.timeout)


def _add_remote_options(p: argparse.ArgumentParser) -> None:
    """How to log in to a SPARQL server, and how long to wait for it (push, query)."""
    p.add_argument("--user", metavar="NAME", help="log in with HTTP basic authentication as NAME (default: "
                   "$KG_SPARQL_USER); the password comes from $KG_SPARQL_PASSWORD or --password")
    p.add_argument("--password", metavar="SECRET",
                   help="the password of --user; other users of the machine can see a command line, so "
                        "prefer $KG_SPARQL_PASSWORD")
    p.add_argument("--token", metavar="TOKEN", help="send Authorization: Bearer TOKEN instead (default: "
                   "$KG_SPARQL_TOKEN)")
    p.add_argument("--digest", action="store_true",
                   help="HTTP digest instead of basic authentication (Virtuoso's /sparql-graph-crud-auth)")
    p.add_argument("--timeout", type=_positive(float, "--timeout", 0.1), default=60.0, metavar="SECONDS",
                   help="seconds to wait for the server to answer before giving up (default 60)")


def cmd_remove(args: argparse.Namespace) -> int:
    from .locks import build_lock
    from .store import documents, open_store, remove_document

    with build_lock(Path(args.store), "store"):  # not while a build copies or replaces the store
        store = open_store(args.store)
        for doc_id in args.doc_ids:
            count = remove_document(store, doc_id)
            print(f"removed:   {doc_id} ({count} triples)")
        print(f"store:     {args.store} ({len(documents(store))} documents)")
        store.flush()
        del store
    return EXIT_OK


def _listed(values: list[str]) -> list[str]:
    """Repeatable, comma-separated option values as one list (--cors a,b --cors c)."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def cmd_serve(args: argparse.Namespace) -> int:
    from .endpoint import serve

    return serve(args.store, host=args.host, port=args.port, timeout=args.timeout,
                 max_rows=args.max_rows, workers=args.workers,
                 allow_federation=tuple(_listed(args.allow_federation)),
                 allow_hosts=tuple(_listed(args.allow_host)), cors=tuple(_listed(args.cors)), wait=args.wait,
                 max_bytes=args.max_bytes << 20, max_memory_mb=args.max_memory,
                 ready=lambda url: print(f"SPARQL endpoint at {url}sparql (query page at {url}); Ctrl-C stops",
                                         file=sys.stderr, flush=True))


def cmd_view(args: argparse.Namespace) -> int:
    from .viewer import write_viewer

    from .export import recover_exports

    recover_exports(Path(args.exports))  # finish the exports of a build killed while moving them in
    path = write_viewer(Path(args.exports), Path(args.output))
    print(f"written:   {path}")
    return EXIT_OK


def cmd_ner(args: argparse.Namespace) -> int:
    from .ner import load_tagger
    from .ner.jsonl import tag_jsonl

    source = Path(args.input)
    if not source.is_file():
        raise KGError(f"{source}: no such file (expected JSON lines with a \"text\" field)")
    target = Path(args.output)
    tmp = target.with_name(target.name + ".tmp")
    # the command that tags text alone uses the accurate model unless told otherwise; builds
    # default to the fast one, whose speed whole-corpus builds need
    n = tag_jsonl(source, tmp, load_tagger(model=args.ner_model or "accurate"))
    tmp.replace(target)
    print(f"tagged {n} lines -> {target}", file=sys.stderr)
    return EXIT_OK


def _version() -> str:
    """The installed distribution's version (pyproject.toml), or 'unknown' in a bare checkout."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kg-gov")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _positive(kind: type, what: str, minimum: float):
    """An argparse type: a number of ``kind`` at least ``minimum`` (a clear one-line error
    at start, instead of a server that answers every query 503 or a traceback)."""

    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, not {text!r}") from None
        if value < minimum or value != value:  # NaN too
            raise argparse.ArgumentTypeError(f"{what} must be at least {minimum}, not {text}")
        return value

    return parse


def _port(text: str) -> int:
    value = _positive(int, "the port", 0)(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"the port must be between 0 and 65535, not {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from .ner import MODELS  # the shipped NER models' names (imports numpy: ~70 ms)

    parser = argparse.ArgumentParser(prog="kg", description="Build a knowledge graph of people, agencies, places, "
                                     "initiatives and events from Chinese government documents.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    parser.add_argument("--config", metavar="FILE",
                        help="options from a TOML file (default: $KG_CONFIG, else ./kg.toml if present; "
                             "see kg/config.py); the command line wins")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    parser.add_argument("--no-ner", action="store_true",
                        help="rules only, without the statistical NER (faster, fewer names found)")
    parser.add_argument("--no-learned", action="store_true",
                        help="without the models learned from annotated documents, even if --learned-model is given")
    parser.add_argument("--learned-model", metavar="DIR",
                        help="use the models kg train wrote into DIR (span and relation classifiers); "
                             "none ships by default")
    parser.add_argument("--ner-model", choices=tuple(MODELS),
                        help="statistical NER model: fast, or accurate (also reads Baidu LAC's character "
                             "states: fewer errors, several times slower; docs/ner.md). Default: fast for "
                             "build, extract and eval, accurate for ner")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="build the graph from documents and write all exports")
    p.add_argument("paths", nargs="+", help="files or folders of documents: .txt .md .docx .pdf .html .htm, "
                   "and .jsonl corpora (one document per line)")
    p.add_argument("-o", "--output", help="folder for the exports (graph.ttl, .trig, .graphml, .gexf, .json)")
    p.add_argument("--store", metavar="DIR", help="also add the documents to this RDF store (Oxigraph); "
                   "a document built again replaces its graph there")
    p.add_argument("--formats", metavar="LIST", help="exports to write, comma-separated, from ttl, trig, graphml, "
                   "gexf, json, nt, nq, jsonld, csv (default: ttl,trig,graphml,gexf,json)")
    p.add_argument("--merge", choices=("auto", "memory", "disk"), default="auto",
                   help="where the documents are merged into one graph: memory (a networkx graph; about 64 kB per "
                        "document), disk (an SQLite database in $TMPDIR, deleted afterwards; memory flat in the "
                        "corpus size), or auto (default): disk from %s documents on" % f"{DISK_MERGE_FROM:,}")
    _add_reading_options(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("extract", help="write each document's entities and relations as JSON (gold-file shape)")
    p.add_argument("files", nargs="+", help="files or folders of documents, as for build")
    p.add_argument("-o", "--output", required=True, help="folder for <document id>.json (the file name, or "
                   "the id of a .jsonl line)")
    p.add_argument("--explain", action="store_true",
                   help="also list, under \"dropped\", each span the statistical NER proposed that did not reach "
                        "the graph, with the step that left it out (ner-filter, merge, resolve) and why")
    _add_reading_options(p)
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("eval", help="precision/recall/F1 against gold files (guidelines, section 5)")
    p.add_argument("--gold", required=True, help="folder of gold *.json files")
    p.add_argument("--docs", required=True, help="folder of the documents the gold files name")
    p.add_argument("--min-confidence", type=float, default=0.0, help="ignore output below this confidence")
    p.add_argument("--cv", type=int, default=0, metavar="K",
                   help="document-level cross-validation in K folds: the learned classifier is fitted on the other "
                        "folds and each document scored by a model that never saw it")
    p.add_argument("--extra", action="append", default=[], metavar="ANN_DIR:TEXT_DIR",
                   help="more annotated documents for training only (never scored), e.g. "
                        "training/gold/annotations/B:training/gold/texts (repeatable)")
    p.add_argument("--models", default="spans,relations",
                   help="which learned models --cv fits: spans, relations or both (default: both)")
    p.add_argument("--check", metavar="NAMES",
                   help="with --cv: also print the mean F1 of the documents whose names contain one of these "
                        "comma-separated strings (a check set you only score)")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("train", help="fit the span classifier on annotated documents (the shipped model: "
                       "training/gold/README.md)")
    p.add_argument("--gold", required=True, help="folder of gold *.json files")
    p.add_argument("--docs", required=True, help="folder of the documents the gold files name")
    p.add_argument("--extra", action="append", default=[], metavar="ANN_DIR:TEXT_DIR",
                   help="more annotated documents (repeatable)")
    p.add_argument("--models", default="spans,relations", help="which models: spans, relations or both (default)")
    p.add_argument("-o", "--output", required=True, help="folder to write the models into (spans.crfsuite, "
                   "relations.crfsuite, and training.json: what they were trained on)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("ner", help="span-level NER: JSON lines {\"text\"} in, {\"entities\": [{start, end, type}]} out")
    p.add_argument("input", help="JSON lines, one {\"text\": ...} per line")
    p.add_argument("-o", "--output", required=True, help="output JSON lines, same order as the input")
    p.set_defaults(func=cmd_ner)

    p = sub.add_parser("query", help="run a SPARQL query over an RDF file, a store folder or a SPARQL endpoint")
    p.add_argument("graph", nargs="?", help="graph.trig, .ttl, .nt, .nq, .jsonld, or a store folder (kg build --store)")
    p.add_argument("query", nargs="?", help="the SPARQL query text")
    p.add_argument("--file", help="read the query from this file")
    p.add_argument("--saved", metavar="NAME", help="run a saved query from queries/ (see --list-saved)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="a parameter of the saved query, e.g. person=韩立军 (repeatable)")
    p.add_argument("--list-saved", action="store_true", help="list the saved queries and what they answer")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--endpoint", metavar="URL",
                   help="run the query on this SPARQL endpoint instead of a graph file or store folder "
                        "(e.g. http://localhost:7878/query after kg push); the query is then the first argument")
    p.add_argument("--default-graph", metavar="IRI",
                   help="with --endpoint: the graph the query reads by default (default-graph-uri), e.g. the "
                        "graph kg push --union-graph IRI wrote")
    _add_remote_options(p)
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("push", help="load the documents' named graphs into a SPARQL server (Graph Store "
                       "Protocol; pushing again replaces them)")
    p.add_argument("source", metavar="STORE_OR_OUT",
                   help="a store folder (kg build --store), or an output folder (kg build -o) or its graph.trig "
                        "or graph.nq")
    p.add_argument("--endpoint", metavar="URL",
                   help="the server's SPARQL query endpoint; the graph store's URL is found from it "
                        "(Oxigraph, Fuseki, Virtuoso, GraphDB: kg/resources/graph_stores.toml)")
    p.add_argument("--graph-store", metavar="URL",
                   help="the server's Graph Store Protocol URL, e.g. http://localhost:7878/store (default: "
                        "found from --endpoint)")
    p.add_argument("--union-graph", default="default", metavar="TARGET",
                   help="where the union of the documents' graphs goes, which queries without GRAPH read: "
                        "default (the server's default graph, replaced), an IRI (a named graph; query with "
                        "--default-graph IRI), or none (servers whose default graph is the union already)")
    p.add_argument("--prune", action="store_true",
                   help="also delete the server's document and link graphs that the source no longer holds "
                        "(needs --endpoint)")
    _add_remote_options(p)
    p.set_defaults(func=cmd_push)

    p = sub.add_parser("remove", help="take documents out of an RDF store, with the entities only they mention")
    p.add_argument("doc_ids", nargs="+", metavar="DOC_ID", help="document id as kg build names it (file name)")
    p.add_argument("--store", required=True, metavar="DIR", help="the store folder")
    p.set_defaults(func=cmd_remove)

    p = sub.add_parser("serve", help="a read-only SPARQL endpoint over a store folder")
    p.add_argument("store", help="the store folder (kg build --store)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=_port, default=7878, help="port (default 7878; 0 picks a free one)")
    p.add_argument("--timeout", type=_positive(float, "--timeout", 0.1), default=30.0,
                   help="seconds a query may run (default 30)")
    p.add_argument("--max-rows", type=_positive(int, "--max-rows", 1), default=10000,
                   help="most result rows returned (default 10000)")
    p.add_argument("--workers", type=_positive(int, "--workers", 1), default=2,
                   help="queries run at the same time (default 2)")
    p.add_argument("--max-bytes", type=_positive(int, "--max-bytes", 1), default=64, metavar="MB",
                   help="an answer is cut once its terms pass this many MB (default 64)")
    p.add_argument("--max-memory", type=_positive(int, "--max-memory", 256), default=2048, metavar="MB",
                   help="address space of each query worker; a query that needs more stops with 503 "
                        "and the worker is replaced (default 2048)")
    p.add_argument("--wait", type=_positive(float, "--wait", 0.0), default=10.0,
                   help="seconds a query waits for a free worker before the answer is 503 with "
                        "Retry-After (default 10)")
    p.add_argument("--allow-federation", action="append", default=[], metavar="HOSTS",
                   help="hosts a query's SERVICE clause may call, comma-separated ('*': any); "
                        "by default SERVICE is refused and the server sends no requests")
    p.add_argument("--allow-host", action="append", default=[], metavar="NAMES",
                   help="more names clients may use in the Host header (e.g. the machine's DNS name "
                        "behind a proxy); others get 403, which stops DNS-rebinding pages")
    p.add_argument("--cors", action="append", default=[], metavar="ORIGINS",
                   help="web origins allowed to read answers from a browser, e.g. https://example.org "
                        "('*': any); by default no CORS headers are sent")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("view", help="one self-contained HTML page to explore the graph in a browser")
    p.add_argument("exports", help="the folder kg build -o wrote (reads its graph.json)")
    p.add_argument("-o", "--output", default="graph.html", help="the HTML file to write (default graph.html)")
    p.set_defaults(func=cmd_view)
    return parser


class _OneLineFormatter(logging.Formatter):
    """Log messages with names in them (file names are anything a file system allows)
    printed escaped: a name cannot start a line of its own or send terminal escapes."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = printable(record.message)
        return super().formatMessage(record)


#: Libraries whose warnings are about one input and name none: shown with -v only
#: (kg.formats.pdf logs pypdf's, naming the file).
_QUIET_LIBRARIES = ("pypdf", "trafilatura", "htmldate", "justext", "charset_normalizer")


def _configure_logging(verbose: bool) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLineFormatter("%(levelname)s %(message)s"))
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, handlers=[handler])
    for name in _QUIET_LIBRARIES:
        logging.getLogger(name).setLevel(logging.NOTSET if verbose else logging.ERROR)


def main(argv: list[str] | None = None) -> int:
    from .config import apply_config, find_config

    parser = build_parser()
    try:
        config, argv = find_config(sys.argv[1:] if argv is None else argv)
        if config is not None:
            apply_config(parser, config)
    except KGError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0) and EXIT_USAGE
    if args.command == "build" and args.jobs is not None and args.jobs < 1:
        parser.print_usage(sys.stderr)
        print("kg build: error: --jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    _configure_logging(args.verbose)
    if getattr(args, "no_ner", False):
        os.environ["KG_NER"] = "0"  # read by kg.extract.make_nlp, in worker processes too
    if getattr(args, "no_learned", False):
        os.environ["KG_LEARNED"] = "0"  # likewise
    if getattr(args, "learned_model", None):
        os.environ["KG_LEARNED_MODEL"] = args.learned_model  # likewise
    if args.ner_model:
        os.environ["KG_NER_MODEL"] = args.ner_model  # likewise
    try:
        if getattr(args, "learned_model", None) and not getattr(args, "no_learned", False):
            from .learn import load_models

            load_models(args.learned_model)  # a bad folder fails here, before any worker starts
        return args.func(args)
    except KGError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_SKIPPED
    except KeyboardInterrupt:  # before the work began, or in a command without its own handler
        print("\ninterrupted: nothing written", file=sys.stderr)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())

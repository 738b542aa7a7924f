"""The kg command in-process: exit codes, bad input, and one subprocess smoke test."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg.cli import main

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "jinzhong_daily_page.txt"


def test_usage_error_exits_2(capsys):
    assert main(["build"]) == 2
    assert "required" in capsys.readouterr().err


def test_bad_files_are_skipped_and_named(tmp_path, capsys):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "empty.txt").write_bytes(b"")
    (docs / "gbk.txt").write_bytes("晋中市总工会召开会议。".encode("gbk"))  # read: GBK is detected
    (docs / "junk.txt").write_bytes(bytes(range(256)) * 8)
    (docs / "good.txt").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(docs), "-o", str(out)]) == 1
    captured = capsys.readouterr()
    assert "empty.txt: empty file" in captured.err
    assert "junk.txt: binary file" in captured.err
    assert "2 built, 2 skipped (empty.txt, junk.txt)" in captured.out
    assert (out / "graph.ttl").exists()
    assert not list(out.glob("*.tmp*"))


def test_nothing_readable_writes_nothing(tmp_path, capsys):
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(tmp_path / "empty.txt"), "-o", str(out)]) == 1
    assert not (out / "graph.ttl").exists()
    assert "nothing written" in capsys.readouterr().err


def test_missing_path_is_reported(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nope"), str(EXAMPLE), "-o", str(tmp_path / "o")]) == 1
    assert "no such file or folder" in capsys.readouterr().err


def test_extract_writes_gold_shaped_json(tmp_path):
    assert main(["extract", str(EXAMPLE), "-o", str(tmp_path)]) == 0
    data = json.loads((tmp_path / f"{EXAMPLE.name}.json").read_text(encoding="utf-8"))
    assert data["doc"] == EXAMPLE.name and data["jurisdiction"] == "晋中市"
    people = {e["name"] for e in data["entities"] if e["type"] == "Person"}
    assert {"窦文华", "孟晓峰"} <= people
    rel = next(r for r in data["relations"] if r["type"] == "holds_position" and r["from"] == "窦文华")
    assert rel["to"] == "晋中市政府" and rel["title"] == "副市长" and "副市长" in rel["evidence"]
    raw = EXAMPLE.read_text(encoding="utf-8")
    mention = next(e for e in data["entities"] if e["name"] == "窦文华")["mentions"][0]
    assert raw[mention["start"]:mention["end"]] == "窦 文 华"


def test_eval_prints_scores(tmp_path, capsys):
    gold = tmp_path / "gold"
    gold.mkdir()
    (gold / f"{EXAMPLE.name}.json").write_text(json.dumps({
        "doc": EXAMPLE.name, "jurisdiction": "晋中市",
        "entities": [{"type": "Person", "name": "窦文华"}, {"type": "Agency", "name": "晋中市政府",
                                                          "accept": ["晋中市人民政府"]}],
        "relations": [{"type": "holds_position", "from": "窦文华", "to": "晋中市政府", "title": "副市长"}],
    }, ensure_ascii=False), encoding="utf-8")
    assert main(["eval", "--gold", str(gold), "--docs", str(EXAMPLE.parent)]) == 0
    out = capsys.readouterr().out
    assert "holds_position titles right: 1/1" in out
    line = next(l for l in out.splitlines() if l.strip().startswith("holds_position"))
    assert line.split()[3] == "1.000"  # recall of holds_position
    assert "baseline jieba" in out


def test_subprocess_smoke(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kg.cli", "--help"], capture_output=True, text=True)
    assert proc.returncode == 0
    for verb in ("build", "extract", "eval", "query"):
        assert verb in proc.stdout


@pytest.mark.parametrize("model", ["fast", "accurate"])
def test_ner_command_keeps_lines_aligned(tmp_path, model, monkeypatch):
    monkeypatch.delenv("KG_NER_MODEL", raising=False)  # main() sets it; restored afterwards
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "副市长梁艳萍在晋中市体育局出席会议。"}\n{"text": ""}\nnot json\n', encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["--ner-model", model, "ner", str(src), "-o", str(out)]) == 0
    lines = [json.loads(l) for l in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 3 and lines[1] == {"entities": []} and lines[2] == {"entities": []}
    text = "副市长梁艳萍在晋中市体育局出席会议。"
    found = {(text[e["start"]:e["end"]], e["type"]) for e in lines[0]["entities"]}
    assert ("梁艳萍", "Person") in found


def test_extract_reads_jsonl_corpora_with_a_text_field(tmp_path, capsys):
    corpus = tmp_path / "corpus.jsonl"
    lines = [{"id": "a/1", "content": "平遥县副县长王建军出席会议。", "year": 2023},
             {"id": "b", "content": "介休市市长李卫东调研。"}]
    corpus.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\nnot json\n",
                      encoding="utf-8")
    code = main(["extract", str(corpus), "--text-field", "content", "--jobs", "1", "-o", str(tmp_path / "out")])
    assert code == 1  # the bad line is skipped and reported
    assert "skipped" in capsys.readouterr().err
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert len(files) == 2 and all(f.endswith(".json") and "/" not in f for f in files)
    people = set()
    for f in (tmp_path / "out").iterdir():
        people |= {e["name"] for e in json.loads(f.read_text(encoding="utf-8"))["entities"] if e["type"] == "Person"}
    assert {"王建军", "李卫东"} <= people


def test_ner_command_defaults_to_the_accurate_model(tmp_path, monkeypatch):
    import kg.ner

    chosen = []
    real = kg.ner.load_tagger

    def recording(*args, **kwargs):
        chosen.append(kwargs.get("model"))
        return real(*args, **kwargs)

    monkeypatch.setattr(kg.ner, "load_tagger", recording)
    monkeypatch.delenv("KG_NER_MODEL", raising=False)
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "县长李强出席。"}\n', encoding="utf-8")
    assert main(["ner", str(src), "-o", str(tmp_path / "a.jsonl")]) == 0
    assert main(["--ner-model", "fast", "ner", str(src), "-o", str(tmp_path / "b.jsonl")]) == 0
    assert chosen == ["accurate", "fast"]


def test_extract_explain_lists_model_spans_left_out(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_EXPLAIN", "")  # main() sets it; monkeypatch restores the variable afterwards
    assert main(["extract", str(EXAMPLE), "-o", str(tmp_path / "plain")]) == 0
    plain = json.loads((tmp_path / "plain" / f"{EXAMPLE.name}.json").read_text(encoding="utf-8"))
    assert "dropped" not in plain
    assert main(["extract", "--explain", str(EXAMPLE), "-o", str(tmp_path / "x")]) == 0
    data = json.loads((tmp_path / "x" / f"{EXAMPLE.name}.json").read_text(encoding="utf-8"))
    raw = EXAMPLE.read_text(encoding="utf-8")
    assert data["dropped"] and all(d["step"] in ("ner-filter", "merge", "resolve") and d["reason"]
                                   for d in data["dropped"])
    assert all(raw[d["start"]:d["end"]].replace(" ", "") == d["text"] for d in data["dropped"])
    placed = {(m["start"], m["end"]) for e in data["entities"] for m in e["mentions"]}
    assert not any((d["start"], d["end"]) in placed for d in data["dropped"])  # none reached the graph
    title = next(d for d in data["dropped"] if d["text"] == "副市长")
    assert title["type"] == "Title" and title["reason"] == "titles are read by the rules only"


def test_version(capsys):
    from importlib.metadata import version

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"kg {version('kg-gov')}"


@pytest.mark.parametrize("option, message", [
    (["--port", "99999"], "between 0 and 65535"),
    (["--timeout", "-5"], "--timeout must be at least"),
    (["--max-rows", "-1"], "--max-rows must be at least 1"),
    (["--workers", "0"], "--workers must be at least 1"),
    (["--timeout", "abc"], "must be a number"),
])
def test_serve_options_are_checked_before_it_starts(tmp_path, capsys, option, message):
    assert main(["serve", str(tmp_path), *option]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_config_file_sets_defaults_and_the_command_line_wins(tmp_path, monkeypatch):
    from kg.cli import build_parser
    from kg.config import apply_config

    config = tmp_path / "kg.toml"
    config.write_text('ner-model = "fast"\n[build]\njobs = 1\nformats = "ttl,graphml"\n'
                      '[serve]\nport = 9999\ncors = ["https://a.example"]\n', encoding="utf-8")
    parser = build_parser()
    apply_config(parser, config)
    args = parser.parse_args(["build", "x.txt", "-o", "out"])
    assert args.jobs == 1 and args.formats == "ttl,graphml" and args.ner_model == "fast"
    assert parser.parse_args(["build", "x.txt", "-o", "out", "--jobs", "2"]).jobs == 2
    serve = parser.parse_args(["serve", "store"])
    assert serve.port == 9999 and serve.cors == ["https://a.example"]


@pytest.mark.parametrize("text, says", [
    ("[build]\njobz = 2\n", "has no option 'jobz'"),
    ("[biuld]\njobs = 2\n", "is not a kg command"),
    ("[serve]\nport = 99999\n", "between 0 and 65535"),
    ("jobs = 2\n", "is not a global option"),
    ("[build\n", "not a readable TOML file"),
])
def test_a_bad_config_file_is_one_line_before_anything_runs(tmp_path, monkeypatch, capsys, text, says):
    config = tmp_path / "kg.toml"
    config.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # found as ./kg.toml
    assert main(["build", "missing.txt", "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_config_given_on_the_command_line(tmp_path, capsys):
    assert main(["--config", str(tmp_path / "none.toml"), "build", "x", "-o", "y"]) == 2
    assert "no such config file" in capsys.readouterr().err

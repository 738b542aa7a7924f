"""Time and memory of ``kg build`` on one endless line against the same text as prose.

    .venv/bin/python bench/long_lines.py [--mb 0.1 1 10 50] [--jobs 2] [--formats ttl]

For each size, two files of that many bytes made from the same ordinary sentences
(written for this script): *prose*, with its punctuation and a line break after every
paragraph, and *line*, the same text with all punctuation and line breaks removed: a
single line. Each is built by ``kg build`` in a fresh process; printed are wall time,
the build's characters per second, peak memory of the whole process tree, the size of
the exports, and the ratio line / prose. Before sentences were bounded
(``kg.segment.MAX_SENTENCE_CHARS``) the line's time grew with the square of its length.
Not a test: the figures go into docs/input-and-speed.md.
"""
from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import kg_build, machine, run_measured  # noqa: E402

# ordinary sentences of a local work report, our own words
PARAGRAPHS = (
    "市政府召开常务会议，研究部署春季农业生产和防汛抗旱工作。会议要求各县区压实责任，确保粮食播种面积稳定。",
    "县委书记王建国深入乡镇调研基层党建工作，强调要把党支部建在产业链上，带动村集体经济增收。",
    "市生态环境局牵头推进汾河流域综合治理，全年完成河道清淤四十五公里，新建污水处理厂三座。",
    "省政府与山西大学签订战略合作协议，共建产业技术研究院，围绕新材料和现代农业开展联合攻关。",
    "全年新增城镇就业三万二千人，城镇登记失业率控制在百分之四以内，职业技能培训惠及一万余人。",
    "市总工会主席李红梅出席职工技能大赛开幕式并讲话，大赛设焊工、电工、数控车工等十二个项目。",
    "县人民医院启动“健康乡村”行动，组织医疗队赴偏远村庄义诊，为老年人建立健康档案。",
    "区委组织部会同区人力资源和社会保障局举办人才招聘会，三百余家企业提供就业岗位八千个。",
)
_PUNCTUATION = re.compile(r"[，。、；：“”！？\n]")


def make_texts(n_bytes: int) -> tuple[str, str]:
    """(prose, line) of about ``n_bytes`` UTF-8 bytes each; every paragraph is numbered
    (第N期), so no two are the same."""
    parts, size, i = [], 0, 0
    while size < n_bytes:
        paragraph = f"第{i}期{PARAGRAPHS[i % len(PARAGRAPHS)]}\n"
        parts.append(paragraph)
        size += len(paragraph.encode("utf-8"))
        i += 1
    prose = "".join(parts)
    return prose, _PUNCTUATION.sub("", prose)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, nargs="+", default=[0.1, 1, 10, 50])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--formats", default="ttl", help="exports to write (default ttl: the build, not the writers)")
    args = parser.parse_args(argv)
    print(f"machine: {machine()}")
    print(f"{'size':>7}  {'input':<6} {'characters':>12} {'wall':>9} {'chars/s':>9} {'peak MB':>8} "
          f"{'exports MB':>10}  ratio")
    with tempfile.TemporaryDirectory(prefix="kg-long-lines-") as tmp:
        for mb in args.mb:
            prose, line = make_texts(int(mb * 1_000_000))
            seconds = {}
            for name, text in (("prose", prose), ("line", line)):
                path = Path(tmp) / f"{name}.txt"
                path.write_text(text, encoding="utf-8")
                out = Path(tmp) / f"out-{name}"
                m = run_measured(kg_build([str(path)], str(out), args.jobs, "--formats", args.formats,
                                          "--max-bytes", "1G"))
                if m["status"] != 0:
                    print(m["stderr"][-2000:], file=sys.stderr)
                    return 1
                exports = sum(p.stat().st_size for p in out.iterdir() if p.is_file()) / 1e6
                seconds[name] = m["seconds"]
                ratio = f"{seconds['line'] / seconds['prose']:.2f}" if name == "line" else ""
                print(f"{mb:>5g}MB  {name:<6} {len(text):>12,} {m['seconds']:>8.1f}s "
                      f"{len(text) / m['seconds']:>9,.0f} {m['peak_tree_mb']:>8,.0f} {exports:>10,.1f}  {ratio}",
                      flush=True)
                path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())

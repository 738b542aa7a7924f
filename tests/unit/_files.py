"""Small documents of every format, made by the tests themselves (no fixtures on disk)."""
from __future__ import annotations

from pathlib import Path

TEXT = "晋中市总工会召开全委会议。\n\n副市长窦文华出席会议并讲话。"
TRADITIONAL = "中華人民共和國國務院召開會議。\n\n山西省人民政府發展經濟，關於這個問題進行了討論。"


def write_docx(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    import docx

    document = docx.Document()
    document.add_heading(paragraphs[0], level=1)
    for para in paragraphs[1:]:
        document.add_paragraph(para)
    if table:
        t = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                t.cell(r, c).text = value
    document.save(str(path))
    return path


def write_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF whose pages show the given lines in a Type0 font with a ToUnicode map
    (glyph code = Unicode code point), as Chinese PDFs made by word processors do.
    A page with no lines has no text layer, like a scan."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap "
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def "
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def "
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
            b"1 beginbfrange <0000> <FFFF> <0000> endbfrange "
            b"endcmap CMapName currentdict /CMap defineresource pop end end")
    catalog = add(b"")  # filled in below
    pages_obj = add(b"")
    tounicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    descriptor = add(b"<< /Type /FontDescriptor /FontName /Song /Flags 4 /FontBBox [0 0 1000 1000] "
                     b"/ItalicAngle 0 /Ascent 1000 /Descent 0 /CapHeight 1000 /StemV 80 >>")
    cidfont = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Song /CIDSystemInfo "
                  b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R "
                  b"/DW 1000 >>" % descriptor)
    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /Song /Encoding /Identity-H "
               b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (cidfont, tounicode))
    kids = []
    for lines in pages:
        ops = [b"BT /F1 12 Tf 14 TL 72 780 Td"]
        for line in lines:
            ops.append(b"<" + line.encode("utf-16-be").hex().upper().encode() + b"> Tj T*")
        ops.append(b"ET")
        content = b"\n".join(ops) if lines else b""
        stream = add(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] "
                        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages_obj, font, stream)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
    objects[pages_obj - 1] = (b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids)
                              + b"] /Count %d >>" % len(kids))
    write_pdf_objects(path, objects, catalog)
    return path


HTML = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>晋中市总工会召开全委会议</title></head>
<body>
<header><nav><ul><li><a href="/">首页</a></li><li><a href="/news">新闻中心</a></li>
<li><a href="/gov">政务公开</a></li><li><a href="/service">办事服务</a></li></ul></nav></header>
<div class="breadcrumb">当前位置：首页 &gt; 新闻中心 &gt; 工作动态</div>
<article>
<h1>晋中市总工会召开全委会议</h1>
<p>3月18日上午，晋中市总工会召开第六届全委会议。市总工会主席王根元主持会议并讲话，会议总结了2023年全市工会工作，部署了2024年重点任务。</p>
<p>王根元指出，2023年，全市各级工会认真学习贯彻党的二十大精神，围绕中心、服务大局，实施职工暖心关爱服务工程，惠及职工三万余人次，工会各项工作取得新成效。</p>
<p>会议要求，各级工会要持续开展劳动和技能竞赛，深化产业工人队伍建设改革，推动全市工会工作高质量发展，为建设现代化晋中贡献工会力量。</p>
</article>
<aside><h3>相关链接</h3><ul><li><a href="/a">山西省总工会</a></li><li><a href="/b">中华全国总工会</a></li></ul></aside>
<footer><p>版权所有：晋中市总工会 备案号：晋ICP备00000000号 网站地图 联系我们</p></footer>
</body></html>
"""


def write_pdf_objects(path: Path, objects: list[bytes], root: int = 1) -> Path:
    """A PDF file of numbered ``objects`` (bodies, object 1 first) with its cross-reference
    table and trailer; ``root`` is the catalog's object number."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)
    path.write_bytes(bytes(out))
    return path

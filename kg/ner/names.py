"""Split Person spans that run several names together (e.g. "李鹏乔石李瑞环", name lists
written without separators): the CRF tends to tag such a run as one span.

A Person span of 4+ characters is split when it can be cut entirely into pieces that
each look like a name: a person name of the lexicon (jieba's ``nr`` words), a common
single surname + 1-2 characters, a compound surname + 1-2 characters, or a transliterated
name with a middle dot (帕巴拉·格列朗杰). Spans that are themselves one such name are kept.
"""
from __future__ import annotations

# common single surnames (transliteration-prone ones such as 阿 巴 哈 沙 米 left out)
SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞"
    "左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕"
    "屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫柏宗瞿桂全佟应臧"
    "闵苟邬边卞姬师和仇栾隋商刁荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥"
    "南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝郜阚花权强帅屠豆朴盖练廉禹井祖漆丰支"
    "卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况宿鲜印"
    "逯隆茹诸战慕危玉银亢嵇公湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由"
)
COMPOUND = {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
            "司徒", "夏侯", "令狐", "端木", "澹台", "轩辕", "西门", "南宫", "万俟", "呼延", "申屠"}
DOTS = "·•・‧-－"
PER_BIT = 1  # bit of the "per" class in the lexicon masks


def _piece_score(piece: str, lexicon: dict[str, int]) -> float:
    """How name-like one piece is (0 = not a name piece)."""
    n = len(piece)
    if any(d in piece for d in DOTS):
        parts = piece
        for d in DOTS[1:]:
            parts = parts.replace(d, "·")
        parts = parts.split("·")
        if any(len(x) < 2 for x in parts):
            return 0.0
        return 1.0
    if piece[0] not in SURNAMES and piece[:2] not in COMPOUND:
        return 0.0  # only Chinese-style names are split off
    if 2 <= n <= 4 and lexicon.get(piece, 0) & PER_BIT:
        return 3.0
    if piece[:2] in COMPOUND and 3 <= n <= 4:
        return 2.0
    if piece[0] in SURNAMES and n in (2, 3):
        return 2.0 if n == 3 else 1.0
    return 0.0


def split_names(text: str, lexicon: dict[str, int]) -> list[tuple[int, int]] | None:
    """(start, end) pieces of a run of names, or None to keep the span whole."""
    n = len(text)
    if n < 4:
        return None
    has_dot = any(d in text for d in DOTS)
    if not has_dot and (lexicon.get(text, 0) & PER_BIT or (text[:2] in COMPOUND and n <= 4)):
        return None
    # best[i] = (score, -pieces, cut list) for text[:i]
    best: list = [None] * (n + 1)
    best[0] = (0.0, 0, [])
    for i in range(n):
        if best[i] is None:
            continue
        for j in range(i + 2, min(n, i + 24) + 1):
            piece = text[i:j]
            dotted = any(d in piece for d in DOTS)
            if not dotted and j - i > 4 and not any(d in text[j:] for d in DOTS):
                break
            sc = _piece_score(piece, lexicon)
            if sc <= 0:
                continue
            # a dotted name has no reliable right edge: it must end the span or be
            # followed by a name of the lexicon
            if dotted and j < n and not any(lexicon.get(text[j:j + k], 0) & PER_BIT and text[j] in SURNAMES
                                            for k in (2, 3, 4)):
                continue
            # ... and its left edge is only trusted after a three-character name
            if dotted and i > 0 and best[i][2][-1][1] - best[i][2][-1][0] != 3:
                continue
            cand = (best[i][0] + sc, best[i][1] - 1, best[i][2] + [(i, j)])
            if best[j] is None or cand[:2] > best[j][:2]:
                best[j] = cand
    if best[n] is None or len(best[n][2]) < 2:
        return None
    return best[n][2]

"""Rules for initiatives (named programs, campaigns, strategies) and events.

Initiatives:
- a quoted name followed by a head noun, perhaps with a short modifier between
  (“十乱”整治攻坚行动, “156”战略举措, “介税之声”宣传品牌); a quoted name that itself ends
  in a head (“碳达峰十大行动”);
- an unquoted phrase ending in a strict head (``initiatives/unquoted_heads.txt``),
  with the leading verb trimmed (实施高考卓越计划 -> 高考卓越计划);
- names listed before a shared head, after 等 (A、B等重点工程) or a count that matches
  the items (A、B和C“三个专项行动”);
- a phrase led by a place name on a head too common alone (柳林湖湿地公园项目,
  ``initiatives/place_led_heads.txt``).
Events: a phrase ending in an event head (``initiatives/event_heads.txt``) with a
qualifier in front (a year, an ordinal 第七届, a session 三届七次, a place or agency),
and congresses written 党的二十大 / 中国工会十八大; by pattern, the plenums of the
Central Committee (十九届四中全会) and of local party committees (市委五届七次全会), the
sessions of people's congresses and CPPCC committees (十四届全国人大二次会议,
县十八届人大二次会议); and recurring national and international events from a list
(``initiatives/national_events.tsv``: 进博会, 广交会, 亚运会), an edition's year,
ordinal or host place in front leading the name (第六届进博会, 杭州亚运会).
"""
from __future__ import annotations

import re
from functools import lru_cache

from ..labels import MentionType
from ..lexicon import common_words, iter_tsv, load_word_list, verbs
from .candidates import HAN, Candidate, after_verb, alternation, forms_pattern, trim_left

INITIATIVE = MentionType.INITIATIVE.value
EVENT = MentionType.EVENT.value
_NUM = "一二三四五六七八九十百零〇两0-9"
# after 市/县/省…, what makes it a word rather than a relative prefix of an event's name:
# 市域, 县级, 市属, 市直, 市场, 市政 (市政基础行业技能竞赛); 市政府 is still the city's
_NOT_PREFIX = "(?![域级属直场]|政(?!府))"


@lru_cache(maxsize=None)
def _res() -> dict[str, re.Pattern[str]]:
    heads = alternation(load_word_list("initiatives/heads.txt"))
    strict = alternation(load_word_list("initiatives/unquoted_heads.txt"))
    generic = alternation(w for w in load_word_list("initiatives/generic_modifiers.txt") if len(w) == 2)
    events = {f[0]: f[1] == "1" for _, f in iter_tsv("initiatives/event_heads.txt", 2, 3)}
    scoped = [f[0] for _, f in iter_tsv("initiatives/event_heads.txt", 2, 3) if f[2:] == ["1"]]
    return {
        # the core holds no opening mark, so “…《规划》…” is not read as one quotation
        "quoted": re.compile(f"[“\"‘「《]([^“”\"‘’「」《》\n]{{1,30}})[”\"’」》]([{HAN}]{{0,8}}?(?:{heads}))?"),
        "quoted_head": re.compile(f"(?:{heads})$"),
        "strict": re.compile(f"(?:{strict})"),
        # 开展A、B和C“三个专项行动”: a counted list; the count must match the items
        "counted": re.compile(f"((?:[{HAN}“”]{{2,30}}?[、和及])+[{HAN}“”]{{2,30}}?)[“\"]?([{_NUM}])(?:个|大|项)"
                              f"((?:{strict}))[”\"]?"),
        "listed": re.compile(f"((?:[{HAN}]{{2,14}}、)+[{HAN}]{{2,14}})等(?:{generic})?({strict})"),
        "event": re.compile(f"(?:{alternation(events)})(?:活动)?"),
        # 全国教育、科技、卫生工作会议: topics listed after a scope before one head
        "coordinated_topics": re.compile(f"(全[国省市县区州])((?:[{HAN}]{{2,4}}、)+[{HAN}]{{2,4}}?)"
                                         f"({alternation(h for h in events if h.endswith(('会议', '大会')))})"),
        # the words between the quote and the head: no verb of holding (“轻骑兵”开展…演出: the
        # quote names the performers, not the show)
        "event_after_quote": re.compile(f"(?:(?!{alternation(load_word_list('initiatives/event_openers.txt'))})"
                                        f"[{HAN}0-9]){{0,12}}?(?:{alternation(events)})(?:活动)?"),
        # heads that a topic phrase alone may name (举办乡村振兴专题培训班): needs_qualifier 0
        "free_event": re.compile(f"(?:{alternation(h for h, q in events.items() if not q)})(?:活动)?"),
        # what leads an event's name so that it starts there, not after a later stop
        "event_lead": re.compile(f"全[国省市县区州]|\\d{{4}}年|第[{_NUM}]+[届次期]|首届|[省市县区州]{_NOT_PREFIX}"),
        # a count with a measure word: 三场招聘会, 两期培训班 are no names
        "event_count": re.compile(f"^[{_NUM}]+[场期次批个项届]"),
        "scoped_event": re.compile(f"(?:全国|全省|全市|[省市县区州])(?:{alternation(scoped)})$"),
        "qualifier": re.compile(f"\\d{{4}}年|第[{_NUM}]+[届次期]|[{_NUM}]+届[{_NUM}]+次|\\d+周年|^首届|^全[市县区省国州]|"
                                f"^[市县区省州]{_NOT_PREFIX}|^[{HAN}]{{1,6}}?[省市县区州]{_NOT_PREFIX}|^团[市县区省]委"),
        "congress": re.compile(f"(党的|中国工会|共青团|全国妇女)第?([{_NUM}]+)(次全国代表大会|大)(?![学会厦力])"),
        # 中共二十大, and 十九大 alone where the words after it show the party congress
        "bare_congress": re.compile(f"(中共|(?<![{_NUM}第的团会女联]))((?:十[一二三四五六七八九]|二十[一二三四五六七八九]?)大)"
                                    f"(?={alternation(load_word_list('initiatives/congress_followers.txt'))})"),
        # plenums of the Central Committee: (党的)十九届四中全会
        "plenum": re.compile(f"(?:党的|中共|中国共产党)?第?[{_NUM}]+届(?:中央委员会)?[一二三四五六七八九十]+中全会"),
        # plenums of a local party committee: 市委五届七次全会 (resolved like 市委)
        # (县委十四届五次、六次全会: one plenum per item)
        "local_plenum": re.compile(f"[省市县区州]委(第?[{_NUM}]+届)((?:[{_NUM}]+次、)*[{_NUM}]+次)全(?:体)?会(?:议)?"),
        # sessions of a people's congress, its standing committee or a CPPCC committee
        "session": re.compile(f"(?=[全省市县区州第{_NUM}人政中])(全国|[省市县区州])?(第?[{_NUM}]+届)?(全国)?"
                              f"(人民代表大会常务委员会|人民代表大会|人大常委会|人大|"
                              f"中国人民政治协商会议第?[{_NUM}]+届全国委员会|政协(?:第?[{_NUM}]+届)?(?:全国)?(?:委员会)?)"
                              f"(第?[{_NUM}]+届)?(?:常委会)?(第?[{_NUM}]+次)(?:全体)?会议"),
    }


@lru_cache(maxsize=None)
def load_roles() -> dict[str, str]:
    """Verb -> role it gives an actor of an initiative or event (involved_in)."""
    return {f[0]: f[1] for _, f in iter_tsv("initiatives/roles.tsv", 2, 2)}


def load_roles_verbs() -> frozenset[str]:
    return frozenset(load_roles())


# the name of a span that rules read as no name: resolving gives it no canonical name, so
# it is left out of the graph, but it keeps the statistical tagger from reading a name there
_NO_NAME = " "
_PLACE_SUFFIX = set("省市县区镇乡村")
_PREFIXES = "省市县区州"  # one-character prefixes of relative event names (省“…”动员会)
_SCOPES = frozenset({"全市", "全县", "全区", "全省", "全国"})  # kept at the start of an event name
_FORMULA = re.compile(f"^[{_NUM}]+个|[，,。；]")


def _code(core: str) -> bool:
    """A program code made of digits (6221工程, 12351服务热线)."""
    return core.isdigit() and len(core) >= 3


def _head_word(head: str) -> str:
    """The head noun at the end of ``head`` (宣传品牌 -> 品牌)."""
    words = load_word_list("initiatives/heads.txt")
    return max((w for w in words if head.endswith(w)), key=len, default=head)


def _acted_on(text: str, quote_start: int, verbs: frozenset[str]) -> bool:
    """True when an action verb stands right before the quotation (开展了“…”)."""
    window = text[max(0, quote_start - 4):quote_start].rstrip("了")
    return any(window.endswith(v) for v in verbs)


def _speech(core: str) -> bool:
    """A quotation that is a sentence someone said (“已经完成工程进度45%，我们有信心…。”),
    not a name: it ends a sentence inside, or runs on past a comma for more than a
    slogan's length (“一件事，一次办” is a name)."""
    return bool(re.search("[。！？!?]", core)) or ("，" in core and len(core) > 12)


def _usable_core(core: str) -> bool:
    """A quoted core that can name a program: 3 to 12 characters, not a numbered
    formula (两个确立, 四个意识), a list of slogans (严、紧、深), a sentence, or a venue
    (“…展馆” is a place)."""
    from .places import load_venue_heads

    return (3 <= len(core) <= 12 and not _FORMULA.search(core) and "、" not in core
            and not core.endswith(tuple(h for h in load_venue_heads() if len(h) > 1)))


@lru_cache(maxsize=4096)
def _field_core(core: str) -> bool:
    """True when ``core`` is made only of field words (``initiatives/generic_fields.txt``:
    经济 + 体制, 国有 企业, 预算 + 管理): the reform or system of a whole field (经济体制改革,
    预算管理制度), which no one names. Read by segmenting ``core`` into listed words."""
    words = load_word_list("initiatives/generic_fields.txt")
    longest = max(map(len, words), default=0)
    ends = {0}
    for i in range(1, len(core) + 1):
        if any(i - n in ends and core[i - n:i] in words for n in range(1, min(longest, i) + 1)):
            ends.add(i)
    return len(core) in ends and bool(core)


def _generic_field(core: str, head: str) -> bool:
    """A head of ``initiatives/generic_field_heads.txt`` (改革, 制度, 工作) after a core of
    field words only: 国有企业改革, 金融体制改革, “三农”工作 (guidelines: generic activities
    with no proper name are no initiatives)."""
    return _head_word(head) in load_word_list("initiatives/generic_field_heads.txt") and _field_core(core)


def _whole_word_start(text: str, left: int, start: int, end: int) -> int:
    """Where a name cut at ``start`` begins when the cut fell inside a word: a stop word
    that is the first part of a longer noun or an idiom (服务 in 服务业综合改革试点, 以 in
    以质取胜战略) belongs to the name, so the name starts with that word (jieba's words)."""
    if start <= left or start >= end:
        return start
    import jieba.posseg

    pos = left
    for word in jieba.posseg.cut(text[left:end]):
        if pos < start < pos + len(word.word):
            # a common noun or idiom of three or more characters, not a name (和林 is a place)
            return pos if word.flag in ("n", "i", "l", "j") and len(word.word) >= 3 else start
        pos += len(word.word)
        if pos >= start:
            break
    return start


def _counted_before(text: str, left: int, start: int) -> bool:
    """True when a quantifier or a number with a measure word ends right before the name
    or opens it (许多小型水利工程, 部分建筑工程, 一座…枢纽工程, 20项重大水利工程): the
    phrase counts some of a kind (``initiatives/quantifiers.txt``)."""
    words = load_word_list("initiatives/quantifiers.txt")
    window = text[max(left - 4, 0):start + 4]
    cut = start - max(left - 4, 0)
    return any(window.endswith(w, 0, cut) or window.startswith(w, cut) for w in words) \
        or bool(_COUNT.search(text, max(0, start - 6), start) or _COUNT.match(text, start))


def _extend_left(text: str, pos: int, name_chars: str, limit: int) -> int:
    """Where a name that ends at ``pos`` may begin: back over ``name_chars`` and over
    a short parenthesis inside the name (汾河中游示范区（祁县段）生态治理工程)."""
    left = pos
    while left > 0 and pos - left < limit:
        if text[left - 1] in "）)":
            opened = max(text.rfind("（", max(0, left - 10), left), text.rfind("(", max(0, left - 10), left))
            if opened > 0 and re.match(name_chars, text[opened - 1]):
                left = opened
                continue
            break
        if not re.match(name_chars, text[left - 1]):
            break
        left -= 1
    return left


@lru_cache(maxsize=8)
def _stops_and_verbs(stops: frozenset[str]) -> frozenset[str]:
    return stops | verbs()


def _head_compound_start(text: str, head_start: int, stops: frozenset[str], leading: frozenset[str]) -> int:
    """Where trimming must stop looking for stop words before a head. Up to two verbs
    or stop words right before the head belong to the name when more of the name stands
    before them: a noun that is also a verb (职工暖心关爱服务工程) or verbs that make a
    compound with the head (棚户区改造工程, 服务设施改造提升工程). In 开展专项行动,
    推进改造工程 and 大力实施提升工程 nothing of a name stands before them."""
    words = _stops_and_verbs(stops)
    # object verbs and function words (initiatives/left_stops.txt) are never part of the
    # compound either: 不能否定这个规划, 必须达到计划 hold no name
    light = load_word_list("initiatives/light_verbs.txt") | load_word_list("initiatives/left_stops.txt")
    pos = head_start
    for _ in range(2):
        word = next((text[pos - n:pos] for n in (4, 3, 2) if pos - n >= 0 and text[pos - n:pos] in words), None)
        if word is None or word in light:  # 停车场开展普查: 开展 takes the head as its object
            break
        pos -= len(word)
    if pos == head_start:
        return head_start
    left = pos
    while left > 0 and re.match(f"[{HAN}A-Za-z0-9]", text[left - 1]) and pos - left < 24:
        left -= 1
    return pos if pos - trim_left(text, left, pos, stops, leading=leading) >= 2 else head_start


def _all_nouns(words: str) -> bool:
    """True when jieba tags every word of ``words`` a noun (n, nz, vn …)."""
    import jieba.posseg

    return all(w.flag.startswith("n") or w.flag == "vn" for w in jieba.posseg.cut(words))


def _has_verb(words: str) -> bool:
    """True when jieba tags a verb of two or more characters in ``words`` (贯穿)."""
    import jieba.posseg

    return any(w.flag == "v" and len(w.word) > 1 for w in jieba.posseg.cut(words))


def _ends_name(text: str, end: int, followers: frozenset[str]) -> bool:
    """An unquoted head ends a name only where the phrase ends: before punctuation,
    the end of text, or a word that follows names (建设, 的, 和), not inside a longer
    word (战略合作, 计划生育)."""
    if end >= len(text) or not re.match(f"[{HAN}]", text[end]):
        return True
    return any(text.startswith(w, end) for w in followers)


def _quoted_event(core: str, res) -> bool:
    """A quoted core that ends in an event head after a topic of two or more
    characters (“建水紫陶发展论坛”, “青年创新创业大赛”), not a scoped word alone (“两会”)."""
    heads = [m for m in res["event"].finditer(core) if m.end() == len(core)]
    return bool(heads) and heads[-1].start() >= 2 and not res["event_count"].match(core)


def _quoted(text: str, res, weak: frozenset[str], bare: frozenset[str],
            verbs: frozenset[str]) -> tuple[list[Candidate], list]:
    """Initiatives and events named in quotation marks.

    Quotations that follow one another (“我为村民办实事”“我为职工办实事”等主题活动, or
    joined by 、) share the head noun after the last one, each giving its own name.
    """
    out: list[Candidate] = []
    matches = [m for m in res["quoted"].finditer(text) if m.group(1).strip() and not _speech(m.group(1))]
    groups: list[list[re.Match[str]]] = []
    for m in matches:
        prev = groups[-1][-1] if groups else None
        if prev is not None and not prev.group(2):
            gap = text[prev.start() + len(prev.group(1)) + 2:m.start()]  # after prev's closing mark
            if gap in ("", "、", "和", "及"):
                groups[-1].append(m)
                continue
        groups.append([m])
    for group in groups:
        last = group[-1]
        head = last.group(2) or ""
        listed = head.startswith("等")
        if listed:
            head = head[1:]
        category = False
        if head and len(head) > len(_head_word(head)):
            middle = head[:len(head) - len(_head_word(head))]
            category = listed  # “科技副总”“博士服务团”等柔性引才项目: a kind, each quote a name
            word = _head_word(head)
            if (word in bare or any(ch in middle for ch in "的和与及") or _has_verb(middle)
                    or (word in weak and not _all_nouns(middle))):
                head = ""
        if head and "、" in last.group(1) and _head_word(head) in weak | bare:
            head = ""  # “负责任、动脑筋、讲良心”工作: slogans, not a program
        if head in bare and res["quoted_head"].search(last.group(1).strip()):
            head = ""  # “…示范项目”建设: the project is named, 建设 is what is done to it
        if category:
            for m in group:
                core = m.group(1).strip()
                if _usable_core(core) and text[m.start()] != "《":
                    out.append(Candidate(m.start(), m.start() + len(m.group(1)) + 2, INITIATIVE,
                                         "rule:quoted+kind", 0.6, name=core))
            continue
        close = last.start() + len(last.group(1)) + 2  # just after the closing mark
        event_head = res["event_after_quote"].match(text, close) if len(group) == 1 else None
        if event_head and any(ch in event_head.group(0) for ch in "和与及的、"):
            event_head = None  # “156”战略举措和市两会: two names, not one event
        if event_head and head and close + len(last.group(2)) > event_head.end():
            event_head = None  # the initiative head reaches further: “X”竞赛活动 is an event, “X”赛事品牌 not
        for m in group:
            core = m.group(1).strip()
            span_end = last.end() if m is last and head else m.start() + len(m.group(1)) + 2
            if event_head:
                # 落实省“治水监管百日行动”动员会: the province's meeting, resolved like 省委
                scope = text[m.start() - 1] if m.start() > 0 and text[m.start() - 1] in _PREFIXES else ""
                if scope and m.start() > 1 and re.match(f"[{HAN}]", text[m.start() - 2]) \
                        and not _acted_on(text, m.start() - 1, verbs):
                    scope = ""  # 晋中市“…”: the end of a longer name
                out.append(Candidate(m.start() - len(scope), event_head.end(), EVENT, "rule:quoted+event", 0.75,
                                     name=scope + core + event_head.group(0), attrs={"core": core}))
                if res["quoted_head"].search(core) and len(core) > 2:  # “X百日行动”动员会: the campaign too
                    out.append(Candidate(m.start(), span_end, INITIATIVE, "rule:quoted", 0.7, name=core))
            elif not head and len(group) == 1 and text[m.start()] != "《" and _quoted_event(core, res):
                # “建水紫陶发展论坛”: the quotation holds a whole event's name
                out.append(Candidate(m.start(), span_end, EVENT, "rule:quoted-event", 0.7, name=core))
            elif head and text[m.start()] != "《" and _generic_field(core + head[:-len(_head_word(head))], head):
                continue  # “三农”工作: the work of a whole field
            elif head and text[m.start()] != "《":  # 《民法典》宣传活动 promotes a law
                own = len(group) > 1 and res["quoted_head"].search(core)  # “雪亮工程”…制度: keeps its own
                out.append(Candidate(m.start(), span_end, INITIATIVE, "rule:quoted+head", 0.8,
                                     name=core if own else core + head, attrs={"core": core}))
            elif res["quoted_head"].search(core) and len(core) > 2 and text[m.start()] != "《":
                out.append(Candidate(m.start(), span_end, INITIATIVE, "rule:quoted", 0.7, name=core))
            elif _acted_on(text, group[0].start(), verbs) and _usable_core(core) and text[m.start()] != "《" \
                    and not re.match(f"[{HAN}]", text[last.end():last.end() + 1]):  # not a modifier: “X”招聘会
                # 开展“开门纳谏”, 实现“一网通办”“一窗通办”: quoted names something is done to
                out.append(Candidate(m.start(), span_end, INITIATIVE, "rule:quoted+verb", 0.5, name=core))
    return out, [m.span() for m in matches]


def _items_with_head(text: str, pos: int, items: list[str], head: str, source: str,
                     stops: frozenset[str], leading: frozenset[str]) -> list[Candidate]:
    """One name per listed item (each one character-separated from the next, starting at
    ``pos``), each with the shared head; the first item loses the verb that opens the
    list (推进西环路积水点改造 -> 西环路积水点改造)."""
    out = []
    for n, item in enumerate(items):
        start = pos
        if n == 0:
            end = _head_compound_start(text, pos + len(item), stops, leading)
            start = trim_left(text, pos, end, stops, leading=leading)
        name = re.sub("[“”]", "", text[start:pos + len(item)])
        if len(name) >= 2:
            out.append(Candidate(start, pos + len(item), INITIATIVE, source, 0.6, name=name + head))
        pos += len(item) + 1
    return out


def _listed(text: str, res, stops: frozenset[str], leading: frozenset[str]) -> list[Candidate]:
    """Unquoted names listed before a shared head with 等: 实施西部大开发、东北全面振兴等战略
    -> 西部大开发战略, 东北全面振兴战略; a generic modifier between is not part of the
    names (北环路棚户区改造、徐家沟河道整治等重点工程 -> 北环路棚户区改造工程, …)."""
    out = []
    undistributed = load_word_list("initiatives/undistributed_heads.txt")
    for match in res["listed"].finditer(text):
        if _head_word(match.group(2)) in undistributed:
            # 深化农垦、供销社等改革: the fields a reform covers, no names; the list stays one
            # span with no name, so that the tagger reads no name into it (林权 as a person)
            out.append(Candidate(match.start(1), match.end(), INITIATIVE, "rule:listed-fields", 0.5, name=_NO_NAME))
            continue
        # 等重点工程: the items are …工程
        out.extend(_items_with_head(text, match.start(1), match.group(1).split("、"), match.group(2),
                                    "rule:listed+head", stops, leading))
    return out


def _counted(text: str, res, stops: frozenset[str], leading: frozenset[str]) -> list[Candidate]:
    """Names listed before a count and a shared head: 开展A、B和C“三个专项行动” -> A专项行动,
    B专项行动, C专项行动, when the count (三) is the number of items."""
    out = []
    for match in res["counted"].finditer(text):
        items = re.split("[、和及]", match.group(1))
        if len(items) == "一二三四五六七八九十".find(match.group(2).replace("两", "二")) + 1:
            out.extend(_items_with_head(text, match.start(1), items, match.group(3), "rule:counted+head",
                                        stops, leading))
    return out


@lru_cache(maxsize=None)
def load_national_programs() -> dict[str, str]:
    """Every written form of a nationally known program -> its canonical name."""
    forms = {}
    for _, fields in iter_tsv("initiatives/national_programs.tsv", 1, 2):
        forms[fields[0]] = fields[0]
        for form in (fields[1].split("|") if len(fields) > 1 else ()):
            forms.setdefault(form, fields[0])
    return forms


# an amount with its measure word right before a programme's form (1760亩退耕还林)
_MEASURED = re.compile(f"[0-9{_NUM}]\\s*[万千百]?\\s*(?:亩|公顷|平方米|公里|千米|米|个|项|处|户|人|座|所|家|条|批)\\s*$")
# a number with a measure word of things counted (一座, 20项, 三批)
_COUNT = re.compile(f"[0-9{_NUM}]+(?:座|项|批|个|处|条|所|家)(?=[{HAN}])$|^[0-9{_NUM}]+(?:座|项|批|个|处|条|所|家)")
_QUOTE_MARKS = re.compile("[“”\"‘’]")


def _without_quotes(text: str) -> tuple[str, list[int]]:
    """``text`` without quotation marks and with full-width ＋ as +, and for each of its
    characters the offset in ``text``: “不忘初心、牢记使命”主题教育 and 互联网＋ are found as
    the listed forms are written."""
    kept = [i for i, ch in enumerate(text) if not _QUOTE_MARKS.match(ch)]
    return "".join(text[i] for i in kept).replace("＋", "+"), kept


@lru_cache(maxsize=None)
def _program_followers() -> re.Pattern[str]:
    """What after a listed form makes it the modifier of a longer name: a head noun
    (京津冀协同发展规划纲要, 西部大开发“十三五”规划, 营改增试点) or a word of
    ``initiatives/program_followers.txt`` (脱贫攻坚精神, 乡村振兴领导小组); a five-year
    plan's number or a count may stand between (精准扶贫三大工程). Bare heads (工作, 建设) and 活动 follow a programme's
    name without making a new one (乡村振兴工作, 党史学习教育活动)."""
    heads = (load_word_list("initiatives/heads.txt") | load_word_list("initiatives/unquoted_heads.txt")) \
        - load_word_list("initiatives/bare_heads.txt") - {"活动"}
    words = heads | load_word_list("initiatives/program_followers.txt")
    return re.compile(f"(?:[{_NUM}]+[五大项个]?)?(?:{alternation(words)})")


def _national_programs(text: str) -> list[Candidate]:
    """Nationally known programs named as written (全面推进乡村振兴), quoted or not, unless
    the form begins a longer name (京津冀协同发展规划纲要, 脱贫攻坚精神)."""
    forms = load_national_programs()
    plain, offsets = _without_quotes(text)
    followers = _program_followers()
    out = []
    for match in _national_programs_re().finditer(plain):
        if followers.match(plain, match.end()):
            continue  # 京津冀协同发展规划纲要: a longer name, found by its head
        if _MEASURED.search(plain, max(0, match.start() - 8), match.start()):
            continue  # 1760亩退耕还林: an amount of the work done, not the programme
        start, end = offsets[match.start()], offsets[match.end() - 1] + 1
        if end < len(text) and text[end] in "”’\"" and text[start - 1:start] in ("“", "‘", "\""):
            start, end = start - 1, end + 1  # the quotation marks belong to the mention
        out.append(Candidate(start, end, INITIATIVE, "rule:national-program", 0.75,
                             name=forms[match.group(0)]))
    return out


@lru_cache(maxsize=None)
def _national_programs_re() -> re.Pattern[str]:
    return forms_pattern(load_national_programs())


def _place_brands(text: str, places: list[Candidate]) -> list[Candidate]:
    """The drive to build a named place up: a word of ``initiatives/place_brands.txt``
    right before a place the gazetteer knows (平安X, 法治X建设, 清廉X建设, 健康X), with
    建设 when it follows. 中国 is left to the list of national programmes."""
    brands = load_word_list("initiatives/place_brands.txt")
    out = []
    for p in places:
        if p.source != "rule:gazetteer" or p.start < 2 or text[p.start - 2:p.start] not in brands \
                or text[p.start:p.end] in ("中国", "全国"):
            continue
        end = p.end + 2 if text.startswith("建设", p.end) else p.end
        if end == p.end and re.match(f"[{HAN}]", text[end:end + 1]) and not text.startswith(("、", "和"), end):
            continue  # 平安X区派出所: the start of a longer name
        out.append(Candidate(p.start - 2, end, INITIATIVE, "rule:place-brand", 0.6))
    return out


def _place_led(text: str, places: list[Candidate], stops: frozenset[str],
               followers: frozenset[str]) -> list[Candidate]:
    """Names on a head that is too common alone (项目): the name must begin with a place
    the gazetteer knows and say more than the place (柳林湖湿地公园项目, not 广安市项目),
    with no verb or number of its own (广安市集中开工项目, 太原2个项目)."""
    import jieba.posseg

    heads = load_word_list("initiatives/place_led_heads.txt")
    starts = sorted({p.start: p for p in places if p.source == "rule:gazetteer"}.items())
    out = []
    for match in re.finditer(alternation(heads), text):
        left = _extend_left(text, match.start(), f"[{HAN}A-Za-z]", 24)
        first = next((p for pos, p in starts if left <= pos < match.start() and p.end < match.start()), None)
        if first is None:
            continue
        start = first.start
        rest = text[first.end:match.start()]
        if (len(rest) < 2 or trim_left(text, start, match.start(), stops) != start
                or not _ends_name(text, match.end(), followers)):
            continue
        last = list(jieba.posseg.cut(rest))[-1]
        if last.flag.startswith("v") and last.flag != "vn":
            continue
        out.append(Candidate(start, match.end(), INITIATIVE, "rule:place+head", 0.55))
    return out


@lru_cache(maxsize=None)
def load_national_events() -> dict[str, tuple[str, bool]]:
    """Written form -> (canonical name, lies in 中国) of the recurring events of
    ``initiatives/national_events.tsv``."""
    forms: dict[str, tuple[str, bool]] = {}
    for _, fields in iter_tsv("initiatives/national_events.tsv", 2, 3):
        for form in [fields[0], *(w for w in (fields[2].split("|") if len(fields) > 2 else ()) if w)]:
            forms.setdefault(form, (fields[0], fields[1] == "1"))
    return forms


@lru_cache(maxsize=None)
def _national_events_re() -> re.Pattern[str]:
    return forms_pattern(load_national_events())


def national_event_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the listed event forms in ``text`` (a place inside one, 上海 in
    上海合作组织峰会, is part of its name)."""
    return [m.span() for m in _national_events_re().finditer(text)]


_EDITION = (re.compile(f"第[{_NUM}]+届$"), re.compile(r"\d{4}年$"))


def _named_events(text: str, places: list[Candidate]) -> list[Candidate]:
    """Listed recurring events, named as written (guidelines: an event's canonical name
    is the name as written; the list's canonical column groups the forms). A year, an
    ordinal or a place written right before the form names one edition and leads the
    name (第六届进博会, 2010年上海世博会, 杭州亚运会). A national event lies in 中国; an
    international one in its host place when one is written, else in none."""
    forms = load_national_events()
    place_at_end = {p.end: p for p in places if p.source == "rule:gazetteer"}
    out = []
    for match in _national_events_re().finditer(text):
        _, national = forms[match.group(0)]
        start = match.start()
        hosted = False
        for _ in range(3):  # 第19届杭州亚运会, 杭州第19届亚运会, 2010年上海世博会
            edition = next((m for r in _EDITION if (m := r.search(text, max(0, start - 8), start))), None)
            if edition is not None:
                start = edition.start()
            elif start in place_at_end and not hosted:
                start, hosted = place_at_end[start].start, True
            else:
                break
        name = re.sub("[“”\"]", "", text[start:match.end()])
        scope = "country" if national else ("" if hosted else "none")
        out.append(Candidate(start, match.end(), EVENT, "rule:named-event", 0.8, name=name,
                             attrs={"scope": scope} if scope else {}))
    return out


_SIGNING = ("签约仪式", "签字仪式")


def _signing_parties(text: str, start: int, match: re.Match[str]) -> int | None:
    """Where a signing ceremony's name starts when the parties are written before it,
    joined by 与, from the start of the clause (4月17日，A与B全面战略合作协议签约仪式在…
    举行): None when the head is no signing or no such clause stands there."""
    if not match.group(0).endswith(_SIGNING) or text[start - 1:start] != "与":
        return None
    clause = max(text.rfind(c, 0, start - 1) for c in "，。；：\n") + 1
    parties = text[clause:start - 1]
    if not 2 <= len(parties) <= 30 or not re.fullmatch(f"[{HAN}（）()·]+", parties):
        return None
    return clause


def _edition_start(text: str, start: int, head: int, places: frozenset[str]) -> int:
    """An edition number opens the name when only a word stands before it (借势|第40届
    中国·哈尔滨国际冰雪节); a place or a year before it is part of the name
    (金昌市第五届…, 2024年第三届…, 中国第十届…: ``places`` holds the names found)."""
    edition = re.search(f"第[{_NUM}]+届", text[start:head])
    if edition is None or edition.start() == 0:
        return start
    before = text[start:start + edition.start()]
    if before[-1] in _PLACE_SUFFIX or before.endswith("年") or not re.fullmatch(f"[{HAN}]+", before):
        return start
    if before in verbs() or before in common_words() or (len(before) <= 2 and before not in places):
        return start + edition.start()
    return start


_DATED = re.compile(f"\\d{{4}}年|第[{_NUM}]+[届次期]|[{_NUM}]+届|[{_NUM}]+次|首届")


def _standing_body(text: str, end: int, name: str) -> bool:
    """A phrase ending in an event head that names a body or a kind of sitting, not one
    occurrence: followed by a word of a body's name (…人民代表大会常务委员会, …会议成员;
    ``initiatives/event_body_followers.txt``), or a body's sitting with no session number
    or date (列席市人大常委会会议; ``initiatives/event_sittings.txt``)."""
    if any(text.startswith(w, end) for w in load_word_list("initiatives/event_body_followers.txt")):
        return True
    return name.endswith(tuple(load_word_list("initiatives/event_sittings.txt"))) and not _DATED.search(name)


def _hosted(places, start: int, head_start: int) -> bool:
    """A host city written inside the name right before its head names one edition: the
    name is qualified (上合组织青岛峰会, 中非合作论坛北京峰会)."""
    return any(p.end == head_start and p.start > start and p.source == "rule:gazetteer" for p in places)


def _past_particle(text: str, opened: int, left: int, head_start: int) -> int:
    """After a verb of holding, an aspect particle is no part of the name: 举办了全市…
    培训班, 召开过…会议 -> the name starts after 了 / 过."""
    if left < opened < head_start and text[opened] in "了过":
        return opened + 1
    return opened


def _unheaded_join(topic: str, res) -> bool:
    """A topic holding 暨 whose first part has no event head of its own (年中工作汇报暨
    重点工作推进会) joins another name to this one: it is not a topic phrase. 投资推介会暨
    项目签约仪式 is one occurrence written as two events."""
    first = topic.split("暨")[0]
    return "暨" in topic and not any(m.end() == len(first) for m in res["event"].finditer(first))


def _relative_start(text: str, start: int, places: list[Candidate], stops: frozenset[str]) -> int | None:
    """Where an event name that begins with a relative prefix (县十八届人大…, 市委五届…)
    starts: at a place whose name ends with that prefix character (祁县十八届人大…, named
    as written), at the prefix after a stop word or punctuation (在市五届人大…: resolved
    like 市委), or nowhere when the prefix ends another word (该县人大)."""
    if start == 0 or not re.match(f"[{HAN}]", text[start - 1]):
        return start
    host = next((p for p in places if p.end in (start, start + 1) and p.start < start), None)
    if host is not None:
        return host.start
    if any(text.endswith(w, 0, start) for w in stops) or after_verb(text, start):
        return start
    if text[start - 2:start] in common_words() and text[start - 2:start + 1] not in common_words():
        return start  # 紧扣|县十八届人大…: a word ends before the prefix, which opens the name
    return None


def _party_name(written: str) -> str:
    """The canonical name of a congress or plenum of the Communist Party written without
    the party's name: the guidelines write 党的二十大, so 十九大 and 十九届五中全会 (after
    党的十八大和…, or alone) are 党的十九大, 党的十九届五中全会; 中共二十大 stays as written."""
    return written if written.startswith(("党的", "中共", "中国共产党")) else "党的" + written


def _party_and_sessions(text: str, res, places: list[Candidate], stops: frozenset[str]) -> list[Candidate]:
    """Plenums and congresses of the party and sessions of people's congresses and CPPCC
    committees, by pattern, named as written. The Central Committee's (十九届四中全会, 中共二十大)
    and national sessions (十四届全国人大二次会议) lie in 中国; a relative one
    (县十八届人大二次会议, 市委五届七次全会) is resolved like 县委."""
    out = []
    for match in res["plenum"].finditer(text):
        out.append(Candidate(match.start(), match.end(), EVENT, "rule:plenum", 0.8,
                             name=_party_name(match.group(0)), attrs={"scope": "country"}))
    for match in res["local_plenum"].finditer(text):
        start = _relative_start(text, match.start(), places, stops)
        if start is None:
            continue
        if "、" not in match.group(2):
            out.append(Candidate(start, match.end(), EVENT, "rule:plenum", 0.75))
            continue
        body = text[start:match.start(2)]  # 县委十四届, 祁县县委十四届
        head = text[match.end(2):match.end()]
        for i, (item_start, item_end, item) in enumerate(_list_items(match, 2)):
            out.append(Candidate(start if i == 0 else item_start, item_end, EVENT, "rule:plenum-coordinated", 0.7,
                                 name=body + item + head))
    for match in res["bare_congress"].finditer(text):
        out.append(Candidate(match.start(), match.end(), EVENT, "rule:congress", 0.7,
                             name=_party_name(match.group(0)), attrs={"scope": "country"}))
    for match in res["session"].finditer(text):
        scope, term, national, body, term2, _ = match.groups()
        if not (term or term2 or "届" in body or "常委会" in body or "常务委员会" in body):
            continue  # 人大二次会议 with no term: too little to name one session
        start = match.start()
        if scope and scope != "全国":
            start = _relative_start(text, start, places, stops)
            if start is None:
                continue  # 该县人大…: the prefix is the end of another word or name
        attrs = {"scope": "country"} if scope == "全国" or national or body.startswith("中国") else {}
        out.append(Candidate(start, match.end(), EVENT, "rule:session", 0.8, attrs=attrs))
    return out


@lru_cache(maxsize=1)
def _initiative_stops() -> tuple[frozenset[str], frozenset[str]]:
    """(stops, leading words) for names found by their head: the agency grammar's, with
    the function words, modal phrases and object verbs that never open a program's name
    (``initiatives/left_stops.txt``: 就是要促进改革, 但是经过整风运动 -> 整风运动) and the
    adverbs and quantifiers only stripped from its start (``initiatives/leading_words.txt``).
    全市…专项行动 keeps its scope: it is the city's."""
    stops = (load_word_list("agencies/left_stops.txt") | load_word_list("initiatives/left_stops.txt")) \
        - load_word_list("initiatives/name_words.txt")
    leading = (load_word_list("agencies/leading_words.txt") | load_word_list("initiatives/leading_words.txt")) \
        - _SCOPES
    return frozenset(stops), frozenset(leading)


_HOTLINE = re.compile(f"(?<![0-9])[0-9]{{5,6}}[{HAN}]{{0,8}}?热线(?:平台)?")


def _hotlines(text: str) -> list[Candidate]:
    """Public service lines named by their number (12345政务服务便民热线, 12315热线):
    the number opens the name, so no left edge is to be guessed."""
    return [Candidate(m.start(), m.end(), INITIATIVE, "rule:hotline", 0.75) for m in _HOTLINE.finditer(text)]


# a row of a task table as one line: the task, the responsible units (after a label or
# not), and more cells (a deadline) after a space
_TASK_ROW = re.compile(r"^([^\s。；，,:：]{4,40}) (?:(?:责任单位|牵头单位|责任部门|实施单位)[:：])?([^\s。；]{2,60})(?: [^\n]*)?$",
                       re.M)


def find_table_tasks(text: str, agencies: list[Candidate]) -> list[Candidate]:
    """The first cell of a task table's row whose second cell names responsible units
    (昭觉县中医医院迁建项目　县卫生健康局　2025年6月): a project or task the plan names, as
    the table writes it. The table's columns are kept apart by the cleaning (an
    ideographic space or a tab); an agency must open the second cell."""
    starts = {a.start for a in agencies}
    out = []
    for row in _TASK_ROW.finditer(text):
        if row.start(2) in starts:
            out.append(Candidate(row.start(1), row.end(1), INITIATIVE, "rule:table-task", 0.7))
    return out


def find_initiatives(text: str, places: list[Candidate] = ()) -> list[Candidate]:
    """Initiative and event candidates in ``text``; ``places`` (the gazetteer's matches)
    let names on a place-led head (…项目) be found."""
    res = _res()
    stops, leading = _initiative_stops()
    generic = load_word_list("initiatives/generic_modifiers.txt")
    followers = load_word_list("initiatives/head_followers.txt")
    weak = load_word_list("initiatives/weak_heads.txt")
    verbs = load_word_list("initiatives/action_verbs.txt")
    event_stops = (stops | load_roles_verbs()) - _SCOPES - {"成立"}
    bare = load_word_list("initiatives/bare_heads.txt")
    doc_words = load_word_list("initiatives/plan_documents.txt")
    openers = load_word_list("initiatives/event_openers.txt")
    event_generic = load_word_list("initiatives/event_generic.txt")
    out, quoted_spans = _quoted(text, res, weak, bare, verbs)
    out.extend(_listed(text, res, stops, leading))
    out.extend(_counted(text, res, stops, leading))
    out.extend(_national_programs(text))
    out.extend(_hotlines(text))
    out.extend(_place_led(text, list(places), stops, followers))
    out.extend(_place_brands(text, list(places)))
    for match in res["strict"].finditer(text):
        end = match.end()
        opened = text.rfind("《", max(0, match.start() - 30), match.start())
        in_title = opened >= 0 and "》" not in text[opened:match.start()]
        name_chars = f"[{HAN}A-Za-z0-9]"
        if in_title:
            # 《推进社会组织建会专项行动方案》: a plan document named after its campaign
            close = text.find("》", end)
            if close < 0 or text[end:close].removeprefix("的") not in doc_words:
                continue
            name_chars = f"[{HAN}A-Za-z0-9“”‘’]"
        elif any(s <= match.start() < e for s, e in quoted_spans):
            continue
        left = _extend_left(text, match.start(), name_chars, 24)
        if in_title:  # the title's own words: only a leading verb (推进, 关于) is cut
            start = trim_left(text, left, match.start(), frozenset(), leading=stops | leading)
        else:
            start = trim_left(text, left, _head_compound_start(text, match.start(), stops, leading), stops,
                              leading=leading)
            start = _whole_word_start(text, left, start, match.start())
        if _counted_before(text, left, start):
            continue  # 许多小型水利工程, 一座综合性大型水利枢纽工程: some of a kind, not a name
        core = text[start:match.start()]
        bare = core[2:] if core[:2] in _SCOPES else core  # 全市重大战略 is as generic as 重大战略
        if len(bare) < 2 or bare in generic or "的" in core or (core[0].isdigit() and not _code(core)):
            continue
        if _generic_field(core, match.group(0)):
            continue  # 经济体制改革, 国有企业改革, 预算管理制度: a whole field's reform or system
        if len(core) == 2 and core in common_words() and len(match.group(0)) < 3:
            continue  # 实际行动, 提升工程: an ordinary word before a short head
        if len(core) <= 2 and text[start - 1:start] == "的":
            continue  # 利在千秋的德政工程: a description, not a name
        if core.endswith("下") and not in_title:
            continue  # 在大局下行动: a locative phrase (在…下) before the head, not a name
        if re.search(f"[{HAN}]{{2}}[{_NUM}](?:个|大|项)$", core):
            continue  # 河道清淤、绿化提升两大工程: the count of a list, not a name
        if text[start - 1:start] == "等":
            continue  # …述职、…述廉制度等党建工作制度: the kind of the names listed before
        if (core[-1] in _PLACE_SUFFIX and len(core) <= 3) or not (in_title or _ends_name(text, end, followers)):
            continue  # 在昭馀镇试点推行 (a place, then a verb); 签订战略合作协议
        out.append(Candidate(start, end, INITIATIVE, "rule:head", 0.55,
                             name=re.sub("[“”‘’]", "", text[start:end]) if in_title else ""))
    place_names = frozenset(text[p.start:p.end] for p in places)
    for match in res["event"].finditer(text):
        left = match.start()
        while left > 0 and re.match(f"[{HAN}A-Za-z0-9（）()·]", text[left - 1]) and match.start() - left < 20:
            left -= 1
        opened = _past_particle(text, trim_left(text, left, match.start(), openers), left, match.start())
        after_verb = opened > left and "的" not in text[opened:match.start()]
        free = after_verb and 4 <= match.start() - opened <= 16 and res["free_event"].match(text, match.start()) \
            and not _unheaded_join(text[opened:match.start()], res)
        if after_verb and (free or res["event_lead"].match(text, opened, match.start())):
            start = opened  # 召开全市安全生产工作推进会: the name runs from the verb to its head
        else:
            start = max(opened, trim_left(text, left, match.start(), event_stops, leading=leading - _SCOPES))
        start = _edition_start(text, start, match.start(), place_names)
        parties = _signing_parties(text, start, match)
        if parties is not None:
            start = parties  # 盐城市人民政府与东南大学全面战略合作协议签约仪式: both parties name it
        name = text[start:match.end()]
        if any(name.startswith(w) for w in event_generic) or res["event_count"].match(name):
            continue  # 这次会议, 各类培训班, 多场招聘会, 三场招聘会: a reference, not a name
        if _standing_body(text, match.end(), name):
            continue
        topic = len(name) - len(match.group(0)) - (2 if name.startswith("全") else 0)
        free = (free and start == opened) or _hosted(places, start, match.start()) or parties is not None
        if not free and ((topic < 2 and not res["scoped_event"].search(name)) or not res["qualifier"].search(name)):
            continue
        out.append(Candidate(start, match.end(), EVENT, "rule:event", 0.65))
        scope = re.match(f"全[国省市县区州]", name)
        other = re.search(f"(全[国省市县区州])、$", text[max(0, start - 3):start])
        if scope and other:  # 全国、全省教育工作会议 -> also 全国教育工作会议
            out.append(Candidate(start - 3, start - 1, EVENT, "rule:event-coordinated", 0.6,
                                 name=other.group(1) + name[2:]))
    for match in res["congress"].finditer(text):
        out.append(Candidate(match.start(), match.end(), EVENT, "rule:congress", 0.8))
    sessions = _party_and_sessions(text, res, list(places), event_stops)
    # the pattern of a session or plenum knows where its name starts; the head rule's
    # longer span ending there holds the words before it (全县紧扣县十八届人大三次会议)
    ends = {c.end for c in sessions}
    out = [c for c in out if c.source != "rule:event" or c.end not in ends]
    out.extend(sessions)
    out.extend(_named_events(text, list(places)))
    out.extend(_coordinated_events(text, res))
    out.extend(_quoted_list_events(text, res))
    return out + _joined_events(text, out)


_PLENUMS = re.compile(f"(党的|中共|中国共产党)?(第?[{_NUM}]+届(?:中央委员会)?)((?:[一二三四五六七八九十]+中、)+[一二三四五六七八九十]+中)全会")


def _coordinated_events(text: str, res) -> list[Candidate]:
    """Events whose names share a head written once after a list: 十七届三中、四中全会 ->
    党的十七届三中全会, 党的十七届四中全会; 全国教育、科技、卫生工作会议 -> 全国教育工作会议,
    全国科技工作会议, 全国卫生工作会议. A list of topics needs a scope (全国, 全省, 全市…)
    in front, so that a name that is itself a list (抓项目、抓政策工作动员大会) is not cut."""
    out = []
    for match in _PLENUMS.finditer(text):
        for start, end, item in _list_items(match, 3):
            name = _party_name((match.group(1) or "") + match.group(2) + item + "全会")
            out.append(Candidate(start, end, EVENT, "rule:plenum-coordinated", 0.75, name=name,
                                 attrs={"scope": "country"}))
    for match in res["coordinated_topics"].finditer(text):
        scope, head = match.group(1), match.group(3)
        for start, end, item in _list_items(match, 2):
            out.append(Candidate(start, end, EVENT, "rule:event-coordinated", 0.6, name=scope + item + head))
    return out


_QUOTE_LIST = re.compile("(?:“[^“”\n]{2,20}”[、和及]?){2,}")


def _quoted_list_events(text: str, res) -> list[Candidate]:
    """Quoted names written one after another before a single event head: each is its own
    event (举办“A”“B”招聘会 -> A招聘会, B招聘会; “A”“B”短视频挑战赛). A head joined
    by 和/与/的 is not shared (“A”“B”和市两会)."""
    out = []
    for match in _QUOTE_LIST.finditer(text):
        head = res["event_after_quote"].match(text, match.end())
        if not head or any(ch in head.group(0) for ch in "和与及的、"):
            continue
        for quote in re.finditer("“([^“”]+)”", match.group(0)):
            core = re.sub(r"\s+", "", quote.group(1))
            if _speech(core):
                continue
            start = match.start() + quote.start()
            end = head.end() if match.start() + quote.end() >= match.end() - 1 else match.start() + quote.end()
            out.append(Candidate(start, end, EVENT, "rule:quoted-list+event", 0.7, name=core + head.group(0),
                                 attrs={"core": core}))
    return out


def _list_items(match: re.Match[str], group: int) -> list[tuple[int, int, str]]:
    """(start, end, item) of each 、-separated item of ``group``; each keeps its own span
    (two events are two mentions), the last one running to the end of the match."""
    items, pos = [], match.start(group)
    for item in match.group(group).split("、"):
        items.append((pos, pos + len(item), item))
        pos += len(item) + 1
    start, _, item = items[-1]
    items[-1] = (start, match.end(), item)
    return items


_JOIN = re.compile(f"[·{HAN}0-9A-Za-z]{{0,5}}暨")


def _joined_events(text: str, found: list[Candidate]) -> list[Candidate]:
    """Two names joined by 暨 are one occurrence (省全民健身5K挑战赛·晋中站暨晋中市“庆三八”
    健康跑活动): one event spanning both, named without quotation marks."""
    out = []
    events = [c for c in found if c.label == EVENT]
    for first in events:
        join = _JOIN.match(text, first.end)
        if not join:
            continue
        after = [c for c in found if join.end() <= c.start <= join.end() + 4 and c.label in (EVENT, INITIATIVE)]
        if not after:
            continue
        second = max(after, key=lambda c: c.end)
        name = re.sub("[“”\"‘’「」《》]", "", text[first.start:second.end])
        out.append(Candidate(first.start, second.end, EVENT, "rule:joined-event", 0.7, name=name))
    return out

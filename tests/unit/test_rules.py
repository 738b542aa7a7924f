"""Each rule family on sentences of our own."""
import pytest

from kg.extract.agencies import find_agencies
from kg.extract.candidates import Candidate
from kg.extract.initiatives import find_initiatives
from kg.extract.merge import merge
from kg.extract.people import find_people, name_at



def texts(text, cands, label):
    return {text[c.start:c.end] for c in cands if c.label == label}


@pytest.mark.parametrize(
    "text, names",
    [
        ("副县长苗志刚主持会议。", {"苗志刚"}),
        ("区总工会主席彭丽出席并讲话。", {"彭丽"}),
        ("本报讯（记者毛小军）近日", {"毛小军"}),
        ("本报记者冯静宁", {"冯静宁"}),
        ("活动取得圆满成功。\n（马晓磊）", {"马晓磊"}),
        ("深入学习贯彻习近平总书记重要讲话精神", {"习近平"}),
        # a manner word before a speech verb is not the third character of the name
        ("市委书记周云真诚表示，欢迎各方。", {"周云"}),
    ],
)
def test_people(text, names):
    assert texts(text, find_people(text), "Person") == names


def test_name_length_uses_following_words():
    assert name_at("王强出席会议", 0) == 2
    assert name_at("王根元主持会议", 0) == 3
    assert name_at("的确如此", 0) == 0


def test_title_chain_titles_found():
    text = "市人大常委会副主任、市总工会主席王根元主持会议。"
    found = find_people(text)
    assert {"副主任", "主席"} <= texts(text, found, "Title")
    implied = {c.attrs["implies"] for c in find_people("副市长梁艳萍讲话") if c.label == "Title"}
    assert implied == {"{city}政府"}


def test_agencies_relative_and_nested():
    text = "会议围绕市委、省总工会部署。县委组织部召开会议。"
    found = texts(text, find_agencies(text, []), "Agency")
    assert {"市委", "省总工会", "县委", "县委组织部"} <= found


def test_agency_head_running_into_a_longer_word_ends_no_name():
    text = "县委中心组开展学习，围绕县委中心工作走访南岭大学生创业园。"
    found = texts(text, find_agencies(text, []), "Agency")
    assert "县委" in found
    assert not any(name.endswith(("中心", "大学")) for name in found)


def test_class_words_before_an_institution_head_name_no_institution():
    from kg.extract.agencies import plausible_agency
    from kg.extract.places import find_places
    from kg.places import load_gazetteer

    text = "推动榆次区农村义务教育学校与榆次区城东小学结对。"
    found = texts(text, find_agencies(text, find_places(text, load_gazetteer())), "Agency")
    assert "榆次区城东小学" in found and "榆次区农村义务教育学校" not in found
    assert not plausible_agency("城区优质学校") and plausible_agency("山西农业大学")


def test_field_and_department_after_coordinated_prefixes():
    """省、市民政部门 names two offices; 市民 does not block 市 + 民政局; bare 民政部门 is none."""
    text = "在省、市财政部门的指导下，市民政局发放补贴，各地民政部门配合，市民积极参与。"
    cands = find_agencies(text, [])
    surfaces = {c.attrs.get("surface") or text[c.start:c.end] for c in cands}
    assert {"省财政部门", "市财政部门", "市民政局"} <= surfaces
    assert "民政部门" not in surfaces and not any(s.startswith("市民积") for s in surfaces)


def test_agency_with_place_prefix_and_subunit():
    text = "平遥县税务局第二税务分局完成征收工作。"
    place = Candidate(0, 3, "Place", "rule:gazetteer", 0.9, name="平遥县")
    found = texts(text, find_agencies(text, [place]), "Agency")
    assert {"平遥县税务局", "平遥县税务局第二税务分局"} <= found


@pytest.mark.parametrize("text, expected", [
    ("省委第三巡视组进驻平遥县。", "省委第三巡视组"),
    ("配合中央环保督察组开展工作。", "中央环保督察组"),
])
def test_inspection_teams_are_units(text, expected):
    """督导组, 巡视组, 工作组 …: units of the body named before them."""
    assert expected in texts(text, find_agencies(text, []), "Agency")


@pytest.mark.parametrize("text", ["加强村级党支部建设。", "祁县各级党组织全面落实。", "建成市级技术创新中心3个。"])
def test_a_level_word_names_a_class_not_a_unit(text):
    assert not texts(text, find_agencies(text, []), "Agency")


def test_team_head_alone_is_no_agency():
    assert not texts("成立工作组。", find_agencies("成立工作组。", []), "Agency")


def test_open_agency_left_trimmed():
    text = "来自山西农业大学的选手夺冠，市妇联与晋中信达有限公司签约。"
    found = texts(text, find_agencies(text, []), "Agency")
    assert "山西农业大学" in found
    assert "晋中信达有限公司" in found
    assert not any(a.startswith("来自") for a in found)


def test_fixed_national_forms():
    cands = find_agencies("坚持党中央集中统一领导，团市委开展活动。", [])
    templates = {c.attrs.get("template") for c in cands}
    assert {"中共中央", "共青团{place}委"} <= templates


@pytest.mark.parametrize(
    "text, expected",
    [
        ("推进“一泓清水入黄河”工程建设。", "一泓清水入黄河工程"),
        ("有序实施“碳达峰十大行动”。", "碳达峰十大行动"),
        ("开展“十乱”整治攻坚行动。", "十乱整治攻坚行动"),
        ("要实施高考卓越计划，力争突破。", "高考卓越计划"),
        # a noun that is also a stop word stays in the name when it stands right before the head
        ("实施农民工贴心帮扶服务工程，筹措资金。", "农民工贴心帮扶服务工程"),
        # a weak head takes a modifier made of nouns
        ("落实“4321”目标任务体系。", "4321目标任务体系"),
        # quotations before 等 and a described kind are names themselves
        ("发挥“银发顾问”“青年专家团”等柔性引才项目的作用。", "银发顾问"),
        ("发挥“银发顾问”“青年专家团”等柔性引才项目的作用。", "青年专家团"),
        # verbs that make a compound with the head stay in the name
        ("东环路老旧小区改造工程完工。", "东环路老旧小区改造工程"),
        ("开展了农村危房鉴定权限下放试点工作。", "农村危房鉴定权限下放试点"),
        ("全面贯彻河湖巡查负责制，推进治理。", "河湖巡查负责制"),
        # listed names before 等, a generic modifier and the head
        ("推进西环路积水点改造、南沟河道清淤等重点工程。", "西环路积水点改造工程"),
        ("推进西环路积水点改造、南沟河道清淤等重点工程。", "南沟河道清淤工程"),
        # a quoted campaign before an event head: the campaign and the meeting
        ("召开“河道清障百日行动”动员会。", "河道清障百日行动"),
        # a plan document's title names its campaign
        ("印发《推进快递网点建会专项行动方案》。", "快递网点建会专项行动"),
        ("出台《南岭镇人居环境“五乱”整治百日攻坚行动方案》。", "南岭镇人居环境五乱整治百日攻坚行动"),
        # a quoted project is what 建设 is done to, not part of its name
        ("完成“汾北湿地修复示范项目”建设。", "汾北湿地修复示范项目"),
        # before 等 and a bare head, the head is shared
        ("开展“送法进村”“送医上门”等主题活动。", "送医上门主题活动"),
        # a one-character stop word inside a common word does not cut (经 in 经济)
        ("坚持非公经济人士联谊制度。", "非公经济人士联谊制度"),
        # 各项 is stripped as one leading word
        ("完善各项河湖巡查工作机制。", "河湖巡查工作机制"),
        # a parenthesis inside the name stays in it
        ("推进东河湿地（北段）生态修复工程。", "东河湿地（北段）生态修复工程"),
        # in a plan title only the leading verb is cut; 的 may join title and document word
        ("印发《关于实施乡村道路提质三年行动计划的实施方案》。", "乡村道路提质三年行动计划"),
        # a verb of joining in before a program is not part of its name
        ("组织青年投身城乡融合发展战略。", "城乡融合发展战略"),
        ("把东坡水库纳入省级水网规划。", "省级水网规划"),
    ],
)
def test_initiatives(text, expected):
    names = {c.name or text[c.start:c.end] for c in find_initiatives(text) if c.label == "Initiative"}
    assert expected in names


def test_event_name_keeps_a_leading_youth_league():
    """共 is not stripped as a leading word: it begins 共青团."""
    text = "召开共青团平遥县委年中工作推进会。"
    names = {c.name or text[c.start:c.end] for c in find_initiatives(text) if c.label == "Event"}
    assert "共青团平遥县委年中工作推进会" in names


def _with_places(text):
    from kg.places import load_gazetteer
    from kg.extract.places import find_places

    return find_initiatives(text, find_places(text, load_gazetteer()))


@pytest.mark.parametrize("text, expected", [
    ("加快推进榆次东湖湿地公园项目建设。", {"榆次东湖湿地公园项目"}),
    ("平遥古城北门游客中心项目进展顺利。", {"平遥古城北门游客中心项目"}),
    # a place alone, a verb before the head, or no place at all names no project
    ("榆次区项目建设提速。", set()),
    ("榆次区集中开工项目32个。", set()),
    ("新建一批重点项目。", set()),
])
def test_project_names_begin_with_a_place(text, expected):
    assert {c.name or text[c.start:c.end] for c in _with_places(text) if c.label == "Initiative"} == expected


def test_counted_list_shares_its_head():
    text = "扎实开展河道清淤提质、“清四乱”回头看和绿化提升“三个专项行动”。"
    names = {c.name or text[c.start:c.end] for c in find_initiatives(text) if c.label == "Initiative"}
    assert {"河道清淤提质专项行动", "清四乱回头看专项行动", "绿化提升专项行动"} <= names
    # the count must match the items
    text = "实施河道清淤、绿化提升三大工程。"
    names = {c.name or text[c.start:c.end] for c in find_initiatives(text) if c.label == "Initiative"}
    assert not names & {"河道清淤工程", "绿化提升工程", "绿化提升三大工程"}


def test_quotation_does_not_close_on_a_title_mark():
    """“…《规划》…”: the opening “ pairs with ”, not with the 》 of a title inside."""
    text = "他强调：“要推进《规划》落实，实施清河攻坚行动。”"
    assert {c.name or text[c.start:c.end] for c in find_initiatives(text)} == {"清河攻坚行动"}


def test_generic_phrase_is_not_an_initiative():
    text = "持续推进各项行动。"
    assert not [c for c in find_initiatives(text) if c.label == "Initiative"]


@pytest.mark.parametrize("text", ["推进“制度化、规范化”提高工作。", "做好“惠民为民”宣传工作。", "开展专项行动。",
                                  "大力实施提升工程。", "推进改造工程。",
                                  # a description before 的, the kind after a list and 等,
                                  # slogans listed in one quotation before a weak head
                                  "这是利在千秋的德政工程。", "做到一切在大局下行动。",
                                  "落实述职述廉、民主评议等党建工作制度。",
                                  "倡导“讲诚信、重实干、守规矩”工作。",
                                  # a light verb takes the head as its object
                                  "各街道开展普查。",
                                  # a quoted sentence someone said, then 该项目
                                  "“主体已经封顶，我们有信心年底前投入使用。”该项目负责人说。"])
def test_not_initiatives(text):
    """A verb or a bare head after a quotation, or a verb before a bare head, names nothing."""
    assert not [c for c in find_initiatives(text) if c.label == "Initiative"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024年平遥县教育工作会议召开。", "2024年平遥县教育工作会议"),
        ("晋中市第七届围棋精英赛在市体育馆落幕。", "晋中市第七届围棋精英赛"),
        ("学习党的二十大精神。", "党的二十大"),
        ("贯彻市两会精神。", "市两会"),
        ("举办第三届职工书画巡回展活动。", "第三届职工书画巡回展活动"),
    ],
)
def test_events(text, expected):
    assert expected in texts(text, find_initiatives(text), "Event")


@pytest.mark.parametrize(
    "text, expected",
    [
        # a long modifier with digits between the quotation and the event head
        ("举办“巾帼心向党”庆祝建党100周年书画巡回展，", "巾帼心向党庆祝建党100周年书画巡回展"),
        # a relative prefix after a verb belongs to the event, to be resolved like 省委
        ("落实省“河湖清四乱”动员会精神。", "省河湖清四乱动员会"),
        # the end of a place name does not
        ("晋中市“庆三八”健康跑活动举行。", "庆三八健康跑活动"),
    ],
)
def test_quoted_events(text, expected):
    names = {c.name for c in find_initiatives(text) if c.label == "Event"}
    assert expected in names


def test_event_name_stops_at_the_verb():
    text = "市总工会主席王根元主持会议。"
    assert not texts(text, find_initiatives(text), "Event")


def test_merge_drops_title_inside_agency_and_keeps_nested_agencies():
    a1 = Candidate(0, 2, "Agency", "r", 0.8)
    a2 = Candidate(0, 5, "Agency", "r", 0.8)
    title = Candidate(3, 5, "Title", "r", 0.5)
    person = Candidate(6, 9, "Person", "ner", 0.9)
    out = merge([a1, a2, title], [person, Candidate(1, 3, "Place", "ner", 0.9)])
    assert a1 in out and a2 in out and person in out
    assert title not in out
    assert not any(c.label == "Place" for c in out)


def test_merge_keeps_a_model_name_inside_a_longer_name_only_where_a_name_can_stand():
    # 深化农村林地经营权改革: 林地 amid the words of an initiative is no person
    initiative = Candidate(2, 11, "Initiative", "rule:head", 0.55)
    assert [c.label for c in merge([initiative], [Candidate(4, 6, "Person", "ner", 0.8)])] == ["Initiative"]
    # 柳林湖湿地公园项目: the venue that begins a project's name is a place of its own;
    # a venue quoted as the core of a campaign (“先行示范区”攻坚行动) is not
    project = Candidate(0, 9, "Initiative", "rule:place+head", 0.55)
    venue = Candidate(0, 7, "Place", "rule:venue", 0.7)
    assert venue in merge([project, venue], [])
    campaign = Candidate(0, 12, "Initiative", "rule:quoted+head", 0.8)
    assert Candidate(1, 8, "Place", "rule:venue", 0.7) not in merge([campaign, Candidate(1, 8, "Place", "rule:venue", 0.7)], [])
    # 河东机械集团李红梅创新工作室: the name right after the company is kept
    studio = Candidate(0, 13, "Agency", "rule:agency", 0.8)
    company = Candidate(0, 6, "Agency", "rule:agency", 0.8)
    person = Candidate(6, 9, "Person", "ner", 0.8)
    assert person in merge([studio, company], [person])
    # 李红梅工作法: at the start of the name
    method = Candidate(0, 6, "Initiative", "rule:head", 0.55)
    assert Candidate(0, 3, "Person", "ner", 0.8) in merge([method], [Candidate(0, 3, "Person", "ner", 0.8)])


def test_model_spans_must_have_the_shape_of_their_type():
    from kg.extract.agencies import plausible_agency
    from kg.extract.people import plausible_person
    from kg.extract.places import plausible_place
    from kg.places import load_gazetteer

    g = load_gazetteer()
    assert plausible_person("侯瑞光") and plausible_person("欧阳明")
    assert not plausible_person("关于体")  # 关于 is a word, not a surname and a name
    assert not plausible_person("的确")
    assert plausible_agency("山西真跑者体育有限公司") and not plausible_agency("按照县委")
    assert not plausible_agency("全州政协")  # 全州: the whole prefecture, a scope word
    assert plausible_place("太原市", g) and plausible_place("晋中", g)
    assert not plausible_place("美丽乡村", g) and not plausible_place("青山", g)


def test_bare_core_after_a_comma_shares_the_prefix():
    text = "该乡党委、政府抢抓早。协同县委统战部、工商联开展工作。"
    surfaces = {c.attrs.get("surface") for c in find_agencies(text, []) if c.source == "rule:agency-coordinated"}
    assert surfaces == {"乡政府", "县工商联"}


@pytest.mark.parametrize(
    "text, names",
    [
        ("经过比拼，程建平、张俊明、苗霖瑞夺得5段组前三名。", {"程建平", "张俊明", "苗霖瑞"}),
        ("全国劳模、党的二十大代表刘桂珍走进职工中。", {"刘桂珍"}),
        ("工作取得实效。\n(皇甫会田)", {"皇甫会田"}),
        ("各代表团、各位代表参加会议。", set()),
        # a word running across the end of the would-be name (案件): no name
        ("及时化解职工信访案件。", set()),
    ],
)
def test_name_lists_roles_and_compound_surnames(text, names):
    assert texts(text, find_people(text), "Person") == names


@pytest.mark.parametrize("text, span, inside", [
    ("开展“安康杯”竞赛。", "安康", True),
    ("撑起“四梁八柱”。", "梁八柱", True),
    ("表彰“王建国”同志。", "王建国", False),  # the quotation is the name itself
    ("市长王建国出席。", "王建国", False),
    ("“创新”工作室主任王建国出席。", "王建国", False),
])
def test_person_inside_a_longer_quotation(text, span, inside):
    from kg.extract.components import inside_longer_quotation
    start = text.index(span)
    assert inside_longer_quotation(text, start, start + len(span)) is inside


def test_events_joined_by_ji_are_one():
    text = "山西省全民健身5K挑战赛·晋中站暨晋中市“庆三八”健康跑活动在公园鸣枪起跑。"
    names = {c.name or text[c.start:c.end] for c in find_initiatives(text) if c.label == "Event"}
    assert "山西省全民健身5K挑战赛·晋中站暨晋中市庆三八健康跑活动" in names


def test_a_string_a_rule_reads_as_a_person_is_no_model_place(nlp):
    """One sense per document: the model's place 韩立峰 in a headline gives way to the
    rule's person 韩立峰 (市长韩立峰) elsewhere in the text."""
    from kg.extract.candidates import Candidate
    from kg.extract.components import DROPPED_KEY, MENTIONS_KEY, NER_KEY, RULES_KEY, MentionMerger

    text = "市长韩立峰主持会议。韩立峰到通化县调研。"
    doc = nlp.make_doc(text)
    doc.user_data[RULES_KEY] = [Candidate(2, 5, "Person", "rule:title+name", 0.85)]
    doc.user_data[NER_KEY] = [Candidate(10, 13, "Place", "ner", 0.8), Candidate(14, 17, "Place", "ner", 0.9)]
    MentionMerger(nlp, "kg_merge")(doc)
    final = {(text[c.start:c.end], c.label) for c in doc.user_data[MENTIONS_KEY]}
    assert ("韩立峰", "Place") not in final and ("通化县", "Place") in final
    assert any(d[:3] == (10, 13, "Place") and d[4] == "merge" for d in doc.user_data[DROPPED_KEY])


@pytest.mark.parametrize("text, name", [
    ("吉克石一出席会议", "吉克石一"),  # a Yi clan name and a two-character given name
    ("阿苦木呷带队调研", "阿苦木呷"),
    ("刘婷通讯员王芳", "刘婷"),  # a byline with its spaces taken out
    ("景遥摄）", "景遥"),  # a photo credit
    ("马海波出席会议", "马海波"),  # 马 + 海波, though 马海 is a clan name too
])
def test_name_length_from_what_follows(text, name):
    assert text[:name_at(text, 0)] == name

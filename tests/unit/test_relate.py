"""Relation rules and name resolution on short documents of our own, through the whole
per-document pipeline (read → … → relate)."""
import pytest

from kg.pipeline import process_raw
from kg.types import RawDoc


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text: str):
        result = process_raw(RawDoc("t.txt", "t.txt", text), nlp)
        rels = {(r.type, r.source[1], r.target[1], r.title) for r in result.relations}
        ents = {(e.type, e.name) for e in result.entities}
        return result, ents, rels

    return _run


CITY_PAGE = (
    "本报讯（记者李文）4月2日，长治市第三届乒乓球公开赛在市体育馆开幕。本次比赛由市体育局指导，"
    "市乒乓球协会主办。市人大常委会副主任、市总工会主席韩立军出席开幕式。\n"
    "潞州区、上党区、屯留区的选手参加比赛。市总工会联合长治医学院开展“健康进企业”活动。"
    "市委、市政府召开会议。"
)


def test_home_place_and_relative_names(run):
    result, ents, _ = run(CITY_PAGE)
    assert result.jurisdiction == "长治市"
    for name in ("长治市体育局", "长治市乒乓球协会", "长治市人大常委会", "长治市总工会", "长治市委", "长治市政府"):
        assert ("Agency", name) in ents
    assert ("Place", "长治市体育馆") in ents  # a venue with a relative prefix


COUNTY_CITY_SUMMARY = (
    "一年来，在鹰潭市委、市政府的坚强领导下，我市认真贯彻省委部署。贵溪市全年地区生产总值增长6%。"
    "市委、市政府把优化营商环境作为一号工程，市总工会开展劳动技能竞赛，市妇联组织巾帼志愿服务。"
    "贵溪市新增市场主体3200户，贵溪市农业产业化稳步推进，全市粮食总产量保持稳定。"
)


def test_a_county_level_city_calls_itself_shi(run):
    """贵溪市 is a county-level city under 鹰潭市: in its own summary 市委, 我市 and
    市总工会 are its own, not its prefecture's (guidelines: 我市 = the home place)."""
    result, ents, _ = run(COUNTY_CITY_SUMMARY)
    assert result.jurisdiction == "贵溪市"
    for name in ("贵溪市委", "贵溪市政府", "贵溪市总工会", "贵溪市妇联"):
        assert ("Agency", name) in ents
    assert ("Agency", "鹰潭市总工会") not in ents


NATIONAL_REPORT = (
    "过去一年，全国经济运行稳中有进。我国粮食产量再创新高，国务院推动各地落实党中央部署。"
    "浦东新区开发开放迈出新步伐，大庆市稳定原油生产，青岛市港口吞吐量增长。"
    "全国城镇新增就业1200万人，我国对外开放不断扩大。"
)


def test_national_report_has_the_country_as_home(run):
    """Places named all over the country in a text that speaks of 全国/我国: the home
    place is 中国, so nothing is resolved against one of the cities it happens to name."""
    result, ents, _ = run(NATIONAL_REPORT)
    assert result.jurisdiction == "中国"
    assert ("Place", "大庆市") in ents
    local, _, _ = run("浦东新区召开会议。区委书记出席。全区经济稳中有进，区政府部署工作。")
    assert local.jurisdiction == "浦东新区"


PROVINCE_REPORT = (
    "过去一年，全省经济稳中向好。省委、省政府坚持稳中求进。太原市工业增长，大同市、长治市、"
    "晋中市服务业较快增长，运城市农业丰收，临汾市、吕梁市生态治理成效明显。我省深化改革，"
    "全省新增就业40万人。省总工会开展职工技能竞赛。"
)


def test_provincial_report_has_its_province_as_home(run):
    """省-relative words and cities all over one province: the province is the home."""
    result, ents, _ = run(PROVINCE_REPORT)
    assert result.jurisdiction == "山西省"
    assert {("Agency", "山西省委"), ("Agency", "山西省总工会")} <= ents


def test_title_chain_gives_two_posts(run):
    _, _, rels = run(CITY_PAGE)
    assert ("holds_position", "韩立军", "长治市人大常委会", "副主任") in rels
    assert ("holds_position", "韩立军", "长治市总工会", "主席") in rels


def test_located_in_and_part_of(run):
    _, _, rels = run(CITY_PAGE)
    assert ("located_in", "长治市总工会", "长治市", "") in rels
    assert ("located_in", "长治市第三届乒乓球公开赛", "长治市体育馆", "") in rels
    assert ("part_of", "潞州区", "长治市", "") in rels
    assert ("part_of", "长治市体育馆", "长治市", "") in rels


def test_involved_in_through_a_back_reference(run):
    _, _, rels = run(CITY_PAGE)
    assert ("involved_in", "长治市体育局", "长治市第三届乒乓球公开赛", "") in rels
    assert ("involved_in", "长治市乒乓球协会", "长治市第三届乒乓球公开赛", "") in rels
    assert ("involved_in", "长治市总工会", "健康进企业活动", "") in rels


def test_involved_in_through_the_tail_of_the_event_name(run):
    """An article names its event once in full, then by the tail of the name: 观摩职业技能竞赛,
    本次培训班由…举办."""
    _, _, rels = run(
        "本报讯（记者王芳）5月8日，2024年运城市职工职业技能竞赛在运城技师学院举行。"
        "市委书记张建国观摩职业技能竞赛。\n"
        "5月9日，运城市乡村振兴带头人培训班开班。本次培训班由市委组织部、市农业农村局联合举办。"
    )
    assert ("involved_in", "张建国", "2024年运城市职工职业技能竞赛", "") in rels
    assert ("involved_in", "运城市委组织部", "运城市乡村振兴带头人培训班", "") in rels
    assert ("involved_in", "运城市农业农村局", "运城市乡村振兴带头人培训班", "") in rels


def test_coordinated_subject_issues_a_plan(run):
    """Both bodies of a coordinated subject take part; issuing a campaign's plan
    organizes it."""
    _, ents, rels = run("平遥县古陶镇召开会议。古陶镇党委、政府出台了《古陶镇“清河”百日攻坚行动方案》，坚持全员参与。")
    initiative = next(name for label, name in ents if label == "Initiative")
    assert ("involved_in", "古陶镇党委", initiative, "") in rels
    assert ("involved_in", "古陶镇政府", initiative, "") in rels


def test_cooperation(run):
    _, _, rels = run(CITY_PAGE)
    assert ("cooperates_with", "长治医学院", "长治市总工会", "") in rels or \
        ("cooperates_with", "长治市总工会", "长治医学院", "") in rels


def test_sub_organization_by_nesting(run):
    _, ents, rels = run("平遥县税务局第二税务分局完成征收。县委组织部召开会议。")
    assert ("sub_organization_of", "平遥县税务局第二税务分局", "平遥县税务局", "") in rels
    assert ("Agency", "平遥县委组织部") in ents
    assert ("sub_organization_of", "平遥县委组织部", "平遥县委", "") in rels
    _, ents, _ = run("祁县召开会议。县委组织部召开会议。")
    assert ("Agency", "祁县县委组织部") in ents  # a one-character county keeps 县委


def test_implied_national_post(run):
    _, ents, rels = run("全县深入学习习近平总书记重要讲话精神。平遥县委召开会议。")
    assert ("holds_position", "习近平", "中共中央", "总书记") in rels
    assert ("located_in", "中共中央", "中国", "") in rels


def test_coordinated_prefixes_and_villages(run):
    _, ents, _ = run("建始县政协协助省、州政协完成组稿。县政协委员到高坪镇调研。")
    assert ("Agency", "湖北省政协") in ents
    assert ("Agency", "恩施土家族苗族自治州政协") in ents
    assert not any(name.endswith("政协委") for _, name in ents)


def test_places_listed_with_a_shared_level_word(run):
    _, ents, _ = run("介休市绵山镇召开会议。专家先后到大靳、小靳等村考察。绵山镇干部参加。")
    assert ("Place", "大靳村") in ents and ("Place", "小靳村") in ents


def test_listed_village_the_gazetteer_lacks_joins_its_neighbours(run):
    """青柳 is no village of 绵山镇 in the gazetteer; listed with two that are, it is read
    as one of them, under the same township."""
    _, ents, rels = run("介休市绵山镇召开会议。专家先后到大靳、青柳、小靳等村考察。绵山镇干部参加。")
    assert ("Place", "青柳村") in ents
    assert ("part_of", "青柳村", "绵山镇", "") in rels
    # alone, an unknown name before 等村 is not taken
    _, ents, _ = run("介休市绵山镇召开会议。专家先后到青柳等村考察。")
    assert ("Place", "青柳村") not in ents


def test_local_venue_lies_in_the_village_it_is_named_after(run):
    _, ents, rels = run("介休市绵山镇召开会议。靳凌村建成阳光靳凌文体广场。")
    assert ("Place", "阳光靳凌文体广场") in ents
    assert ("part_of", "阳光靳凌文体广场", "靳凌村", "") in rels


def test_unit_named_without_its_body_takes_the_full_name(run):
    _, ents, rels = run("介休市税务局第一税务分局完成征收工作。第一税务分局局长郭树书介绍了情况。")
    assert ("holds_position", "郭树书", "介休市税务局第一税务分局", "局长") in rels
    assert ("Agency", "第一税务分局") not in ents


def test_title_running_into_the_agency_name(run):
    _, _, rels = run("介休市绵山镇召开会议。东山村党总支书记田志明介绍经验。绵山镇党委委员、副镇长王海涛讲话。")
    assert ("holds_position", "田志明", "东山村党总支", "书记") in rels
    assert ("holds_position", "王海涛", "绵山镇党委", "委员") in rels


def test_short_unit_forms_merge(run):
    _, ents, _ = run("忻州市总工会召开会议。忻州市工会第三次代表大会开幕。")
    assert ("Agency", "忻州市工会") not in ents
    assert ("Event", "忻州市总工会第三次代表大会") in ents or ("Event", "忻州市工会第三次代表大会") in ents


def test_home_venues_and_their_parts(run):
    _, ents, rels = run("本报讯 晋中市总工会召开会议。工人文化宫体育活动中心正式对职工开放，市总工会在工人文化宫举办展览。")
    assert ("Place", "晋中市工人文化宫") in ents
    assert ("Place", "晋中市工人文化宫体育活动中心") in ents
    assert ("part_of", "晋中市工人文化宫体育活动中心", "晋中市工人文化宫", "") in rels


def test_units_listed_after_their_body_and_law_titles(run):
    _, ents, rels = run("本报讯 晋中市潇河流域管理中心召开会议。该中心要求信息管理科、灌溉管理科等部门排查隐患。"
                        "学习《中华人民共和国工会法》。")
    assert ("Agency", "晋中市潇河流域管理中心信息管理科") in ents
    assert ("sub_organization_of", "晋中市潇河流域管理中心灌溉管理科", "晋中市潇河流域管理中心", "") in rels
    assert ("located_in", "晋中市潇河流域管理中心灌溉管理科", "晋中市", "") in rels
    assert not any(name.endswith("工会") for t, name in ents if t == "Agency")


def test_fronted_target_and_topic_by_actor(run):
    _, _, rels = run("本报讯 在推进“我为职工办实事”实践活动中，长治市总工会坚持学践结合。"
                     "长治市第二届围棋公开赛由长治市体育局指导，长治市围棋协会主办。")
    assert ("involved_in", "长治市总工会", "我为职工办实事实践活动", "") in rels
    assert ("involved_in", "长治市体育局", "长治市第二届围棋公开赛", "") in rels
    assert ("involved_in", "长治市围棋协会", "长治市第二届围棋公开赛", "") in rels


def test_an_event_of_a_one_article_text_lies_in_its_home(run):
    """A county named twice narrows relative words (县委) in the only article, but the
    meeting the city's text reports, with no place in its name, is the city's."""
    _, _, rels = run(
        "2023年，遂宁市坚持项目为王，市委、市政府召开“抓项目、抓招商”工作动员部署大会，全市签约项目120个。"
        "蓬溪县新建产业园区2个，蓬溪县工业增加值增长9%。我市全年地区生产总值增长6.5%，市总工会开展劳动竞赛。")
    assert ("located_in", "抓项目、抓招商工作动员部署大会", "遂宁市", "") in rels
    assert ("located_in", "抓项目、抓招商工作动员部署大会", "蓬溪县", "") not in rels


def test_names_without_a_han_surname_after_their_titles(run):
    """A transliterated name runs on after its middle dot, and a title licenses a name
    whose first character is no surname (Tibetan, Mongolian names)."""
    _, ents, rels = run(
        "温泉县召开全县工作会议。县委副书记、县长艾力·买买提深入乡镇调研。县妇联主席才让卓玛出席活动。")
    assert ("Person", "艾力·买买提") in ents and ("Person", "艾力") not in ents
    assert ("Person", "才让卓玛") in ents
    assert ("holds_position", "艾力·买买提", "温泉县政府", "县长") in rels
    assert ("holds_position", "才让卓玛", "温泉县妇联", "主席") in rels


PROVINCIAL_BODY = (
    "江西省水利厅2023年工作总结\n"
    "2023年，在水利部和省委、省政府的坚强领导下，全省水利系统深入贯彻党的二十大精神。"
    "南昌、九江、赣州、上饶等地未发生重大险情，我们启动抗旱四级应急响应。"
    "与湖南、湖北、安徽、广东、福建等省份签订跨省流域横向生态补偿协议。"
    "全省各级河湖长巡河120万人次，厅党组认真开展主题教育，全国农村供水规模化现场会在我省召开。"
)


def test_the_title_names_the_home_over_the_counts(run):
    """A county-level city's bureau names its prefecture as often as itself; the title
    says whose summary it is. A title that opens with a date and a paper counts too."""
    body = ("在市委、市政府的领导和滁州市人社局的指导下，我局完成了滁州市下达的任务。"
            "滁州市人社局表彰了我局。滁州市召开了就业工作会议，天长市作了发言。市人社局开展了技能培训。")
    result, ents, _ = run("# 天长市人力资源和社会保障局2023年工作总结\n\n" + body)
    assert result.jurisdiction == "天长市"
    assert ("Agency", "天长市人社局") in ents or ("Agency", "天长市人力资源和社会保障局") in ents
    result, _, _ = run("# 2023年工作总结\n\n" + body)
    assert result.jurisdiction == "滁州市"  # no title place: the counts decide
    result, _, _ = run("2024年4月18日 星期四　盐城日报　A2 要闻\n\n本报讯 大丰区召开会议，大丰区委书记讲话。")
    assert result.jurisdiction == "盐城市"


def test_a_bodys_own_summary_names_its_parts_by_its_head(run):
    """局党组, 局机关第一党支部 in the 人社局's summary are the author's; the inspection
    team stationed there is the commission's, with the inner relative name written out."""
    _, ents, rels = run(
        "# 天长市人力资源和社会保障局2023年工作总结\n\n"
        "局党组书记、局长周宏伟带头讲党课，局机关第一党支部获评先进党支部。"
        "市纪委监委驻市人社局纪检监察组开展监督。局党组召开会议。")
    agencies = {name for label, name in ents if label == "Agency"}
    assert "天长市人力资源和社会保障局机关第一党支部" in agencies
    assert "天长市纪委监委驻天长市人社局纪检监察组" in agencies
    assert not any(name.endswith("驻天长市人社局") or name.startswith("局") for name in agencies)
    assert ("holds_position", "周宏伟", "天长市人力资源和社会保障局", "局长") in rels  # the author's post


def test_the_author_of_a_summary_cooperates_with_the_partners_it_lists(run):
    """协同县委统战部、工商联加强… in the 县政协's own summary: the unstated subject is the
    body the title names, and each listed partner works with it."""
    _, _, rels = run("# 建始县政协2023年工作总结\n\n"
                     "县政协协同县委统战部、县工商联加强商会建设，联合县财政局开展调研。县政协召开常委会议。")
    pairs = {frozenset((a, b)) for t, a, b, _ in rels if t == "cooperates_with"}
    for partner in ("建始县委统战部", "建始县工商联", "建始县财政局"):
        assert frozenset(("建始县政协", partner)) in pairs


def test_a_session_is_organized_by_the_body_named_around_its_term(run):
    _, _, rels = run("# 昭觉县2023年工作总结\n\n县人大依法履职。县十届人大三次会议胜利召开。县政协十一届二次会议召开。")
    assert ("involved_in", "昭觉县人大", "昭觉县十届人大三次会议", "") in rels
    assert ("involved_in", "昭觉县政协", "昭觉县政协十一届二次会议", "") in rels


def test_a_provincial_body_is_homed_in_its_province(run):
    """全省, 省委, 我省 and places spread over the province's cities and the provinces it
    works with: the province speaks, not the country (the spread rule) nor one city."""
    result, ents, _ = run(PROVINCIAL_BODY)
    assert result.jurisdiction == "江西省"
    assert ("Agency", "江西省委") in ents and ("Agency", "江西省政府") in ents


def test_actors_between_you_and_de_organize_the_event(run):
    """由 A、B 联合主办，C 承办的 E: all three take part in E; and a clause that only
    lists people with their posts shares the verb of the next one."""
    _, _, rels = run(
        "通化市人民政府\n6月11日，由市委组织部、市农业农村局联合主办，柳河县委组织部承办的"
        "全市乡村振兴带头人培训班在柳河县开班。柳河县委书记王春雷，市农业农村局局长丁振国参加开班仪式。")
    event = "通化市乡村振兴带头人培训班"
    for actor in ("通化市委组织部", "通化市农业农村局", "柳河县委组织部", "王春雷", "丁振国"):
        assert ("involved_in", actor, event, "") in rels, actor


@pytest.mark.parametrize("text, person, department, committee", [
    ("通化市召开会议。市委常委、组织部部长刘振宇出席并讲话。", "刘振宇", "通化市委组织部", "通化市委"),
    ("温宿县召开会议。县委常委、政法委书记李建军主持。", "李建军", "温宿县委政法委", "温宿县委"),
])
def test_a_department_after_a_standing_member_belongs_to_the_committee(run, text, person, department, committee):
    _, ents, rels = run(text)
    assert ("Agency", department) in ents
    assert ("holds_position", person, department, "部长" if "部长" in text else "书记") in rels
    assert ("holds_position", person, committee, "常委") in rels


def test_a_transliterated_name_ends_before_the_next_word(run):
    _, ents, _ = run("温宿县2023年工作总结。县委副书记、县长艾尔肯·吐尔逊带头落实包联制度。"
                     "村党支部书记麦麦提艾力·阿布拉发言。县委书记刘三姐故里·山歌擂台赛。")
    assert ("Person", "艾尔肯·吐尔逊") in ents
    assert ("Person", "麦麦提艾力·阿布拉") in ents  # a first part longer than a Han given name
    assert not any(name.startswith("刘三姐故里") for _, name in ents)  # 故里 is a word, not a name


def test_bodies_listed_before_lianhe_cooperate(run):
    """县工商联、县市场监管局联合开展…: the listed bodies work together; the partners
    listed after 与 with no subject do not cooperate with one another."""
    _, _, rels = run("建水县2023年工作总结\n\n县工商联、县市场监管局联合开展“万企兴万村”行动。"
                     "与云南大学、昆明理工大学签署战略合作协议。")
    assert ("cooperates_with", "建水县工商联", "建水县市场监管局", "") in rels
    assert not any(r[0] == "cooperates_with" and {r[1], r[2]} == {"云南大学", "昆明理工大学"} for r in rels)


def test_the_subject_of_a_cooperation_is_in_the_partners_clause(run):
    _, _, rels = run("建水县2023年工作总结\n\n建水县第五中学扩建项目投入使用，建水县职业高级中学与云南工艺美术学院合作开设紫陶专业。")
    pairs = {frozenset(r[1:3]) for r in rels if r[0] == "cooperates_with"}
    assert frozenset({"建水县职业高级中学", "云南工艺美术学院"}) in pairs
    assert frozenset({"建水县第五中学", "云南工艺美术学院"}) not in pairs


def test_a_legal_form_is_no_unit_of_the_shorter_name(run):
    """北部湾投资集团有限公司 is 北部湾投资集团 under its legal form; 分公司 is a unit."""
    _, ents, rels = run("河池市人民政府与北部湾投资集团签约。北部湾投资集团有限公司董事长出席，"
                        "北部湾投资集团河池分公司负责实施。")
    subs = {(r[1], r[2]) for r in rels if r[0] == "sub_organization_of"}
    assert ("北部湾投资集团有限公司", "北部湾投资集团") not in subs
    assert ("北部湾投资集团河池分公司", "北部湾投资集团") in subs


def test_a_task_tables_rows_give_the_task_and_its_units(run):
    """Columns kept apart by ideographic spaces: the first cell is the task, the units
    of the second carry it out."""
    _, ents, rels = run("# 昭觉县2023年工作总结\n\n重点项目推进情况如下：\n"
                        "昭觉县中医医院迁建项目\u3000县卫生健康局\u30002025年6月\n"
                        "竹核温泉康养小镇二期\u3000县文广旅局、竹核镇\u30002024年12月\n"
                        "项目名称\u3000责任单位\u3000完成时限\n")
    assert ("Initiative", "竹核温泉康养小镇二期") in ents
    assert ("involved_in", "昭觉县卫生健康局", "昭觉县中医医院迁建项目", "") in rels
    assert ("involved_in", "昭觉县文广旅局", "竹核温泉康养小镇二期", "") in rels
    assert not any(name == "项目名称" for _, name in ents)

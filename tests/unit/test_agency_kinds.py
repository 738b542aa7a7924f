"""Agency kinds that documents from other provinces name, on sentences of our own: lists
of places sharing one unit, courts, procuratorates and public security with their
branches, companies and banks, media and institutions, working bodies named after a
task; each with the generic phrases that must not be taken, and the canonical names
(relative names written out against the home place)."""
import pytest

from kg.extract.agencies import find_agencies
from kg.pipeline import process_raw
from kg.types import RawDoc


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text: str):
        result = process_raw(RawDoc("t.txt", "t.txt", text), nlp)
        agencies = {e.name for e in result.entities if e.type == "Agency"}
        subs = {(r.source[1], r.target[1]) for r in result.relations if r.type == "sub_organization_of"}
        return result, agencies, subs

    return _run


def rule_names(text: str) -> set[str]:
    from kg.extract.places import find_places
    from kg.places import load_gazetteer

    places = find_places(text, load_gazetteer())
    return {c.attrs.get("surface") or text[c.start:c.end] for c in find_agencies(text, places)}


# 1. places or prefixes listed before one unit

def test_places_listed_before_one_core_each_get_it(run):
    result, agencies, _ = run("郴州市召开全市政法工作会议。郴州市经济稳步增长。苏仙区、北湖区人民检察院联合开展专项监督。"
                              "郴州市和永州市公安局签订协作协议。")
    assert result.jurisdiction == "郴州市"
    assert {"苏仙区人民检察院", "北湖区人民检察院", "郴州市公安局", "永州市公安局"} <= agencies


def test_counted_levels_share_the_unit(run):
    """省、市、县三级工会 and 市、区两级法院: each level's body, written out against the home
    place (市法院 in a 郴州 document is 郴州市法院); a level with no home to resolve to is
    left out."""
    _, agencies, _ = run("桂阳县召开全县工会工作会议。桂阳县经济稳步增长。省、市、县三级工会联动开展帮扶，"
                         "市、县两级法院参加。")
    assert {"湖南省总工会", "郴州市总工会", "桂阳县总工会", "郴州市法院", "桂阳县法院"} <= agencies
    _, agencies, _ = run("郴州市召开会议。省市县三级工会组织慰问，郴州、永州两市公安局签订协议。")
    assert {"湖南省总工会", "郴州市总工会", "郴州市公安局", "永州市公安局"} <= agencies
    assert not any("两市" in a or "三级" in a for a in agencies)


@pytest.mark.parametrize("text, absent", [
    ("郴州市召开会议。各省、市政府高度重视。", ("省政府", "市政府")),  # a class of bodies
    ("郴州市召开会议。省、市三级医院参加。", ("省三级医院", "市三级医院")),  # a grade, not a count of two
    ("郴州市和北湖区公安局签订协议。", ("郴州市公安局",)),  # 和 between two levels joins a place and a body
    ("苏仙区、北湖区第一中学举行联考。", ("苏仙区第一中学",)),  # only a core is shared after places
])
def test_lists_that_share_no_unit(text, absent):
    found = rule_names(text)
    assert not any(a in found for a in absent)


# 2. courts, procuratorates, public security, supervision commissions

def test_judicial_and_public_security_units(run):
    _, agencies, subs = run("郴州市政法工作总结。北湖区人民法院华塘法庭巡回审理，苏仙区公安局白露塘派出所破获案件，"
                            "市检察院第二检察部办理案件，市纪委监委通报，市中级人民法院、市人民检察院召开联席会议，"
                            "市公安局交警支队开展整治。各级法院、各级检察院、公安机关、有关部门、相关部门积极配合。")
    assert {"北湖区人民法院华塘法庭", "苏仙区公安局白露塘派出所", "郴州市检察院第二检察部", "郴州市纪委监委",
            "郴州市中级人民法院", "郴州市人民检察院", "郴州市公安局交警支队"} <= agencies
    assert ("北湖区人民法院华塘法庭", "北湖区人民法院") in subs
    assert ("郴州市检察院第二检察部", "郴州市检察院") in subs
    assert not any(a.endswith(("各级法院", "各级检察院", "公安机关", "有关部门", "相关部门")) for a in agencies)


def test_discipline_inspection_units():
    found = rule_names("郴州市纪委监委派驻第三纪检监察组进驻，市监察委员会立案审查。")
    assert {"郴州市纪委监委派驻第三纪检监察组", "市监察委员会"} <= found


# 3. companies, banks and their branches

def test_companies_with_a_proper_name(run):
    _, agencies, subs = run(
        "郴州市推进招商引资。湖南华菱钢铁集团、郴州市城市建设投资发展集团有限公司、苏仙区永丰农机专业合作社签约，"
        "郴州卷烟厂增产。中国农业银行郴州分行和中国建设银行北湖支行提供贷款，工行郴州分行加大投放。")
    assert {"湖南华菱钢铁集团", "郴州市城市建设投资发展集团有限公司", "苏仙区永丰农机专业合作社", "郴州卷烟厂",
            "中国农业银行郴州分行", "中国建设银行北湖支行", "中国工商银行郴州分行"} <= agencies
    assert ("中国建设银行北湖支行", "中国建设银行") in subs
    assert "郴州市城市建设投资发展集团" not in agencies  # the legal form belongs to the name


def test_short_brand_forms():
    found = rule_names("华菱科技、金瑞股份等企业参加签约，九芝堂药业与其合作。")
    assert {"华菱科技", "金瑞股份", "九芝堂药业"} <= found


@pytest.mark.parametrize("text", [
    "龙头企业、各类企业、有关企业和该公司积极参与。",
    "上市公司、国有商业银行和农民专业合作社加快发展。",
    "郴州市关闭小煤矿12处，推进矿产资源整合。",
    "推动科技创新，开发新能源，发展深海科技等新兴产业。",
    "我国许多轻工业工厂扩大生产。",
])
def test_classes_of_enterprises_are_no_names(text):
    assert not rule_names(text)


# 4. media and institutions

def test_media_with_a_place_or_a_national_agency(run):
    _, agencies, subs = run("郴州市宣传工作。郴州日报社、郴州广播电视台、北湖区融媒体中心、郴州新闻网、郴州晚报和"
                            "新华社湖南分社记者参加采访，湖南日报报道。新闻媒体、主流媒体广泛关注，实行日报告制度。")
    assert {"郴州日报社", "郴州广播电视台", "北湖区融媒体中心", "郴州新闻网", "郴州晚报", "湖南日报",
            "新华通讯社湖南分社"} <= agencies
    assert ("新华通讯社湖南分社", "新华通讯社") in subs
    assert not any(a.endswith(("媒体", "日报告")) for a in agencies)


def test_schools_and_hospitals(run):
    _, agencies, subs = run("郴州市教育卫生工作。郴州市第一中学、郴州市中心医院、嘉禾县妇幼保健院、"
                            "湖南大学化学化工学院、市中心血站参加会议。")
    assert {"郴州市第一中学", "郴州市中心医院", "嘉禾县妇幼保健院", "湖南大学化学化工学院", "郴州市中心血站"} <= agencies
    assert "郴州市中心" not in agencies
    assert ("湖南大学化学化工学院", "湖南大学") in subs


# 5. working bodies named after a task, offices of a field

def test_task_bodies_attached_to_their_place_or_body(run):
    _, agencies, subs = run("郴州市生态保护工作。市河长办、市委全面深化改革领导小组办公室、市疫情防控指挥部、"
                            "市招商引资工作专班、市委办、市政府办召开会议。北湖区创建全国文明城市工作指挥部成立。")
    assert {"郴州市河长办", "郴州市委全面深化改革领导小组", "郴州市委全面深化改革领导小组办公室",
            "郴州市疫情防控指挥部", "郴州市招商引资工作专班", "郴州市委办公室", "郴州市政府办公室",
            "北湖区创建全国文明城市工作指挥部"} <= agencies
    assert ("郴州市委全面深化改革领导小组办公室", "郴州市委全面深化改革领导小组") in subs


@pytest.mark.parametrize("text, absent", [
    ("县委常委会研究部署防汛指挥部工作。", "指挥部"),  # a meeting deciding, not a name
    ("国务院已责成经济体制改革委员会办理。", "责成"),
    ("市委办好民生实事，县政府办理提案。", "办"),  # 办 runs into a verb
])
def test_sentences_are_not_task_bodies(run, text, absent):
    _, agencies, _ = run("桂阳县工作总结。桂阳县经济稳步增长。" + text)
    assert not any(absent in name for name in agencies)


def test_reform_era_department_names_and_prefecture_committees(nlp):
    """Department names of the 2018-2019 institutional reform (林业和草原局, 文化体育广播电视
    和旅游局), a county's 安委会, and a prefecture's 地委 and 行署 (地委 keeps the short
    form it is written in; 行署 after it is the 地区's)."""
    from kg.pipeline import process_raw
    from kg.types import RawDoc

    result = process_raw(RawDoc("t.txt", "t.txt", (
        "温宿县2023年工作总结\n\n在自治区党委和阿克苏地委、行署的坚强领导下，县委、县政府团结奋进。"
        "县林业和草原局组织开展林果提质增效，县文化体育广播电视和旅游局举办第三届核桃文化节。"
        "县安委会成员单位开展安全检查。")), nlp)
    names = {e.name for e in result.entities if e.type == "Agency"}
    for name in ("阿克苏地委", "阿克苏地区行署", "温宿县林业和草原局", "温宿县文化体育广播电视和旅游局", "温宿县安委会"):
        assert name in names, name
    assert "阿克苏地区地委" not in names

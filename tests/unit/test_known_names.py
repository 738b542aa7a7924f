"""Names that general lists make findable, on sentences of our own: national bodies,
places that are not divisions (roads, railways, ports, zones, rivers), recurring events,
foreign countries and international organizations. Each list also has its generic
phrases that must stay unnamed."""
import pytest

from kg.extract.agencies import find_agencies
from kg.extract.initiatives import find_initiatives
from kg.extract.places import find_places, find_venues
from kg.pipeline import process_raw
from kg.places import load_gazetteer
from kg.types import RawDoc


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def spans(text, cands, label):
    return {text[c.start:c.end] for c in cands if c.label == label}


def agencies(text, gaz):
    found = find_agencies(text, find_places(text, gaz))
    return {text[c.start:c.end]: c.attrs.get("template", "") for c in found}


def venues(text, gaz):
    return spans(text, find_venues(text, find_places(text, gaz)), "Place")


@pytest.fixture(scope="module")
def run(nlp):
    def _run(text):
        result = process_raw(RawDoc("t.txt", "t.txt", text), nlp)
        ents = {(e.type, e.name) for e in result.entities}
        rels = {(r.type, r.source[1], r.target[1]) for r in result.relations}
        return result, ents, rels

    return _run


# --------------------------------------------------------------- national bodies
def test_national_bodies_by_their_short_forms(gaz):
    text = "国家发改委、财政部、人民银行会同工信部、中组部和新华社部署工作，住建部、国家卫健委参加。"
    found = agencies(text, gaz)
    assert found["国家发改委"] == "国家发展和改革委员会"
    assert found["人民银行"] == "中国人民银行"
    assert found["工信部"] == "工业和信息化部"
    assert found["中组部"] == "中共中央组织部"
    assert found["新华社"] == "新华通讯社"
    assert found["住建部"] == "住房和城乡建设部"
    assert found["国家卫健委"] == "国家卫生健康委员会"
    assert found["财政部"] == "财政部"


def test_former_bodies_of_older_reports(gaz):
    found = agencies("国家计委和国家经贸委牵头，铁道部、国家体改委配合。", gaz)
    assert found["国家计委"] == "国家计划委员会"
    assert found["国家经贸委"] == "国家经济贸易委员会"
    assert found["铁道部"] == "铁道部"
    assert found["国家体改委"] == "国家经济体制改革委员会"


def test_national_prefix_belongs_to_the_mention(gaz):
    found = agencies("中华人民共和国外交部发表声明，国家教育部随后发文。", gaz)
    assert found["中华人民共和国外交部"] == "外交部"
    assert found["国家教育部"] == "教育部"


def test_a_form_inside_another_word_or_body_is_no_national_body(gaz):
    # 部门 / 部署 run across the form's end; a place, a relative prefix or a company
    # before it means another body of the same name
    text = "各级教育部门和财政部门要抓好落实，公安部署了行动。美国国防部、市商务部和公司人事部也在其列，电子商务部开张。"
    found = agencies(text, gaz)
    assert not {"教育部", "财政部", "公安部", "国防部", "商务部", "人事部"} & set(found)


def test_national_body_lies_in_china_not_in_the_home_county(run):
    text = ("祁县县委召开会议。县委书记武建新要求，县教育局、县财政局落实好教育部和国家发改委的部署，"
            "全县上下抓好落实。县政府、县人大配合。")
    result, ents, rels = run(text)
    assert result.jurisdiction == "祁县"
    assert ("Agency", "国家发展和改革委员会") in ents and ("Agency", "教育部") in ents
    assert ("located_in", "国家发展和改革委员会", "中国") in rels
    assert ("located_in", "教育部", "中国") in rels
    assert not any(r[0] == "located_in" and r[1] in ("教育部", "国家发展和改革委员会") and r[2] == "祁县" for r in rels)
    assert ("Place", "中国") in ents


# ------------------------------------------------ countries, international bodies
def test_foreign_countries_are_places_outside_china(run):
    _, ents, rels = run("过去一年，我国同美国、日本、俄罗斯、南非开展合作。前苏联和南斯拉夫的经验值得借鉴。")
    for name in ("美国", "日本", "俄罗斯", "南非", "苏联", "南斯拉夫"):
        assert ("Place", name) in ents
    assert not any(r[0] == "part_of" and r[1] in ("美国", "苏联") for r in rels)


def test_country_names_inside_other_words_are_not_countries(gaz):
    text = "欧美国家依法国家治理，朝鲜族和蒙古族群众防治美国白蛾，增加纳税人收入，今日本地新闻。"
    names = {m.place.name for m in gaz.find_places(text)}
    assert not names & {"美国", "法国", "朝鲜", "蒙古国", "加纳", "日本"}


def test_international_organizations_lie_in_no_place(run):
    _, ents, rels = run("我国积极参与联合国、世贸组织和上海合作组织事务，同东盟加强合作。晋中市积极对接。")
    for name in ("联合国", "世界贸易组织", "上海合作组织", "东南亚国家联盟"):
        assert ("Agency", name) in ents
    assert ("Place", "上海市") not in ents  # 上海 in 上海合作组织 is part of the name
    assert not any(r[0] == "located_in" and r[1] in ("联合国", "上海合作组织", "世界贸易组织") for r in rels)


# ----------------------------------------------------- places that are not divisions
@pytest.mark.parametrize(
    "text, names",
    [
        ("加快建设京沪高铁和太焦铁路，太原至佳县高速公路建成通车，京港澳高速改扩建。",
         {"京沪高铁", "太焦铁路", "太原至佳县高速公路", "京港澳高速"}),
        ("天津港吞吐量增长，太原武宿国际机场扩建，平遥古城景区客流回升。",
         {"天津港", "太原武宿国际机场", "平遥古城景区"}),
        ("太原都市圈和黄河生态经济带建设提速，中国（山西）自由贸易试验区、太原高新区、晋中经开区挂牌。",
         {"太原都市圈", "黄河生态经济带", "中国（山西）自由贸易试验区", "太原高新区", "晋中经开区"}),
        ("中山路、长安街和迎泽大街完成改造。", {"中山路", "长安街", "迎泽大街"}),
    ],
)
def test_named_roads_railways_ports_and_zones(gaz, text, names):
    assert names <= venues(text, gaz)


def test_generic_phrases_on_place_heads_name_nothing(gaz):
    text = ("建设高速铁路和普速铁路，所有高速公路取消收费，经济高速发展。培育世界级城市群和城市群，"
            "各类园区、国家级新区、4A级景区、旅游景区提质。走好新路，共建一带一路，铺平道路。"
            "保护江河湖泊、大江大河和母亲河，落实河长制，建设港口。")
    assert venues(text, gaz) == set()


# ------------------------------------------------------------- recurring events
def test_party_plenums_congresses_and_sessions(gaz):
    text = ("党的二十届三中全会胜利召开，十九届四中全会作出部署，学习贯彻二十大精神。"
            "十四届全国人大二次会议和全国政协十四届二次会议在京召开。")
    found = spans(text, find_initiatives(text, find_places(text, gaz)), "Event")
    assert {"党的二十届三中全会", "十九届四中全会", "二十大", "十四届全国人大二次会议",
            "全国政协十四届二次会议"} <= found


def test_local_session_resolves_to_the_home_county(run):
    text = "祁县召开会议。在县十八届人大二次会议上，县长作政府工作报告。县委、县政府部署全县工作。"
    result, ents, _ = run(text)
    assert result.jurisdiction == "祁县"
    assert ("Event", "祁县十八届人大二次会议") in ents


def test_listed_events_with_their_edition(run):
    _, ents, rels = run("我国成功举办第六届进博会、广交会和杭州亚运会，2008年北京奥运会举世瞩目。")
    for name in ("第六届进博会", "广交会", "杭州亚运会", "2008年北京奥运会"):
        assert ("Event", name) in ents
    assert ("located_in", "第六届进博会", "中国") in rels
    assert ("located_in", "杭州亚运会", "杭州市") in rels


def test_counts_are_not_congresses(gaz):
    text = "实施十大行动，打造二十大产业链。"
    assert spans(text, find_initiatives(text, find_places(text, gaz)), "Event") == set()

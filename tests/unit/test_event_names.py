"""Event names that generalize, on sentences of our own: the left edge after a verb of
holding and its particle, the party's congresses and plenums written without the
party's name, and the kinds of long descriptive meeting names reports use."""
import pytest

from kg.extract.initiatives import find_initiatives

from test_event_kinds import events, rule_events  # noqa: F401  (the fixture and helper of the event tests)


def test_particle_after_the_verb_is_not_part_of_the_name(events):
    found = events("市人社局举办了全市家政服务人员技能提升培训班。")
    assert "晋中市家政服务人员技能提升培训班" in found
    assert not any(n.startswith("了") for n in found)


def test_bare_congress_and_plenum_take_the_party_name():
    found = rule_events("认真学习党的十八大和十九大精神，贯彻十九届五中全会部署。中共二十大胜利召开。")
    assert {"党的十九大", "党的十九届五中全会", "中共二十大"} <= found
    assert "十九大" not in found


def test_a_head_shared_by_a_list_gives_one_event_per_item():
    found = rule_events("贯彻党的十八大和十八届五中、六中全会精神。落实全省交通、水利、林业工作会议部署。")
    assert {"党的十八届五中全会", "党的十八届六中全会", "全省交通工作会议", "全省水利工作会议",
            "全省林业工作会议"} <= found



def test_local_plenums_in_a_list_and_after_a_verb_and_its_complement(events):
    found = events("认真执行市委五届五次、六次全会安排。落实好市委五届七次全会确定的目标。")
    assert {"晋中市委五届五次全会", "晋中市委五届六次全会", "晋中市委五届七次全会"} <= found


def test_festivals_and_fairs_numbered_after_a_word(events):
    found = events("今年，借势第40届中国·哈尔滨国际冰雪节开展推介，借助第三十二届哈洽会平台开展招商。")
    assert {"第40届中国·哈尔滨国际冰雪节", "第三十二届哈洽会"} <= found
    assert not any(name.startswith("借势") for name in found)


def test_a_signing_ceremony_is_named_by_its_parties(events):
    found = events("4月17日，市人民政府与东南大学全面战略合作协议签约仪式在南京举行。")
    assert "晋中市人民政府与东南大学全面战略合作协议签约仪式" in found  # the relative party resolved


def test_quoted_names_in_a_row_share_the_event_head():
    found = rule_events("市人社局举办“春风送岗”“就业暖心”专场招聘会，开展“我家小院”“绿色生活”摄影挑战赛。")
    assert {"春风送岗专场招聘会", "就业暖心专场招聘会", "我家小院摄影挑战赛", "绿色生活摄影挑战赛"} <= found


@pytest.mark.parametrize("text, name", [
    ("省农业农村厅召开高标准农田建设专题会议，研究部署工作。", "高标准农田建设专题会议"),
    ("团省委在长沙召开青年创新创业交流推进会。", "青年创新创业交流推进会"),
    ("开发区举行新材料产业项目集中签约开工活动。", "新材料产业项目集中签约开工活动"),
    ("我市承办2023年第三季度“湖南好人榜”发布活动。", "湖南好人榜发布活动"),
])
def test_long_descriptive_meeting_names_after_a_verb_of_holding(text, name):
    assert name in rule_events(text)


def test_a_report_joined_to_a_meeting_is_no_topic():
    found = rule_events("团市委召开半年工作总结暨下半年工作推进会。团市委召开青年志愿服务工作推进会。")
    assert "青年志愿服务工作推进会" in found
    assert not any(n.startswith("半年工作总结暨") for n in found)


def test_bodies_and_unnumbered_sittings_are_no_events():
    text = ("代表列席县人大常委会会议。贯彻《关于河南省人民代表大会常务委员会工作的决定》。"
            "县人大常委会主任会议成员深入调研。开展市政道路行业技能竞赛。")
    found = rule_events(text)
    assert not any(n.endswith(("人大常委会会议", "人民代表大会", "主任会议")) for n in found)
    assert not any("市政道路" in n for n in found)
    assert "县人大常委会第十二次会议" in rule_events("县人大常委会第十二次会议审议通过。")


def test_performers_named_in_quotes_are_no_event():
    found = rule_events("组织“乡村文艺小分队”开展送戏下乡文艺演出。")
    assert not any(n.startswith("乡村文艺小分队") for n in found)



def test_a_host_city_inside_the_name_qualifies_it():
    from kg.extract.places import find_places
    from kg.places import load_gazetteer

    text = "我国成功举办中亚合作论坛西安峰会。"
    found = find_initiatives(text, find_places(text, load_gazetteer()))
    assert "中亚合作论坛西安峰会" in {c.name or text[c.start:c.end] for c in found if c.label == "Event"}

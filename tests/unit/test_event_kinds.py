"""Event kinds that documents from other places name, on sentences of our own: trainings,
ceremonies, press conferences, fairs and contests, local party congresses; the name cut
at the verb of holding before it and resolved against the home place (全市… -> 晋中市…);
and the generic references that must not be taken (会议, 各类培训班, 多场招聘会)."""
import pytest

from kg.extract.initiatives import find_initiatives
from kg.pipeline import process_raw
from kg.types import RawDoc


@pytest.fixture(scope="module")
def events(nlp):
    def _run(text: str) -> set[str]:
        result = process_raw(RawDoc("t.txt", "t.txt", "晋中市人民政府\n" + text), nlp)
        return {e.name for e in result.entities if e.type == "Event"}

    return _run


def rule_events(text: str) -> set[str]:
    return {c.name or text[c.start:c.end] for c in find_initiatives(text) if c.label == "Event"}


def test_name_is_cut_at_the_verb_and_resolved_against_the_home_place(events):
    found = events("市委召开全市优化营商环境座谈会。市委召开全市安全生产工作推进会。")
    assert {"晋中市优化营商环境座谈会", "晋中市安全生产工作推进会"} <= found


@pytest.mark.parametrize("text, name", [
    ("市委组织部举办2024年乡村振兴专题培训班。", "2024年乡村振兴专题培训班"),
    ("晋中市举行重点项目集中签约仪式。", "重点项目集中签约仪式"),
    ("晋中市召开农村人居环境整治现场观摩会。", "农村人居环境整治现场观摩会"),
    ("市政府新闻办召开2024年第一季度经济运行新闻发布会。", "2024年第一季度经济运行新闻发布会"),
    ("晋中市举办2024年招商引资推介会。", "2024年招商引资推介会"),
    ("晋中市举办首届文化旅游博览会。", "首届文化旅游博览会"),
    ("晋中市召开第五次党代会。", "第五次党代会"),
])
def test_event_kinds_are_found(text, name):
    assert name in rule_events(text)


def test_a_verb_inside_the_topic_does_not_cut_a_scoped_name():
    assert "全市优化营商环境座谈会" in rule_events("市委召开全市优化营商环境座谈会。")


@pytest.mark.parametrize("text", [
    "会议强调，这次会议很重要。",
    "全市举办多场招聘会，开办各类培训班。",
    "今年举办三场招聘会，两期培训班。",
    "开展一系列活动。",
    "市政府举行新闻发布会。",
    "参加培训班。",
])
def test_generic_references_are_not_events(text):
    assert not rule_events(text)


@pytest.mark.parametrize("text, name", [
    ("成功举办第三届核桃文化节。", "第三届核桃文化节"),
    ("县应急管理局组织2024年危险化学品泄漏事故应急演练。", "2024年危险化学品泄漏事故应急演练"),
    ("邀请专家参加“陶瓷产业发展论坛”，签约项目12个。", "陶瓷产业发展论坛"),
    ("团县委举办“青年创新创业大赛”。", "青年创新创业大赛"),
])
def test_festivals_drills_and_quoted_event_names(text, name):
    assert name in rule_events(text)


def test_a_quoted_word_without_a_topic_is_no_event():
    assert not rule_events("开展“两会”宣传。")


def test_a_session_starts_at_its_prefix_after_a_verb(nlp):
    """紧扣县十八届人大三次会议: the session's own pattern knows its start; the head rule's
    longer span (全县紧扣县…) gives way to it, and 县 resolves to the home county."""
    result = process_raw(RawDoc("t.txt", "t.txt", "建水县2023年工作总结\n全县紧扣县十八届人大三次会议确定的目标任务，"
                                                  "县委、县政府稳增长。"), nlp)
    found = {e.name for e in result.entities if e.type == "Event"}
    assert "建水县十八届人大三次会议" in found
    assert not any("紧扣" in name for name in found)

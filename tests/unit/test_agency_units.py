"""Agencies a relative or a named body sends or forms (teams, groups, offices, the
provincial departments), Youth League committees of named places, quoted team names and
the model's relative spans: each on sentences of our own, with the canonical name that
resolution writes out against the home place, and the phrases that must not be taken."""
import pytest

from kg.extract.agencies import model_agency_attrs

from test_agency_kinds import run  # noqa: F401  (the fixture of the agency tests)


HOME = "大同市经济平稳运行。大同市召开全市工作会议。"


def test_teams_and_groups_of_a_relative_body(run):
    result, agencies, subs = run(HOME + "市委宣讲团走进企业宣讲，省委第二巡回督导组、省委第四巡回指导组到大同市调研。"
                                 "市人大常委会执法检查组检查食品安全法实施情况。")
    assert result.jurisdiction == "大同市"
    assert {"大同市委宣讲团", "山西省委第四巡回指导组", "大同市人大常委会执法检查组"} <= agencies
    assert ("大同市委宣讲团", "大同市委") in subs
    assert ("山西省委第四巡回指导组", "山西省委") in subs


def test_offices_named_like_a_title(run):
    _, agencies, subs = run(HOME + "在团中央书记处指导下，市委农办会同市农业农村局推进工作。")
    assert {"共青团中央书记处", "大同市委农办"} <= agencies
    assert ("共青团中央书记处", "共青团中央") in subs


def test_provincial_departments_and_city_bureaus(run):
    _, agencies, _ = run(HOME + "省商务厅、省农业农村厅和省发展改革委联合发文，市城市管理综合执法局、市就业局配合落实。")
    assert {"山西省商务厅", "山西省农业农村厅", "山西省发展改革委", "大同市城市管理综合执法局",
            "大同市就业局"} <= agencies


def test_youth_league_committees_of_named_places(run):
    _, agencies, subs = run("临汾市经济平稳运行。临汾市召开全市工作会议。团浙江省委开展志愿活动，团广西区委、"
                            "福建省团委派员参加。中国共产主义青年团是先进青年的群团组织。集团上海市委托项目顺利推进。")
    assert {"共青团浙江省委", "共青团广西壮族自治区委", "共青团福建省委"} <= agencies
    assert not {"浙江省委", "福建省团委", "上海市委"} & agencies
    assert ("共青团浙江省委", "中国共产主义青年团") in subs


def test_quoted_team_names_but_not_classes(run):
    _, agencies, _ = run(HOME + "云冈区“红石榴”志愿宣讲队深入社区，“乡村好声音直播团”带货助农。"
                         "组建专家学者宣讲团、百姓宣讲团，批评“作业工厂”现象。")
    assert {"云冈区红石榴志愿宣讲队", "乡村好声音直播团"} <= agencies
    assert not {"专家学者宣讲团", "百姓宣讲团", "作业工厂"} & agencies


def test_central_online_media(run):
    _, agencies, _ = run(HOME + "活动被人民网、新华网和学习强国平台报道。")
    assert {"人民网", "新华网", "学习强国"} <= agencies


@pytest.mark.parametrize("text, span, prefix", [
    ("今年，市消防救援支队开展演练", "市消防救援支队", "市"),
    ("省乡村振兴服务中心处", "省乡村振兴服务中心处", "省"),
])
def test_model_spans_keep_their_relative_prefix(text, span, prefix):
    start = text.index(span)
    attrs = model_agency_attrs(text, start, start + len(span))
    assert attrs is not None and attrs["prefix"] == prefix


@pytest.mark.parametrize("text, span", [
    ("推动市场主体发展壮大", "市场主体"),
    ("完善城市功能布局", "市功能布局"),
])
def test_model_spans_that_are_no_agency(text, span):
    start = text.index(span)
    assert model_agency_attrs(text, start, start + len(span)) is None


def test_province_relative_names_follow_the_province_a_sentence_speaks_of(run):
    _, agencies, subs = run("临汾市经济平稳运行。临汾市召开全市工作会议。团浙江省委联合省委组织部、省财政厅选派干部。"
                            "省委召开全省工作会议。")
    assert {"浙江省委组织部", "浙江省财政厅", "山西省委"} <= agencies
    assert not {"山西省委组织部", "山西省财政厅"} & agencies
    assert ("浙江省委组织部", "浙江省委") in subs


def test_units_of_a_university_named_by_its_own_name(run):
    """A university found by its head takes its units as a place does (东南大学党委);
    a paper's 本报讯 is no part of the name after it."""
    result, agencies, subs = run("盐城日报\n\n本报讯 东南大学党委常委、副校长林晓东出席。东南大学研究生院负责同志参加。")
    assert {"东南大学党委", "东南大学研究生院"} <= agencies
    assert ("东南大学党委", "东南大学") in subs
    assert not any("讯" in name for name in agencies)

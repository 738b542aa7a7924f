"""Tests of kg.places on the shipped gazetteer; all texts here are made up for the tests."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.places import Gazetteer, Place, PlaceMatch, find_places, load_gazetteer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return load_gazetteer()


def one(gaz: Gazetteer, name: str) -> Place:
    found = gaz.by_name(name)
    assert len(found) == 1, found
    return found[0]


def forms(matches: list[PlaceMatch]) -> list[str]:
    return [m.matched_form for m in matches]


# ------------------------------------------------------------------ lookups
def test_short_name_resolves_to_city(gaz):
    jinzhong = one(gaz, "晋中")
    assert jinzhong.name == "晋中市"
    assert jinzhong.level == "city"
    assert gaz.get(jinzhong.parent).name == "山西省"
    assert jinzhong.code == "140700" and "晋中" in jinzhong.short


def test_former_name_resolves_to_current_division(gaz):
    taigu = one(gaz, "太谷县")
    assert taigu.name == "太谷区" and taigu.level == "county"
    assert gaz.get(taigu.parent).name == "晋中市"
    assert one(gaz, "襄樊市").name == "襄阳市"


def test_ancestors_and_is_within(gaz):
    jiexiu = one(gaz, "介休市")
    assert [p.name for p in gaz.ancestors(jiexiu)] == ["晋中市", "山西省", "中国"]
    shanxi = one(gaz, "山西省")
    assert gaz.is_within(jiexiu, shanxi)
    assert not gaz.is_within(shanxi, jiexiu)
    assert gaz.get("CN").name == "中国"


def test_municipality_districts_hang_from_the_province(gaz):
    beijing = one(gaz, "北京市")
    assert beijing.level == "province"
    haidian = one(gaz, "海淀区")
    assert haidian.parent == beijing.id


def test_children_townships_and_villages(gaz):
    jiexiu = one(gaz, "介休市")
    townships = [p for p in gaz.children(jiexiu) if p.level == "township"]
    mianshan = next(p for p in townships if p.name == "绵山镇")
    villages = gaz.villages_of(mianshan)
    assert villages and all(v.level == "village" and v.parent == mianshan.id for v in villages)
    assert set(villages) <= set(gaz.villages_of(jiexiu))
    village = villages[0]
    assert gaz.get(village.id) == village
    assert [p.name for p in gaz.ancestors(village)][:3] == ["绵山镇", "介休市", "晋中市"]


def test_village_lookup_by_name_is_opt_in(gaz):
    assert gaz.by_name("靳凌村") == ()
    (village,) = gaz.by_name("靳凌村", include_villages=True)
    assert village.level == "village" and gaz.get(village.parent).name == "绵山镇"


def test_regions_and_features(gaz):
    fen = one(gaz, "汾河")
    assert fen.level == "feature" and gaz.get(fen.parent).name == "山西省"
    assert one(gaz, "长江三角洲").name == "长三角"
    assert gaz.get(one(gaz, "京津冀").parent).name == "中国"


# ------------------------------------------------------------ disambiguation
def test_disambiguate_chaoyang_district(gaz):
    both = gaz.by_name("朝阳区")
    assert len(both) == 2
    beijing, changchun = one(gaz, "北京市"), one(gaz, "长春市")
    assert gaz.get(gaz.disambiguate("朝阳区", [beijing]).parent) == beijing
    assert gaz.get(gaz.disambiguate("朝阳区", [changchun]).parent) == changchun
    assert gaz.disambiguate("朝阳区", []) is None
    assert gaz.disambiguate("晋中", []) == one(gaz, "晋中市")
    assert gaz.disambiguate("没有这个地方", []) is None


def test_find_places_prefers_place_near_home(gaz):
    text = "代表团在朝阳区调研了社区养老服务。"
    home = one(gaz, "长春市")
    (match,) = find_places(text, home=home)
    assert match.place.parent == home.id
    assert len(match.candidates) == 2


# ------------------------------------------------------------------ matching
def test_find_places_on_a_made_up_sentence(gaz):
    text = "去年，山西省晋中市的太谷区与平遥联合举办了汾河文化节，京津冀的客商也来参加。"
    found = find_places(text)
    assert forms(found) == ["山西省", "晋中市", "太谷区", "平遥", "汾河", "京津冀"]
    by_form = {m.matched_form: m for m in found}
    assert by_form["平遥"].place.name == "平遥县" and by_form["平遥"].kind == "short"
    assert by_form["汾河"].place.level == "feature"
    for m in found:
        assert text[m.start:m.end] == m.matched_form


def test_county_short_names_of_other_provinces_need_no_home(gaz):
    text = "本报记者程建平报道。"
    assert [m.place.name for m in find_places(text)] == ["建平县"]
    # in a document of 晋中市 (山西省) the short name of a 辽宁省 county is not matched
    assert find_places(text, home=one(gaz, "晋中市")) == []
    # its own province's counties and full names elsewhere still are
    assert forms(find_places("平遥和辽宁省建平县", home=one(gaz, "晋中市"))) == ["平遥", "辽宁省", "建平县"]


def test_former_name_in_text(gaz):
    (match,) = find_places("当年的太谷县有很多老字号。")
    assert match.place.name == "太谷区" and match.kind == "former"


def test_longest_match_wins(gaz):
    # 晋中市 is matched whole, not 晋中 + 市
    assert forms(find_places("晋中市人民欢迎你")) == ["晋中市"]


def test_villages_only_under_home(gaz):
    jiexiu = one(gaz, "介休市")
    mianshan = next(p for p in gaz.children(jiexiu) if p.name == "绵山镇")
    village = next(v for v in gaz.villages_of(mianshan) if len(v.name) >= 3 and v.name.endswith("村"))
    text = f"记者来到{mianshan.name}{village.name}，看到新修的道路。"
    with_home = find_places(text, home=jiexiu)
    assert [m.place for m in with_home] == [mianshan, village]
    # the city as home also covers its counties' townships and villages
    assert [m.place for m in find_places(text, home=one(gaz, "晋中市"))] == [mianshan, village]
    # without home, or with a home elsewhere, neither is matched
    assert find_places(text) == []
    assert find_places(text, home=one(gaz, "长春市")) == []


def test_same_name_village_under_the_township_written_before_it(gaz):
    """A city holds several villages of one name; the township written right before the
    village picks the one under it."""
    city = one(gaz, "晋中市")
    villages = {}
    for township in gaz.townships_of(city):
        for v in gaz.villages_of(township):
            if len(v.name) >= 3 and not gaz.by_name(v.name):
                villages.setdefault(v.name, []).append(township)
    name, townships = next((n, t) for n, t in sorted(villages.items()) if len(t) >= 2)
    for township in townships:
        found = find_places(f"到{township.name}{name}调研。", home=city)
        assert [m.place.name for m in found] == [township.name, name]
        assert gaz.is_within(found[1].place, township)


def test_two_character_village_only_after_its_parent(gaz):
    jiexiu = one(gaz, "介休市")
    village = next(v for v in gaz.villages_of(jiexiu) if len(v.name) == 2 and not gaz.by_name(v.name))
    after_parent = find_places(f"市领导来到{jiexiu.name}{village.name}慰问群众。", home=jiexiu)
    assert [m.place for m in after_parent] == [jiexiu, village]
    alone = find_places(f"市领导来到{village.name}慰问群众。", home=jiexiu)
    assert alone == []


def test_common_words_are_not_places(gaz):
    # 和平 (和平区), 比如 (比如县), 东方 (东方市), 中方 (中方县) are short names of divisions
    text = "比如说，中方一贯主张和平解决争端，东方风来满眼春。"
    assert find_places(text) == []
    assert gaz.by_name("比如")  # still found by lookup


def test_blockers_hide_place_forms_inside_words(gaz):
    text = "孙中山先生说过，绿水青山就是金山银山。要加强管理县级财政。"
    assert find_places(text) == []


def test_short_form_inside_township_name_is_not_matched(gaz):
    # without its county as home, 绵山镇 is neither the township nor 绵山 the mountain
    assert find_places("绵山镇的游客很多") == []


def test_matching_speed(gaz):
    text = ("山西省晋中市介休市召开全市经济工作会议，会议指出，要抢抓黄河流域生态保护和高质量发展机遇，"
            "加快太忻一体化经济区建设，推动平遥、祁县、太谷区文旅融合发展，全力建设现代化强市。") * 12
    text = text[:1000]
    find_places(text)
    runs = 20
    start = time.perf_counter()
    for _ in range(runs):
        find_places(text)
    per_run = (time.perf_counter() - start) / runs
    assert per_run < 0.010, f"{per_run * 1000:.2f} ms per 1000 characters"


def test_runtime_does_not_import_jionlp_or_jieba():
    code = ("import sys, kg.places as p; g = p.load_gazetteer(); p.find_places('山西省晋中市', home=g.get('140781')); "
            "print(sorted(m for m in ('jionlp', 'jieba') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"

"""The statistical NER's place spans that no gazetteer lists: rivers, mountains, mines,
power stations, bridges and towns of another county are kept by their shape, fragments
and formulas are not. Every name here is invented."""
import pytest

from kg.extract.components import plausible
from kg.extract.places import plausible_place
from kg.places import load_gazetteer


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.mark.parametrize("name", ["青石江", "白鹭溪", "凤栖岭", "凤栖岭矿区", "石门坎电站", "洛溪大桥", "苍梧湖",
                                  "柳林铺镇", "杏花湾村"])
def test_unlisted_features_and_settlements_have_the_shape_of_a_place(gaz, name):
    assert not gaz.by_name(name, include_villages=True)  # invented: no gazetteer holds them
    assert plausible_place(name, gaz, score=0.8, before="，")


@pytest.mark.parametrize("bad, good", [
    ("金山银山", "金鸡山"), ("绿水青山", "绿萝山"),  # a formula: a feature head inside the name
    ("护城河", "鹿城河"), ("青山", "鹤山岭"),  # ordinary words
    ("美丽乡村", "棠梨坳村"), ("特色小镇", "雁栖岗镇"),  # kinds of settlement
    ("移民建镇", "柳林铺镇"), ("幸福河", "甘棠河"), ("加快建设路", "杉木路"),  # a verb or an adjective before the head
    ("三大湖", "碧螺湖"), ("新区", "鹭洲新区"), ("贫困村", "雁栖岗村"),  # a count; a head alone; a kind
])
def test_formulas_and_words_are_not_places(gaz, bad, good):
    """Each formula or word beside a name of the same kind that is kept."""
    assert not plausible_place(bad, gaz, score=0.95, before="，")
    assert plausible_place(good, gaz, score=0.95, before="，")


def test_the_model_must_be_surer_of_short_and_unlisted_names(gaz):
    assert not plausible_place("青石江", gaz, score=0.5)
    assert not plausible_place("杉河", gaz, score=0.85)  # one character and a head
    assert plausible_place("杉河", gaz, score=0.95)


def test_a_span_inside_a_quotation_or_a_longer_word_is_no_place(gaz):
    assert not plausible("杏花湾村", "Place", gaz, score=0.9, quoted=True)  # “水清杏花湾村”-like slogan
    # 川渝 runs into the span: the model began inside a longer name
    assert not plausible("渝高竹新区", "Place", gaz, score=0.9, before="设立川")
    assert plausible("洛溪大桥", "Place", gaz, score=0.9, before="建成了")


def test_known_places_need_no_shape(gaz):
    assert plausible_place("太原市", gaz, score=0.3)


@pytest.mark.parametrize("text, names", [
    ("推进鹿溪江流域综合治理。", {"鹿溪江"}),  # 江流 is a word, but 流域 is the river's basin
    ("青峦河流域生态修复。", {"青峦河"}),
    ("保护河流湖泊。", set()),
])
def test_a_river_before_its_basin_is_found_by_the_venue_rule(gaz, text, names):
    from kg.extract.places import find_places, find_venues

    assert {text[c.start:c.end] for c in find_venues(text, find_places(text, gaz))} == names


@pytest.mark.parametrize("text, found", [
    # a town the gazetteer lacks, written after its county: a township of that county
    ("平遥县雁栖岗镇开展试点。", {("雁栖岗镇", "township", "平遥县")}),
    ("介休市杏花湾村和柳林铺村。", {("杏花湾村", "village", "介休市")}),
    # words and phrases after a county are no places
    ("平遥县新农村建设。", set()),
    ("平遥县美丽乡村建设。", set()),
    ("平遥县全面推进城乡融合。", set()),
])
def test_settlements_written_after_their_county(gaz, text, found):
    from kg.extract.places import find_addressed_places, find_places

    got = {(c.name, c.attrs["level"], gaz.get(c.attrs["parent_id"]).name)
           for c in find_addressed_places(text, find_places(text, gaz), gaz)}
    assert got == found


def test_a_township_the_gazetteer_lists_under_the_county_takes_its_entry(gaz):
    from kg.extract.places import find_addressed_places, find_places

    county = gaz.by_name("介休市")[0]
    town = gaz.townships_of(county)[0]
    text = f"在介休市{town.name}召开现场会。"
    got = find_addressed_places(text, find_places(text, gaz), gaz)  # no home: the town is far from it
    assert [(c.name, c.attrs.get("place_id")) for c in got] == [(town.name, town.id)]


@pytest.mark.parametrize("text, name", [
    ("游客在石屏古城、郑营文庙参观。", "石屏古城"),
    ("修缮社旗山陕会馆，开放内乡县衙。", "社旗山陕会馆"),
    ("青龙滩水电站扩机工程开工。", "青龙滩水电站"),
    ("做好岩口库区移民安置。", "岩口库区"),
])
def test_heritage_sites_and_works_are_places(gaz, text, name):
    from kg.extract.places import find_places, find_venues

    assert name in {text[c.start:c.end] for c in find_venues(text, find_places(text, gaz))}


def test_a_class_of_old_towns_is_no_place(gaz):
    from kg.extract.places import find_places, find_venues

    assert not find_venues("保护历史文化古城和传统民居。", find_places("保护历史文化古城和传统民居。", gaz))

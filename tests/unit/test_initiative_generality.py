"""Initiative rules on sentences no rule was tuned on (invented for these tests):
generic field reforms are no names, national programmes are found quoted or not and
not inside longer names."""
from kg.extract.initiatives import find_initiatives


def initiatives(text):
    """Names of the initiative candidates that would reach the graph (a span with a
    blank name is held back from the tagger only)."""
    return {(c.name or text[c.start:c.end]).strip() for c in find_initiatives(text) if c.label == "Initiative"} - {""}


def test_a_whole_field_reform_or_system_is_no_name_but_a_reform_with_a_word_of_its_own_is():
    text = "今年要深化财税体制改革，推进国有企业改革，完善预算管理制度，做好“三农”工作，推进住房制度改革。"
    assert initiatives(text) == {"住房制度改革"}


def test_fields_listed_before_a_reform_give_no_names():
    text = "深化林业、水利、粮食等改革。"
    found = find_initiatives(text)
    assert initiatives(text) == set()
    assert any(c.start <= 2 and c.end == text.index("。") for c in found)  # the list stays covered


def test_a_quoted_national_programme_is_found_as_written():
    text = "全县扎实开展“不忘初心、牢记使命”主题教育，成效明显。"
    assert "不忘初心、牢记使命主题教育" in initiatives(text)
    assert "主题教育" not in initiatives(text)


def test_a_national_programme_inside_a_longer_name_is_not_taken():
    text = "会议要求编制西部大开发“十四五”规划，传承脱贫攻坚精神。"
    names = initiatives(text)
    assert "西部大开发战略" not in names and "脱贫攻坚战" not in names


def test_recurring_national_programmes_are_found_by_their_usual_names():
    text = "我县做好“六稳”工作，开展春风行动，深化营改增，推进精准扶贫和“双随机、一公开”监管。"
    assert {"六稳工作", "春风行动", "营改增", "精准扶贫", "双随机、一公开监管"} <= initiatives(text)


def test_an_amount_of_work_is_not_the_programme():
    assert "退耕还林" not in initiatives("全乡完成3200亩退耕还林，植树五万株。")
    assert "退耕还林" in initiatives("全乡巩固退耕还林成果。")


def test_a_count_and_a_head_after_a_programme_make_a_longer_name():
    assert "精准扶贫" not in initiatives("委员们参与精准扶贫“三大工程”建设。")


def test_a_verb_acting_on_a_programme_is_cut_off():
    names = initiatives("今年要加大保障性安居工程建设力度。")
    assert "保障性安居工程" in names and "加大保障性安居工程" not in names


def test_a_reform_dealt_with_is_no_name():
    assert initiatives("各级干部要正确处理好改革、发展、稳定的关系。") == set()


def test_a_name_cut_inside_a_word_takes_the_whole_word():
    names = initiatives("本区开展服务业综合改革试点，坚持以质取胜战略。")
    assert {"服务业综合改革试点", "以质取胜战略"} <= names


def test_some_of_a_kind_is_no_name():
    assert initiatives("去冬今春全县兴修了许多小型水利工程，开工12项重点工程。") == set()


def test_the_drive_to_build_a_named_place_up():
    from kg.extract.places import find_places
    from kg.places import load_gazetteer

    text = "全力推进法治运城建设，打造平安运城、健康运城。"
    places = find_places(text, load_gazetteer())
    names = {(c.name or text[c.start:c.end]) for c in find_initiatives(text, places) if c.label == "Initiative"}
    assert {"法治运城建设", "平安运城", "健康运城"} <= names


def test_a_service_line_is_named_from_its_number():
    found = initiatives("县政务服务中心运行12345政务服务便民热线，依托全国12315热线平台受理投诉。")
    assert {"12345政务服务便民热线", "12315热线平台"} <= found
    assert not any(name.startswith("服务中心") for name in found)

"""The page parser: structure, bylines, column breaks, photo credits and bad input (no database)."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importer.parser import (
    CORRESPONDENT,
    PHOTOGRAPHER,
    REPORTER,
    Credit,
    PageImportError,
    ends_sentence,
    parse_page,
)

SEED = Path(__file__).parent / "data" / "seed_page.txt"


def parse(text):
    return parse_page(text.encode("utf-8"))


def error_of(data):
    with pytest.raises(PageImportError) as info:
        parse_page(data if isinstance(data, bytes) else data.encode("utf-8"))
    return info.value


# --- The seed page --------------------------------------------------------------


@pytest.fixture(scope="module")
def seed():
    return parse_page(SEED.read_bytes())


def test_seed_banner_and_story_count(seed):
    assert seed.banner == "深入学习贯彻党的二十大精神 奋力开拓首都工会工作新局面"
    assert [s.title for s in seed.stories] == [
        "北京市总工会深化产业工人队伍建设改革暨工会系统青年干部创新能力提升培训班举办",
        "打造善沟通、会协商的集体协商人才队伍",
        "昌平54名工会干部同台竞技经审业务",
        "北汽集团近2000个职工家庭乐享“家”年华",
        "奥运村街道总工会为青年职工搭建社交平台",
        "朝外街道总工会开办急救培训课",
        "关爱离退休职工",
    ]


def test_seed_kicker_only_where_a_level_three_line_precedes_the_headline(seed):
    assert [s.kicker for s in seed.stories] == ["", "石景山区总工会举办集体协商竞赛", "", "", "", "", ""]


def test_seed_source_labels_and_bylines(seed):
    assert [s.source_label for s in seed.stories] == ["本报讯"] * 6 + [""]
    assert [s.credits for s in seed.stories] == [
        [],
        [Credit("张晶", REPORTER)],
        [Credit("周美玉", REPORTER)],
        [Credit("马超", REPORTER)],
        [Credit("刘欣欣", REPORTER)],
        [Credit("刘欣欣", REPORTER)],
        [Credit("边磊", PHOTOGRAPHER)],
    ]


def test_seed_lead_has_no_dateline(seed):
    assert seed.stories[0].lead.startswith("为认真学习贯彻习近平总书记")
    assert seed.stories[1].lead.startswith("近日，石景山区总工会举办集体协商竞赛")


def test_seed_paragraph_counts_after_rejoining_column_breaks(seed):
    assert [len(s.paragraphs) for s in seed.stories] == [5, 3, 5, 3, 3, 4, 1]


def test_seed_sentence_cut_after_quanmian_is_rejoined(seed):
    assert seed.stories[0].paragraphs[1] == (
        "举办本次培训班，是全面学习贯彻习近平总书记在庆祝中华全国总工会成立100周年暨全国劳动模范和"
        "先进工作者表彰大会上的重要讲话精神，深化北京产业工人队伍建设改革的需要，是落实北京市委十三届"
        "五次、六次全会精神，适应新要求推进产业工人队伍建设改革发展的需要。北京市推进产业工人队伍建设"
        "改革协调小组成员单位、各区总工会、各产业工会产改工作负责同志和工会系统青年干部近60人参加培训。"
    )


def test_seed_word_cut_in_two_is_rejoined_without_a_gap(seed):
    """学习成 / 果转化: the column break cut the word 成果 itself."""
    paragraph = seed.stories[0].paragraphs[2]
    assert paragraph.startswith("培训班对学习纪律、学习成果转化等提出明确要求，要求各位学员充分认识")
    assert paragraph.endswith("为北京深化产业工人队伍建设改革贡献力量。")


def test_seed_other_breaks_are_rejoined(seed):
    assert "进一步开阔眼界、打开思路；" in seed.stories[0].paragraphs[3]
    assert "从身心健康、劳动保护标准、建立沟通机制" in seed.stories[1].paragraphs[1]
    assert "工会财务管理、经费审查审计等方面内容" in seed.stories[2].paragraphs[1]
    # A paragraph ending with a comma also continues.
    assert seed.stories[2].paragraphs[3] == (
        "选手们纷纷表示，此次竞赛是一次难得的学习和交流机会，"
        "通过竞赛不仅检验了业务水平，还发现了自身存在的不足，明确了今后努力的方向。"
    )
    assert "各环节中，青年职工从破冰到熟稔" in seed.stories[4].paragraphs[1]


def test_seed_photo_story_has_its_credit_and_caption(seed):
    photo = seed.stories[6]
    assert photo.is_photo_story
    assert photo.photo_credit == "本报记者 边磊 摄影报道"
    assert photo.lead == ""
    assert photo.body_paragraphs == [
        "近日，北京建工机施集团工会主席带队来到该集团离退休职工家中，为老人庆贺百岁寿辰，并送上祝福和慰问。"
    ]
    assert not any(s.is_photo_story for s in seed.stories[:6])


# --- Bylines and labels -----------------------------------------------------------


def one_story(first_paragraph, *more):
    return parse("\n\n".join(["## 标题", first_paragraph, *more])).stories[0]


def test_several_reporters_correspondents_and_a_photographer():
    story = one_story("**本报讯**（记者 张晶 周美玉 通讯员 李明、王芳 摄影 边磊）近日，工会举办活动。")
    assert story.credits == [
        Credit("张晶", REPORTER), Credit("周美玉", REPORTER), Credit("李明", CORRESPONDENT),
        Credit("王芳", CORRESPONDENT), Credit("边磊", PHOTOGRAPHER),
    ]
    assert story.lead == "近日，工会举办活动。"


def test_role_written_against_the_name_and_ascii_brackets():
    story = one_story("**本报讯**(本报记者张晶)近日，工会举办活动。")
    assert story.credits == [Credit("张晶", REPORTER)]


def test_dateline_pasted_without_bold_from_a_word_processor():
    story = one_story("本报讯（记者 张晶）近日，工会举办活动。")
    assert (story.source_label, story.credits, story.lead) == (
        "本报讯", [Credit("张晶", REPORTER)], "近日，工会举办活动。"
    )


def test_story_without_dateline_keeps_its_first_paragraph_as_lead():
    story = one_story("近日，工会举办活动。", "第二段。")
    assert (story.source_label, story.lead, story.body_paragraphs) == ("", "近日，工会举办活动。", ["第二段。"])


def test_photo_credit_at_the_end_of_a_report_is_a_photographer_not_a_photo_story():
    story = one_story("**本报讯**（记者 张晶）近日，工会举办活动。", "记者 边磊 摄")
    assert story.credits == [Credit("张晶", REPORTER), Credit("边磊", PHOTOGRAPHER)]
    assert not story.is_photo_story
    assert story.paragraphs == ["近日，工会举办活动。"]


def test_lines_of_one_paragraph_are_joined():
    story = one_story("近日，工会\n举办活动。")
    assert story.lead == "近日，工会举办活动。"


@pytest.mark.parametrize("text, ends", [
    ("举办本次培训班，是全面", False), ("机会，", False), ("参加培训。", True),
    ("他说：“好。”", True), ("将“机关大讲堂”", False), ("要求：", True), ("", True),
])
def test_ends_sentence(text, ends):
    assert ends_sentence(text) is ends


# --- Bad input: each its own clear error --------------------------------------------


def test_empty_file():
    assert error_of(b"").message == "文件是空的，没有可导入的内容。"
    assert error_of(b" \n\n\t\n").message == "文件是空的，没有可导入的内容。"


def test_text_without_any_headline():
    error = error_of("**本报讯**（记者 张晶）近日，工会举办活动。\n")
    assert error.line == 1
    assert "缺少主题行" in error.message


def test_banner_only_has_no_stories():
    error = error_of("# 版面标题\n")
    assert "没有找到任何稿件" in error.message


def test_byline_with_a_role_but_no_name():
    error = error_of("## 标题\n\n**本报讯**（记者 ）近日，工会举办活动。\n")
    assert (error.line, error.message) == (3, "署名“记者”后面没有姓名。")


def test_byline_with_a_trailing_role_and_no_name():
    error = error_of("## 标题\n\n**本报讯**（记者 张晶 通讯员）近日，工会举办活动。\n")
    assert (error.line, error.message) == (3, "署名“通讯员”后面没有姓名。")


def test_byline_with_empty_brackets():
    error = error_of("## 标题\n\n**本报讯**（）近日，工会举办活动。\n")
    assert (error.line, error.message) == (3, "署名的括号里没有姓名。")


def test_binary_junk():
    error = error_of(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert error.message.startswith("这是一个二进制文件")
    assert error.line is None


def test_control_characters_in_text_name_their_line():
    error = error_of("## 标题\n\n正文\x1b[31m。\n")
    assert error.line == 3 and "二进制内容" in error.message


def test_undecodable_bytes_say_so():
    error = error_of("## 标题\n".encode() + b"\xff\xfe\xfd\xfc\n")
    assert error.line == 2
    assert "无法识别文字编码" in error.message


def test_mixed_encodings_are_refused_with_the_line():
    data = "## 工会举办活动\n\n".encode("utf-8") + "**本报讯** 近日，工会举办活动。\n".encode("gbk")
    error = error_of(data)
    assert error.line == 3
    assert "混用了两种编码" in error.message and "第 1 行是 UTF-8" in error.message


def test_a_page_saved_wholly_as_gbk_is_read():
    page = parse_page("## 工会举办活动\n\n**本报讯**（记者 张晶）近日，工会举办活动。\n".encode("gbk"))
    assert page.stories[0].credits == [Credit("张晶", REPORTER)]


def test_kicker_without_headline():
    error = error_of("### 引题\n\n正文。\n")
    assert (error.line, error.message) == (1, "引题“引题”后面缺少主题行（以“## ”开头）。")


def test_story_without_text():
    error = error_of("## 第一篇\n## 第二篇\n\n正文。\n")
    assert (error.line, error.message) == (1, "稿件“第一篇”没有正文。")


def test_empty_heading():
    assert error_of("## 标题\n\n正文。\n\n##\n").line == 5


def test_second_banner():
    assert error_of("## 标题\n\n正文。\n\n# 又一个版面标题\n").line == 5


def test_dateline_without_text():
    error = error_of("## 标题\n\n**本报讯**（记者 张晶）\n")
    assert error.line == 3 and "导语是空的" in error.message


def test_error_text_carries_the_line_number():
    assert str(error_of("正文。")) == "第 1 行：这段文字不属于任何稿件：前面缺少主题行（以“## ”开头）。"


# --- Random input never crashes --------------------------------------------------------

LINE = st.one_of(
    st.text(max_size=40),
    st.builds(lambda s: "# " + s, st.text(max_size=10)),
    st.builds(lambda s: "## " + s, st.text(max_size=10)),
    st.builds(lambda s: "### " + s, st.text(max_size=10)),
    st.builds(lambda s: "**本报讯**（" + s, st.text(max_size=15)),
    st.sampled_from(["", "", "本报记者 边磊 摄影报道", "（记者 张晶）", "举办本次培训班，是全面", "果转化。"]),
)


def check_page(data):
    try:
        page = parse_page(data)
    except PageImportError as error:
        assert error.message
        return
    for story in page.stories:
        assert story.title and story.paragraphs
        assert all(ends_sentence(p) for p in story.paragraphs[:-1])
        assert all(credit.name for credit in story.credits)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=30).map("\n".join))
def test_random_pages_never_crash(text):
    check_page(text)
    check_page(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data):
    check_page(data)

"""Pages pasted from Word or WPS without `##` marks (tests/data/plain_pages/, written in the
style of the seed pages): the importer proposes banner, 引题, 主题, 副题, bylines and story
boundaries, notes where it is unsure, and flags column-break joins that break a sentence."""

import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importer.joins import reads_on
from articles.importer.layout import NO_TITLE, is_marked, propose
from articles.importer.parser import (
    CORRESPONDENT,
    PHOTOGRAPHER,
    REPORTER,
    PageImportError,
    decode,
    parse_page,
)

PAGES = Path(__file__).parent / "data" / "plain_pages"


def read(name):
    """(proposal, parsed page, {title: story}) of one plain page."""
    proposal = propose((PAGES / name).read_text(encoding="utf-8"))
    assert proposal.proposed
    page = parse_page(proposal.text)
    return proposal, page, {story.title: story for story in page.stories}


def noted(proposal, fragment):
    """The lines of the proposed text that carry a note containing `fragment`."""
    lines = proposal.text.split("\n")
    return [lines[note.line - 1] for note in proposal.notes if fragment in note.message]


def credits(story):
    return [(credit.name, credit.role) for credit in story.credits]


def test_seed_page_without_marks_reads_as_the_marked_one():
    proposal, page, stories = read("01_seed_unmarked.txt")
    marked = parse_page((Path(__file__).parent / "data" / "seed_page.txt").read_bytes())
    assert [s.title for s in page.stories] == [s.title for s in marked.stories]
    assert [s.kicker for s in page.stories] == [s.kicker for s in marked.stories]
    assert [credits(s) for s in page.stories] == [credits(s) for s in marked.stories]
    assert [s.paragraphs for s in page.stories] == [s.paragraphs for s in marked.stories]
    assert page.banner == marked.banner
    # Unsure: the slogan over the page (banner or 引题?) and the two-line headline.
    assert noted(proposal, "按版面标题处理")
    assert noted(proposal, "两行标题") == ["## 打造善沟通、会协商的集体协商人才队伍"]
    # The column-break halves that were cut mid-word are not mistaken for headlines.
    assert not noted(proposal, "像标题")
    # 抓娃娃机前排 / 代、北汽重卡: lines went missing between the columns.
    joins = stories["北汽集团近2000个职工家庭乐享“家”年华"].doubtful_joins
    assert [(j.before[-6:], j.after[:6]) for j in joins] == [("抓娃娃机前排", "代、北汽重卡")]
    assert sum(len(s.doubtful_joins) for s in page.stories) == 1
    assert stories["关爱离退休职工"].is_photo_story


def test_word_page_without_blank_lines_bylines_on_their_own_lines_and_furniture():
    proposal, page, stories = read("02_word_no_blank_lines.txt")
    assert page.banner == "2025年6月12日 星期四 第3版 职工生活"
    assert list(stories) == ["丰台区总工会启动职工夏季送清凉活动", "守护“小巷总理”的健康", "延庆区总工会为户外劳动者建驿站"]
    assert credits(stories["丰台区总工会启动职工夏季送清凉活动"]) == [("王欣", REPORTER), ("李晓明", CORRESPONDENT)]
    feature = stories["守护“小巷总理”的健康"]
    assert feature.subtitle == "记西城区展览路街道社区工作者健康服务站"
    assert credits(feature) == [("周美玉", REPORTER)]
    assert feature.lead.startswith("走进展览路街道") and len(feature.paragraphs) == 3
    assert stories["延庆区总工会为户外劳动者建驿站"].source_label == "本报讯"
    # The editor's credit at the foot of the page is kept in the text, flagged for deletion.
    assert noted(proposal, "请删除") == ["责任编辑：赵文"]


def test_wps_page_with_three_line_headlines_and_a_photographer():
    proposal, page, stories = read("03_wps_three_line_heads.txt")
    assert page.banner == "深化产业工人队伍建设改革\u3000推动首都高质量发展"
    lead = stories["海淀区总工会举办职工创新成果展"]
    assert (lead.kicker, lead.subtitle) == ("聚焦新质生产力", "百余项职工创新成果集中亮相")
    assert lead.source_label == "本报北京6月10日电"
    assert credits(lead) == [("张晶", REPORTER), ("孙丽", CORRESPONDENT), ("边磊", PHOTOGRAPHER)]
    brief = stories["通州区启动劳模工匠进校园活动"]
    assert brief.credits == [] and brief.lead.startswith("日前，通州区总工会")
    assert len(page.stories) == 2


def test_features_page_without_datelines_keeps_numbered_subheads_apart():
    proposal, page, stories = read("04_features_bylines_subheads.txt")
    assert list(stories) == ["匠心守护城市“生命线”", "家门口的职工书屋", "劳动者之歌"]
    profile = stories["匠心守护城市“生命线”"]
    assert profile.subtitle == "记北京市劳动模范、燃气集团高级技师王建国"
    assert credits(profile) == [("张晶", REPORTER)]
    assert "一、从学徒到技师" in profile.paragraphs and "二、把经验变成方法" in profile.paragraphs
    assert credits(stories["家门口的职工书屋"]) == [("刘欣欣", REPORTER)]
    photo = stories["劳动者之歌"]
    assert photo.is_photo_story and credits(photo) == [("边磊", PHOTOGRAPHER)]
    assert not page.banner


def test_briefs_page_flags_the_join_that_breaks_a_sentence_not_the_ones_that_read_on():
    proposal, page, stories = read("05_briefs_broken_columns.txt")
    assert len(page.stories) == 4
    first = page.stories[0]
    assert (first.kicker, first.title) == ("工会简讯", "东城区总工会开展职工心理健康讲座")
    assert noted(proposal, "两行标题") == ["## 东城区总工会开展职工心理健康讲座"]  # column name or 引题?
    assert credits(first) == [("刘欣欣", REPORTER), ("李明", CORRESPONDENT)]
    assert "缓解工作压力的方法" in first.lead and first.joins and not first.doubtful_joins
    assert not stories["房山区举办职工乒乓球比赛"].doubtful_joins  # 准备了 / 门票: one sentence
    broken = stories["顺义区总工会为新就业形态劳动者送保障"].doubtful_joins
    assert [(j.before[-4:], j.after[:5]) for j in broken] == [("发放宣传", "，北汽集团")]


def test_a_story_without_headline_and_text_from_another_page_are_flagged_not_lost():
    proposal, page, stories = read("06_missing_headline_and_orphan_text.txt")
    assert page.banner.startswith("（上接第一版）")
    assert noted(proposal, "不导入") == ["# （上接第一版）推动工会工作高质量发展，为首都建设贡献工会力量。"]
    untitled = stories[NO_TITLE]
    assert noted(proposal, "没有找到主题") == [f"## {NO_TITLE}"]
    assert credits(untitled) == [("张晶", REPORTER)] and untitled.lead.startswith("近日，大兴区总工会")
    assert "石景山区职工运动会开幕" in stories
    # Every character pasted is in the proposed text (only marks and blank lines added).
    source = (PAGES / "06_missing_headline_and_orphan_text.txt").read_text(encoding="utf-8")
    unmarked = re.sub(r"(?m)^#+ ", "", proposal.text.replace(f"## {NO_TITLE}", ""))
    assert "".join(source.split()) == "".join(unmarked.split())


def test_a_marked_page_is_taken_as_it_is():
    text = (Path(__file__).parent / "data" / "seed_page.txt").read_text(encoding="utf-8")
    assert is_marked(text)
    proposal = propose(text)
    assert not proposal.proposed and proposal.text == text and proposal.notes == []


@pytest.mark.parametrize(("before", "after", "expected"), [
    ("培训班对学习纪律、学习成", "果转化等提出明确要求", True),  # a word across the break
    ("通过竞赛不仅检验了业务水平，还发现了", "自身存在的不足", True),
    ("比赛期间，组委会还为参赛职工准备了", "门票、停车证和午餐券", True),
    ("抓娃娃机前排", "代、北汽重卡等6家单位", False),  # a lone character after the break
    ("工作人员在现场向劳动者发放宣传", "，北汽集团职工技协", False),  # no column starts with a comma
])
def test_column_break_joins_are_judged_by_the_words_around_the_break(before, after, expected):
    assert reads_on(before, after) is expected


# --- Whatever is pasted: no crash, nothing lost ------------------------------------------

PLAIN_LINE = st.one_of(
    st.text(max_size=40),
    st.sampled_from([
        "", "", "工会简讯", "石景山区总工会举办集体协商竞赛", "——记北京市劳动模范王建国", "本报记者 张晶",
        "□本报记者 张晶 通讯员 李明", "本报讯（记者 张晶）近日，工会举办活动。", "本报讯 近日，工会举办活动。",
        "本报记者 边磊 摄影报道", "记者 边磊 摄", "举办本次培训班，是全面", "果转化。", "一、从学徒到技师",
        "2025年6月12日 星期四 第3版", "责任编辑：赵文", "，北汽集团职工技协", "## 主题",
    ]),
)


def visible(text):
    """The characters a reader reads, without the marks the importer adds (`#`s, a 副题's dash)."""
    text = re.sub(r"(?m)^(?:#{1,3} |——)", "", text.replace(f"## {NO_TITLE}", ""))
    return "".join(text.split())


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(PLAIN_LINE, max_size=25).map("\n".join))
def test_proposing_marks_never_crashes_and_keeps_every_character(text):
    try:
        text = decode(text)
    except PageImportError:
        return
    proposal = propose(text)
    if proposal.proposed:  # headline lines may be put in 引题/主题/副题 order; none is lost
        assert not Counter(visible(text)) - Counter(visible(proposal.text))
        lines = proposal.text.split("\n")
        assert all(1 <= note.line <= len(lines) for note in proposal.notes)
    try:
        parse_page(proposal.text)
    except PageImportError as error:
        assert error.message


@pytest.mark.parametrize("name", sorted(path.name for path in PAGES.glob("*.txt")))
def test_no_plain_page_loses_a_character(name):
    source = (PAGES / name).read_text(encoding="utf-8")
    assert visible(propose(source).text) == visible(source)

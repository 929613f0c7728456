"""Search a reader can trust: folding, pinyin, short names, filters, counts, the whole archive."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import search
from articles.models import Article, SearchEntry, SearchTerm
from articles.search import query as search_query
from articles.services import workflow

from .factories import make_article, make_reporter, make_union

pytestmark = pytest.mark.django_db
NOW = timezone.now()


def found(client, **params):
    """(story ids in result order, page text) of /search/ with these parameters."""
    response = client.get("/search/", params)
    assert response.status_code == 200
    page = response.content.decode()
    return [int(pk) for pk in re.findall(r'<h2 class="item__title"><a href="/articles/(\d+)/">', page)], page


def ids(client, q, **params):
    return found(client, q=q, **params)[0]


# --- Folding --------------------------------------------------------------------


class TestFolding:
    def test_simplified_query_finds_traditional_story(self, client):
        story = make_article("北京市總工會舉辦職工技能競賽", lead="來自基層工會的四十一支隊伍同台比拼。")
        assert ids(client, "总工会") == [story.pk]
        assert ids(client, "技能竞赛") == [story.pk]

    def test_traditional_query_finds_simplified_story(self, client):
        story = make_article("石景山区总工会开展集体协商培训", lead="工会干部学习工资集体协商。")
        assert ids(client, "總工會") == [story.pk]
        assert ids(client, "集體協商") == [story.pk]

    def test_full_width_letters_and_digits_fold_both_ways(self, client):
        story = make_article("职工服务ＡＰＰ上线", lead="２０２５年起，会员可在手机上办理。")
        plain = make_article("工会App新版本发布", lead="2024年，App下载量增长。")
        assert ids(client, "app") == [plain.pk, story.pk]
        assert ids(client, "ＡＰＰ") == [plain.pk, story.pk]
        assert ids(client, "2025") == [story.pk]
        assert ids(client, "２０２４") == [plain.pk]

    def test_a_very_long_latin_word_is_found(self, client):
        word = "x" * 80
        story = make_article(f"代号 {word}")
        assert ids(client, word) == [story.pk]

    def test_traditional_hit_is_highlighted_where_it_is_written(self, client):
        make_article("北京市總工會召开会议")
        _, page = found(client, q="总工会")
        assert "<mark>總工會</mark>" in page


# --- Pinyin -----------------------------------------------------------------------


class TestPinyin:
    def test_full_pinyin_and_initials_of_headline_words(self, client):
        story = make_article("石景山举办职工技能竞赛")
        other = make_article("朝阳区开展安全培训")
        assert ids(client, "shijingshan") == [story.pk]
        assert ids(client, "sjs") == [story.pk]
        assert ids(client, "jineng jingsai") == [story.pk]
        assert ids(client, "anquan") == [other.pk]

    def test_reporter_name_by_pinyin(self, client):
        zhang = make_reporter("张晶", slug="zhang-jing")
        story = make_article("技能大赛落幕", reporters=[zhang])
        make_article("另一篇报道", reporters=[make_reporter("周美玉", slug="zhou-meiyu")])
        assert ids(client, "zhang jing") == [story.pk]
        assert ids(client, "zhangjing") == [story.pk]

    def test_plain_latin_words_come_before_pinyin(self, client):
        # "app" is a word of a story: found as such, never as the pinyin of anything.
        story = make_article("工会App上线")
        assert ids(client, "app") == [story.pk]
        assert search.search_articles("app").pinyin is False
        assert search.search_articles("gonghui").pinyin is True

    def test_pinyin_page_says_so(self, client):
        make_article("工会新闻发布会")
        _, page = found(client, q="gonghui")
        assert "按拼音" in page


# --- Short names and aliases ------------------------------------------------------------


class TestShortNamesAndAliases:
    def test_short_name_and_aliases_find_the_bodys_stories(self, client):
        city = make_union("北京市总工会", slug="bjzgh", short_name="市总", aliases="北京总工会\n首都职工之家")
        story = make_article("全市职工运动会开幕", unions=[city])
        make_article("区里的职工运动会", unions=[make_union("昌平区总工会", slug="changping")])
        assert ids(client, "市总") == [story.pk]
        assert ids(client, "首都职工之家") == [story.pk]
        assert ids(client, "市总 运动会") == [story.pk]

    def test_short_name_in_the_text_is_found_too(self, client):
        make_union("中华全国总工会", slug="acftu", short_name="全总")
        story = make_article("会议召开", lead="全总有关负责人出席。")
        assert ids(client, "全总") == [story.pk]


# --- Ranking over the whole archive ----------------------------------------------------


class TestRanking:
    def test_title_hits_first_then_text_hits_then_newer(self, client):
        old_title = make_article("朝阳区总工会开展集体协商培训", published_at=NOW - timedelta(days=30))
        new_title = make_article("昌平区推进集体协商", published_at=NOW - timedelta(days=1))
        new_text = make_article("基层动态", lead="竞赛之后，工会还将开展集体协商。",
                                published_at=NOW - timedelta(hours=1))
        assert ids(client, "集体协商") == [new_title.pk, old_title.pk, new_text.pk]

    def test_a_story_from_ten_years_back_is_found_by_a_common_word(self, client):
        """Hundreds of newer stories hold the word in their text (more than any 'newest N'
        window); the old story has it in its headline and comes first, on page one."""
        old = make_article("工会成立大会召开", published_at=NOW - timedelta(days=3650))
        newer = Article.objects.bulk_create([
            Article(title=f"动态{i}", lead="工会组织职工参加活动。", status=Article.Status.PUBLISHED,
                    published_at=NOW - timedelta(hours=i + 1))
            for i in range(320)
        ])
        search.index_new(newer)
        assert ids(client, "工会")[0] == old.pk
        # and by paging, in time order, the last of the text hits is reachable as well
        everything = [a.pk for a in search.search_articles("工会").articles(400)]
        assert everything[0] == old.pk and everything[-1] == newer[-1].pk and len(everything) == 321

    def test_the_index_is_read_in_key_order_with_a_limit(self, client, django_assert_max_num_queries):
        """The top page never reads every match: each scan of the index asks for a LIMIT."""
        make_article("工会新闻")
        with CaptureQueriesContext(connection) as captured:
            client.get("/search/", {"q": "工会"})
        scans = [q["sql"] for q in captured if "articles_searchterm" in q["sql"] and "ORDER BY" in q["sql"]]
        assert scans and all(re.search(r"ORDER BY p\.published_at DESC, p\.article_id DESC LIMIT \d+", s)
                             for s in scans)

    def test_a_word_no_story_holds_runs_no_scan(self):
        """The terms' counts (one query) show a word with no rows at all: nothing can
        match, so neither the page nor its count reads the index further."""
        make_article("工会新闻发布会")
        with CaptureQueriesContext(connection) as captured:
            found = search.search_articles("工会 xyzzy")
            assert found.page(1, 20) == ([], False) and found.summary()[:2] == (0, False)
        assert not [q for q in captured if "ORDER BY p.published_at" in q["sql"]]
        assert search.search_articles("工会 新闻").summary()[0] == 1

    def test_a_pinyin_page_is_one_scan_of_its_rows(self):
        """Pinyin rows have no heading twin: the heading scan finds every match, and no
        second scan walks all of a term's rows only to exclude them (a page with fewer
        matches than its size would otherwise read the term's whole posting list twice)."""
        story = make_article("石景山举办职工技能竞赛")
        found = search.search_articles("sjs")
        assert found.pinyin
        with CaptureQueriesContext(connection) as captured:
            assert [a.pk for a in found.articles(20)] == [story.pk]
        scans = [q["sql"] for q in captured if "ORDER BY p.published_at" in q["sql"]]
        assert len(scans) == 1 and "NOT (" not in scans[0]


# --- Filters, facets, counts ----------------------------------------------------------


@pytest.fixture
def bodies():
    city = make_union("北京市总工会", slug="bjzgh", short_name="市总工会")
    chaoyang = make_union("朝阳区总工会", parent=city, slug="chaoyang", short_name="朝阳")
    aoyuncun = make_union("奥运村街道总工会", parent=chaoyang, slug="aoyuncun", short_name="奥运村")
    changping = make_union("昌平区总工会", parent=city, slug="changping", short_name="昌平")
    return city, chaoyang, aoyuncun, changping


class TestFiltersAndFacets:
    def test_union_filter_includes_sub_bodies(self, client, bodies):
        city, chaoyang, aoyuncun, changping = bodies
        street = make_article("奥运村街道开展安全培训", unions=[aoyuncun])
        district = make_article("朝阳区开展安全培训", unions=[chaoyang])
        make_article("昌平区开展安全培训", unions=[changping])
        assert set(ids(client, "安全培训", union="chaoyang")) == {street.pk, district.pk}
        assert ids(client, "安全培训", union="aoyuncun") == [street.pk]

    def test_reporter_and_date_filters(self, client):
        zhang, zhou = make_reporter("张晶", slug="zhang-jing"), make_reporter("周美玉", slug="zhou-meiyu")
        mine = make_article("安全培训", reporters=[zhang], published_at=NOW - timedelta(days=40))
        theirs = make_article("安全培训", reporters=[zhou], published_at=NOW - timedelta(days=2))
        assert ids(client, "培训", reporter="zhang-jing") == [mine.pk]
        recent = (timezone.localdate() - timedelta(days=7)).isoformat()
        assert ids(client, "培训", **{"from": recent}) == [theirs.pk]
        assert ids(client, "培训", to=recent) == [mine.pk]

    def test_facets_count_per_body_with_sub_bodies_and_keep_the_query(self, client, bodies):
        city, chaoyang, aoyuncun, changping = bodies
        make_article("安全培训一", unions=[aoyuncun])
        make_article("安全培训二", unions=[chaoyang])
        make_article("安全培训三", unions=[changping])
        make_article("安全培训四", unions=[aoyuncun, changping])  # once for the city and 朝阳
        _, page = found(client, q="安全培训", reporter="")
        facets = dict(re.findall(r'union=([a-z]+)">[^<]+ <span class="muted">(\d+)</span>', page))
        assert facets == {"bjzgh": "4", "chaoyang": "3", "aoyuncun": "2", "changping": "2"}
        assert "?q=%E5%AE%89%E5%85%A8%E5%9F%B9%E8%AE%AD&amp;union=chaoyang" in page

    def test_count_is_exact_below_the_cap_and_capped_above(self, client, monkeypatch):
        for i in range(7):
            make_article(f"职工书屋{i}")
        _, page = found(client, q="职工书屋")
        assert "共找到 <strong>7</strong> 篇" in page
        monkeypatch.setattr(search_query, "COUNT_CAP", 5)
        cache.clear()  # the page cache holds the first answer
        _, page = found(client, q="职工书屋")
        assert "共找到 <strong>5+</strong> 篇" in page
        assert search.search_articles("职工书屋").summary()[:2] == (5, True)

    def test_facets_count_the_newest_sample_and_say_so(self, client, bodies, monkeypatch):
        city, chaoyang, aoyuncun, changping = bodies
        for days, union in enumerate([aoyuncun, aoyuncun, chaoyang, changping, changping]):
            make_article(f"安全培训{days}", unions=[union], published_at=NOW - timedelta(days=days))
        monkeypatch.setattr(search_query, "FACET_SAMPLE", 3)
        summary = search.search_articles("安全培训").summary()
        assert (summary.count, summary.capped, summary.facets_among) == (5, False, 3)
        # the three newest: two in 奥运村, one in 朝阳; 昌平's two are older
        assert {body.slug: n for body, n in summary.facets} == {"bjzgh": 3, "chaoyang": 3, "aoyuncun": 2}
        _, page = found(client, q="安全培训")
        assert "共找到 <strong>5</strong> 篇" in page and "按工会组织（最新 3 篇中）" in page
        monkeypatch.setattr(search_query, "FACET_SAMPLE", 5)
        assert search.search_articles("安全培训").summary().facets_among is None

    def test_the_count_reads_the_index_alone_and_the_facets_a_sample(self):
        """A word in one story of four hundred has a few dozen matches at 10,000 stories and
        thousands at a million: its count reads at most COUNT_CAP + 1 index entries, and only
        FACET_SAMPLE matches have their stories and union links read."""
        make_article("职工书屋")
        with CaptureQueriesContext(connection) as captured:
            assert search.search_articles("职工书屋").summary()[:2] == (1, False)
        [sample] = [q["sql"] for q in captured if "union_body_id" in q["sql"]]
        count = re.search(r"\(SELECT COUNT\(\*\) FROM \((.*?)\) counted\)", sample).group(1)
        assert "articles_article" not in count and f"LIMIT {search_query.COUNT_CAP + 1}" in count
        assert f"LIMIT {search_query.FACET_SAMPLE}" in sample.replace(count, "")

    def test_paging_keeps_query_and_filters_in_the_url(self, client, bodies):
        for i in range(25):
            make_article(f"安全培训{i}", unions=[bodies[1]])
        first, page = found(client, q="培训", union="chaoyang")
        assert "?q=%E5%9F%B9%E8%AE%AD&amp;union=chaoyang&amp;page=2" in page
        second, _ = found(client, q="培训", union="chaoyang", page=2)
        assert len(first) == 20 and len(second) == 5 and not set(first) & set(second)

    @pytest.mark.parametrize("params", [{"from": "0001-01-01"}, {"to": "0001-01-01"}, {"from": "9999-12-31"},
                                        {"to": "9999-12-31"}, {"page": "9" * 30}])
    def test_dates_at_the_ends_of_the_calendar_do_not_crash(self, client, params):
        make_article("安全培训")
        assert client.get("/search/", {"q": "培训", **params}).status_code == 200

    @pytest.mark.parametrize("params, message", [
        ({"from": "昨天"}, "起始日期应为"),
        ({"to": "2025-13-40"}, "截止日期应为"),
        ({"from": "2025-06-12", "to": "2025-06-01"}, "起始日期不能晚于截止日期"),
        ({"union": "nope"}, "没有这个工会组织"),
        ({"reporter": "nobody"}, "没有这位记者"),
    ])
    def test_bad_filters_say_why_and_still_search(self, client, params, message):
        story = make_article("安全培训")
        result, page = found(client, q="培训", **params)
        assert message in page and result == [story.pk]


# --- Only published stories -----------------------------------------------------------


class TestOnlyPublished:
    def test_nothing_unpublished_in_results_counts_or_facets(self, client, editor):
        body = make_union("朝阳区总工会", slug="chaoyang", short_name="朝阳")
        shown = make_article("集体协商要约", unions=[body])
        make_article("集体协商草稿", status=Article.Status.DRAFT, unions=[body])
        make_article("集体协商定时稿", published_at=NOW + timedelta(hours=2), unions=[body])
        withdrawn = make_article("集体协商撤回稿", unions=[body])
        workflow.withdraw(article=withdrawn, user=editor, reason="数据有误")
        deleted = make_article("集体协商删除稿", unions=[body])
        workflow.delete_article(article=deleted, user=editor)
        result, page = found(client, q="集体协商")
        assert result == [shown.pk]
        assert "共找到 <strong>1</strong> 篇" in page
        assert re.findall(r'union=chaoyang">[^<]+ <span class="muted">(\d+)', page) == ["1"]
        found_search = search.search_articles("集体协商")
        assert found_search.summary()[0] == 1 and [a.pk for a in found_search.articles(10)] == [shown.pk]
        # no postings at all for drafts, withdrawn and deleted stories (the scheduled one
        # waits in the index, behind its time)
        listed = set(SearchTerm.objects.values_list("article_id", flat=True))
        assert shown.pk in listed and not listed & {withdrawn.pk, deleted.pk}

    def test_scheduled_story_appears_when_due(self, client):
        story = make_article("集体协商定时稿", published_at=NOW + timedelta(hours=2))
        assert ids(client, "集体协商") == []
        Article.objects.filter(pk=story.pk).update(published_at=NOW - timedelta(minutes=1))
        SearchTerm.objects.filter(article=story).update(published_at=NOW - timedelta(minutes=1))
        cache.clear()
        assert ids(client, "集体协商") == [story.pk]


# --- An index that stays right ----------------------------------------------------------


class TestIndexInStep:
    def test_edit_withdraw_and_union_changes_update_the_entry(self, client, editor):
        story = make_article("职工急救培训")
        story.title = "职工消防演练"
        story.save()
        assert ids(client, "急救") == [] and ids(client, "消防") == [story.pk]
        body = make_union("朝阳区总工会", slug="chaoyang", short_name="朝阳区工会")
        story.union_bodies.add(body)
        assert ids(client, "消防", union="chaoyang") == [story.pk]
        assert ids(client, "朝阳区工会") == [story.pk]
        workflow.withdraw(article=story, user=editor, reason="重复")
        assert ids(client, "消防") == []

    def test_rebuild_shows_progress_and_restores_everything(self, client):
        story = make_article("职工急救培训")
        SearchTerm.objects.all().delete()
        SearchEntry.objects.all().delete()
        err = StringIO()
        call_command("rebuild_search_index", stdout=StringIO(), stderr=err)
        assert "重建检索索引" in err.getvalue() and "1/1" in err.getvalue()
        assert ids(client, "急救") == [story.pk]

    def test_check_reports_missing_and_stale_entries_and_fixes_them(self, client):
        fine, lost, changed = make_article("一"), make_article("职工急救培训"), make_article("二")
        SearchEntry.objects.filter(article=lost).delete()
        SearchTerm.objects.filter(article=lost).delete()
        Article.objects.filter(pk=changed.pk).update(title="职工消防演练")  # no save(): stale
        out = StringIO()
        with pytest.raises(CommandError, match="2 篇"):
            call_command("check_search_index", stdout=out)
        assert f"稿件 {lost.pk}：索引缺失" in out.getvalue()
        assert f"稿件 {changed.pk}：索引过期" in out.getvalue()
        assert str(fine.pk) + "：" not in out.getvalue()
        call_command("check_search_index", "--fix", stdout=StringIO())
        call_command("check_search_index", stdout=out)
        assert "检索索引完整" in out.getvalue()
        assert ids(client, "消防") == [changed.pk] and ids(client, "急救") == [lost.pk]


# --- Highlighting ------------------------------------------------------------------------


class TestHighlight:
    @pytest.mark.parametrize("word", ["lt", "gt", "quot", "amp"])
    def test_entity_names_are_never_marked(self, word):
        html = str(search.highlight('a<b>c & "d"', [(word, [])]))
        assert html == "a&lt;b&gt;c &amp; &quot;d&quot;"

    def test_text_is_escaped_once_and_words_marked(self):
        html = str(search.highlight("<工会>职工 & 集体协商", [("集体", []), ("协商", []), ("工会", [])]))
        assert html == "&lt;<mark>工会</mark>&gt;职工 &amp; <mark>集体协商</mark>"

    def test_search_for_lt_shows_no_entity_text(self, client):
        make_article("公式 a<b 的讲解", lead="当 x > 1 时 lt 成立。")
        _, page = found(client, q="lt")
        assert "&<mark>" not in page and "<mark>lt</mark>" in page


@pytest.mark.parametrize("data", [{}, {"union": "c"}, {"union": "no-such"}])
def test_the_union_select_is_djangos_markup_written_without_the_template_engine(data):
    """PlainSelect (the search form's union list) writes what Django's Select writes."""
    from django import forms
    from django.test.html import parse_html

    from articles.public.forms import PlainSelect

    choices = [("", "全部工会组织"), ("a&b", "　甲<乙\""), ("c", "丙")]

    def rendered(widget):
        class Form(forms.Form):
            union = forms.ChoiceField(choices=choices, required=False, widget=widget)
        return str(Form(data)["union"])

    assert parse_html(rendered(PlainSelect)) == parse_html(rendered(forms.Select))

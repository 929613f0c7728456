"""The public e-paper, its JSON, the 见报 line, the day archive by page, and 补录.

Only published issues and published stories are public; each e-paper page costs
the same queries whatever the number of stories on it.
"""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.models import Article, ArticleEvent, Placement
from articles.services import archive, epaper, workflow
from articles.services.permissions import SystemActor
from articles.services.workflow import NotAllowed, WorkflowError
from tests.epaper_data import STORIES, make_issue, make_stories
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db
SYSTEM = SystemActor("测试")


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.EPAPER_RENDER_WIDTH = 700


def text(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def regions(page_html):
    """{story URL: accessible name} of the SVG regions of an e-paper page."""
    svg = page_html.split('<svg class="sheet__regions"')[1].split("</svg>")[0]
    return {href: unescape(label) for href, label in re.findall(r'<a href="([^"]+)" aria-label="([^"]+)"', svg)}


def url(day, number=None):
    return f"/epaper/{day:%Y/%m/%d}/" + (f"{number}/" if number else "")


class TestPages:
    def test_each_region_links_its_own_story_with_the_headline_as_its_name(self, client):
        issue, stories = make_issue()
        for number in (1, 2, 3):
            page = text(client.get(url(issue.date, number)))
            expected = {s.get_absolute_url(): s.title for s, spec in zip(stories, STORIES) if spec[0] == number}
            if number == 3:  # the continuation of the 转版 story
                expected[stories[1].get_absolute_url()] = stories[1].title
            assert regions(page) == expected
            for story_url, title in expected.items():
                assert f'<a href="{story_url}">{title}</a>' in page  # 标题导航

    def test_latest_shows_the_newest_published_issue_first_page_and_skips_unpublished(self, client):
        older, _ = make_issue(timezone.localdate() - timedelta(days=3))
        newer, _ = make_issue(timezone.localdate() - timedelta(days=1), publish=False, stories=False)
        page = text(client.get("/epaper/"))
        assert f'href="http://testserver{url(older.date, 1)}"' in page  # canonical
        assert client.get(url(newer.date)).status_code == 404
        assert client.get(url(older.date, 9)).status_code == 404
        assert client.get("/epaper/2025/02/30/").status_code == 404

    def test_unpublished_stories_have_no_region_and_no_headline(self, client):
        issue, stories = make_issue()
        workflow.withdraw(article=stories[0], user=SYSTEM, reason="核实中")
        page = text(client.get(url(issue.date, 1)))
        assert stories[0].get_absolute_url() not in page and stories[0].title not in page
        assert stories[2].get_absolute_url() in regions(page)

    def test_navigation_pages_previous_next_pdf_and_calendar(self, client):
        issue, _ = make_issue()
        earlier, _ = make_issue(issue.date - timedelta(days=40), stories=False)
        page = text(client.get(url(issue.date, 2)))
        assert f'rel="prev" href="{url(issue.date, 1)}"' in page
        assert f'rel="next" href="{url(issue.date, 3)}"' in page
        for number in (1, 2, 3):
            assert f'href="{url(issue.date, number)}"' in page
        assert 'aria-current="page"><img' in page
        assert re.search(r'href="/media/epaper/[^"]+-2\.pdf"', page)
        calendar = page.split('class="epaper-calendar"')[1].split("</table>")[0]
        assert re.findall(r'href="(/epaper/\d{4}/\d\d/\d\d/)"', calendar) == [url(issue.date)]
        assert f'href="/epaper/{earlier.date:%Y/%m}/"' in calendar  # the nearest month with an issue
        month = text(client.get(f"/epaper/{earlier.date:%Y/%m}/"))
        assert f'href="{url(earlier.date)}"' in month
        assert client.get("/epaper/1999/01/").status_code == 404

    def test_a_page_without_an_image_lists_its_headlines(self, client, editor):
        day = timezone.localdate() - timedelta(days=2)
        story = make_article("只有文字的版面稿件", published_at=timezone.now() - timedelta(days=2))
        epaper.place_imported([story], print_date=day, print_page=1)
        epaper.publish_issue(issue=story.placements.get().page.issue, user=editor)
        page = text(client.get(url(day)))
        assert "本版暂无版面图" in page and f'<a href="{story.get_absolute_url()}">只有文字的版面稿件</a>' in page

    @pytest.mark.parametrize("path", ["{day}1/", "{day}", "{json}"])
    def test_query_count_does_not_grow_with_the_stories_on_a_page(self, client, path,
                                                                  django_assert_num_queries):
        """Issue, pages, placements (with 转版 parts), calendar dates, neighbour months, next
        schedule: 6 for a page; issue, placements, pages, next schedule: 4 for the JSON."""
        issue, _ = make_issue()
        page = issue.pages.get(number=1)
        target = path.format(day=url(issue.date), json=f"/epaper/{issue.date:%Y/%m/%d}.json")
        queries = 4 if "json" in target else 6
        for extra in (0, 12):
            for i in range(extra):
                story = make_article(f"加塞稿件{i}")
                Placement.objects.create(page=page, article=story, regions=[[[0, 0], [0.1, 0], [0.1, 0.1]]])
            cache.clear()
            with django_assert_num_queries(queries):
                assert client.get(target).status_code == 200

    def test_a_saved_region_shows_at_once(self, client):
        issue, stories = make_issue()
        before = regions(text(client.get(url(issue.date, 2))))
        assert stories[3].get_absolute_url() in before
        epaper.save_regions(page=issue.pages.get(number=2), user=SYSTEM,
                            assignments=[{"article": stories[4].pk, "regions": []}])
        after = regions(text(client.get(url(issue.date, 2))))
        assert stories[3].get_absolute_url() not in after


class TestJson:
    def test_pages_images_pdfs_and_regions_with_story_ids(self, client):
        issue, stories = make_issue()
        data = client.get(f"/epaper/{issue.date:%Y/%m/%d}.json").json()
        assert client.get("/epaper/latest.json").json() == data
        assert data["date"] == issue.date.isoformat()
        assert [p["number"] for p in data["pages"]] == [1, 2, 3]
        first = data["pages"][0]
        assert first["name"] == "要闻" and first["pdf"].endswith("-1.pdf") and first["url"].endswith(url(issue.date, 1))
        assert first["image"]["width"] == 700 and first["image"]["renditions"][0]["webp"].endswith(".webp")
        ids = {story["id"]: story for story in first["stories"]}
        assert set(ids) == {s.pk for s, spec in zip(stories, STORIES) if spec[0] == 1}
        jumped = ids[stories[1].pk]
        assert jumped["continues_on"] == 3 and jumped["url"] == f"http://testserver{stories[1].get_absolute_url()}"
        assert all(0 <= c <= 1 for polygon in jumped["regions"] for point in polygon for c in point)
        third = {story["id"]: story for story in data["pages"][2]["stories"]}
        assert third[stories[1].pk]["continued_from"] == 1

    def test_no_issue_is_a_json_404(self, client):
        response = client.get("/epaper/latest.json")
        assert response.status_code == 404 and response.json() == {"error": "还没有发布的报纸。"}
        assert client.get("/epaper/2025/06/12.json").status_code == 404


class TestPrintLine:
    def test_a_printed_story_says_where_and_links_to_its_page_and_back(self, client):
        issue, stories = make_issue()
        page = text(client.get(stories[1].get_absolute_url()))
        day = f"{issue.date.year}年{issue.date.month}月{issue.date.day}日"
        assert f'<a class="story__print" href="{url(issue.date, 1)}">见报：{day} 第1版 要闻</a>' in page
        assert stories[1].get_absolute_url() in regions(text(client.get(url(issue.date, 1))))

    def test_no_line_for_an_unpublished_issue(self, client):
        _, stories = make_issue(publish=False)
        assert "见报" not in text(client.get(stories[0].get_absolute_url()))


class TestDayArchive:
    def test_the_day_reads_like_its_paper_then_web_only(self, client):
        issue, stories = make_issue()
        web = make_article("只在网上发的稿件", published_at=stories[0].published_at + timedelta(hours=2))
        page = text(client.get(f"/archive/{issue.date:%Y/%m/%d}/"))
        order = [page.index(label) for label in ("第1版 要闻", "第2版 工会新闻", "第3版 基层", "本日其他报道")]
        assert order == sorted(order)
        sections = page.split('class="paper__page"')
        assert stories[0].title in sections[1] and stories[3].title in sections[2]
        assert web.title in sections[-1] and web.title not in sections[1]
        assert f'href="{url(issue.date, 1)}"' in sections[1]

    def test_query_count_is_the_same_with_an_issue(self, client, django_assert_num_queries):
        issue, _ = make_issue()
        cache.clear()
        with django_assert_num_queries(7):  # as without an issue (tests/test_public_site.py)
            assert client.get(f"/archive/{issue.date:%Y/%m/%d}/").status_code == 200


class TestBackfill:
    def old_issue(self, days=400):
        day = timezone.localdate() - timedelta(days=days)
        make_stories(day, status=Article.Status.DRAFT)
        issue, _ = make_issue(day, publish=False, stories=False)
        return issue

    def test_backfilled_stories_are_in_their_day_and_the_epaper_not_on_the_front_page_or_feeds(self, client):
        issue = self.old_issue()
        editor = make_user(group="编辑")
        done = archive.backfill_issue(issue=issue, user=editor)
        assert len(done) == len(STORIES)
        story = Article.objects.get(title=STORIES[0][1])
        assert timezone.localdate(story.published_at) == issue.date and story.backfilled_at
        event = ArticleEvent.objects.get(article=story, action="backfilled")
        assert event.actor == editor and event.get_action_display() == "补录"
        assert story.title in text(client.get(f"/archive/{issue.date:%Y/%m/%d}/"))
        assert story.get_absolute_url() in regions(text(client.get(url(issue.date, 1))))
        assert story.title not in text(client.get("/"))
        assert story.title not in text(client.get("/feeds/latest/"))

    def test_yesterdays_page_backfilled_today_is_not_news_either(self, client):
        issue = self.old_issue(days=1)
        archive.backfill_issue(issue=issue, user=make_user(group="编辑"))
        title = STORIES[0][1]
        assert title not in text(client.get("/")) and title not in text(client.get("/feeds/latest/"))
        assert title not in text(client.get("/sitemap-news.xml"))
        assert title in text(client.get(f"/archive/{issue.date:%Y/%m/%d}/"))

    def test_only_past_issues_by_editors_and_scheduling_stays_closed_to_the_past(self, districts):
        issue = self.old_issue()
        with pytest.raises(NotAllowed):
            archive.backfill_issue(issue=issue, user=make_user(group="记者"))
        story = Article.objects.get(title=STORIES[0][1])
        with pytest.raises(NotAllowed):
            archive.backfill_article(article=story, user=districts.district_editor, day=issue.date)
        with pytest.raises(WorkflowError, match="不是过去的日期"):
            archive.backfill_article(article=story, user=make_user(group="编辑"), day=timezone.localdate())
        workflow.submit(article=story, user=SYSTEM)
        with pytest.raises(WorkflowError, match="晚于现在"):
            workflow.publish(article=story, user=SYSTEM, at=timezone.now() - timedelta(days=400))
        assert not Article.objects.filter(status="published").exists()

"""Public story pages: 责任编辑 and 更新 lines, valid <time datetime>, the favicon."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.template import engines
from django.utils import timezone

from articles.models import Article, ArticleEvent
from articles.services import workflow

from .factories import make_article
from .newsroom import at_final, sign_off

pytestmark = pytest.mark.django_db


def page(client, story):
    return client.get(story.get_absolute_url()).content.decode()


# --- <time datetime> ------------------------------------------------------------------------


def render(value):
    return engines["jinja2"].from_string("{{ value|html_datetime }}").render({"value": value})


def test_html_datetime_drops_microseconds_and_keeps_beijing_offset():
    moment = timezone.make_aware(datetime(2026, 5, 1, 8, 30, 15, 123456), UTC)
    assert render(moment) == "2026-05-01T16:30:15+08:00"


def test_html_datetime_leaves_a_date_a_date_and_nothing_empty():
    assert render(datetime(2026, 5, 1).date()) == "2026-05-01"
    assert render(None) == ""


def test_no_time_on_public_pages_carries_fractional_seconds(client):
    # A second ago, with microseconds (replacing them alone could land in the future).
    when = (timezone.now() - timedelta(seconds=1)).replace(microsecond=654321)
    story = make_article("职工运动会开幕", published_at=when)
    for url in ("/", story.get_absolute_url(), "/search/?q=运动会"):
        html = client.get(url).content.decode()
        stamps = re.findall(r'<time[^>]*datetime="([^"]+)"', html)
        assert stamps, url
        assert not [s for s in stamps if "." in s], (url, stamps)


# --- 责任编辑 and 更新 -------------------------------------------------------------------------


@pytest.fixture
def cast(cast):
    cast.editor.first_name = "王编辑"
    cast.editor.save()
    return cast


def test_story_names_the_editor_who_signed_it_off(client, cast):
    story = at_final(cast, title="职工书屋开放")
    sign_off(story, cast.editor)
    html = page(client, story)
    assert "（责任编辑：王编辑）" in html


def test_an_editor_without_a_full_name_is_not_shown_by_login_name(client, cast):
    cast.editor.first_name = ""
    cast.editor.save()
    story = at_final(cast, title="职工书屋开放")
    sign_off(story, cast.editor)
    html = page(client, story)
    assert "责任编辑" not in html and "editor1" not in html


def test_story_without_a_logged_sign_off_has_no_editor_line(client):
    story = make_article("旧稿")
    assert "责任编辑" not in page(client, story)


def test_a_corrected_story_shows_when_it_was_updated(client, cast):
    story = at_final(cast, title="职工书屋开放")
    sign_off(story, cast.editor)
    assert "story__updated" not in page(client, story)
    story.refresh_from_db()
    story.title = "职工书屋全天开放"
    workflow.save_article(article=story, user=cast.editor, note="改标题")
    html = page(client, story)
    updated = re.search(r'class="story__updated">更新：<time datetime="([^"]+)">', html)
    corrected = story.events.get(action=ArticleEvent.Action.CORRECTED).created_at
    assert updated and updated.group(1) == timezone.localtime(corrected).replace(microsecond=0).isoformat()


def test_editing_a_scheduled_story_before_its_time_is_not_an_update(client, cast):
    story = at_final(cast, title="职工书屋开放")
    sign_off(story, cast.editor, at=timezone.now() + timedelta(hours=1))
    story.refresh_from_db()
    story.lead = "新导语"
    workflow.save_article(article=story, user=cast.editor, note="改导语")
    # Its time comes (moved forward rather than waiting an hour): the edit was before it.
    Article.objects.filter(pk=story.pk).update(published_at=timezone.now())
    html = page(client, story)
    assert "story__updated" not in html
    assert "（责任编辑：王编辑）" in html


# --- favicon ------------------------------------------------------------------------------


def test_every_page_links_an_icon_and_favicon_ico_is_not_a_404(client):
    html = client.get("/").content.decode()
    assert re.search(r'<link rel="icon" href="/static/img/favicon\.svg"', html)
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == "/static/img/favicon.ico"

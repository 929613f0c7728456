"""Public corrections (更正): shown on the article page with their date, and the cache follows."""

from datetime import datetime

import pytest
from django.utils import timezone

from articles.models import Article, ArticleEvent, Correction
from articles.services import workflow

from .factories import make_article
from .newsroom import change_url, form_data

pytestmark = pytest.mark.django_db


def test_a_correction_note_shows_on_the_public_page_with_its_date(client, cast):
    story = make_article("职工运动会开幕", body="<p>正文</p>")
    client.get(story.get_absolute_url())  # cached now
    client.force_login(cast.editor)
    client.post(change_url(story), form_data(
        story, change_note="修正人数", public_correction="本报此前报道中参赛人数有误，应为五百人。"))
    client.logout()
    correction = Correction.objects.get(article=story)
    assert correction.created_by == cast.editor
    assert story.events.filter(action=ArticleEvent.Action.CORRECTED, comment="修正人数").exists()
    html = client.get(story.get_absolute_url()).content.decode()
    assert "本报此前报道中参赛人数有误，应为五百人。" in html
    day = timezone.localtime(correction.created_at)
    assert f"{day.year}年{day.month}月{day.day}日" in html.split("story__corrections")[1]


def test_adding_a_correction_alone_refreshes_the_cached_page(client, cast):
    story = make_article("职工运动会开幕", body="<p>正文</p>")
    assert "更正" not in client.get(story.get_absolute_url()).content.decode().split("<article")[1]
    Correction.objects.create(article=story, note="日期有误，已更正。", created_by=cast.editor,
                              created_at=timezone.make_aware(datetime(2025, 5, 2, 9, 0)))
    html = client.get(story.get_absolute_url()).content.decode()
    assert "日期有误，已更正。" in html and "2025年5月2日" in html


def test_a_correction_without_a_public_note_shows_nothing_to_readers(client, cast):
    story = make_article("职工运动会开幕", body="<p>正文</p>")
    story.title = "职工运动会隆重开幕"
    workflow.save_article(article=story, user=cast.editor, expected_version=story.version, note="改标题")
    Correction.objects.create(article=story, note="内部更正", public=False, created_by=cast.editor)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "story__corrections" not in html and "内部更正" not in html


def test_a_draft_cannot_carry_a_public_correction(cast):
    story = make_article("草稿", status=Article.Status.DRAFT, created_by=cast.alice, body="<p>正文</p>")
    workflow.save_article(article=story, user=cast.alice, expected_version=story.version,
                          public_note="不应出现")
    assert not Correction.objects.exists()

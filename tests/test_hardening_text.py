"""Issue 16 #5, #8 and the feed summary of #14: text that XML, mail headers and logs cannot carry."""

import xml.etree.ElementTree as ET

import pytest

from articles.models import Article, UnionBody
from articles.models.text import clean_line, clean_text
from articles.services import workflow

from .factories import login, make_article, make_union
from .newsroom import change_url, form_data

pytestmark = pytest.mark.django_db

S = Article.Status
FEEDS = ["/feeds/latest/", "/feeds/latest/atom/"]


def test_the_cleaning_rule_drops_what_xml_cannot_carry_and_keeps_chinese():
    assert clean_line("职工\x0b技能\x1b竞赛\u3000（一）\x00") == "职工 技能竞赛\u3000（一）"
    assert clean_text("第一段\r\n第二段\x0b第三段\x85") == "第一段\n第二段\n第三段\n"
    assert clean_line("标题\r\n\r\n伪造") == "标题 伪造"


def test_control_characters_are_cleaned_on_save():
    story = make_article("竞赛\x0b现场", subtitle="副\x1b题", lead="导语\x0b第二行")
    story.refresh_from_db()
    assert (story.title, story.subtitle, story.lead) == ("竞赛 现场", "副题", "导语\n第二行")
    body = make_union("朝阳区\x1b总工会")
    assert UnionBody.objects.get(pk=body.pk).name == "朝阳区总工会"


@pytest.mark.parametrize("url", FEEDS + ["/feeds/unions/chaoyang/", "/sitemap-news.xml"])
def test_feeds_and_the_news_sitemap_survive_control_characters_already_stored(client, url):
    """Rows saved before the rule (or by QuerySet.update) still give valid XML."""
    body = make_union("朝阳区总工会", slug="chaoyang")
    story = make_article("标题", unions=[body], lead="导语")
    Article.objects.filter(pk=story.pk).update(title="竞赛\x0b现\x1b场", lead="导\x0b语", kicker="引\x08题")
    response = client.get(url)
    assert response.status_code == 200
    ET.fromstring(response.content)  # parses: well-formed XML
    assert "竞赛 现场" in response.content.decode()


@pytest.mark.parametrize("url", FEEDS)
def test_the_feed_summary_is_the_lead_as_text(client, url):
    make_article("标题", lead="职工<b>技能</b>竞赛 & 表彰")
    root = ET.fromstring(client.get(url).content)
    summaries = [el.text for el in root.iter() if el.tag.split("}")[-1] in ("description", "summary")]
    # A reader renders the summary as HTML: it must show the lead's characters, not make markup.
    assert "职工&lt;b&gt;技能&lt;/b&gt;竞赛 &amp; 表彰" in summaries


# --- 8. line breaks in single-line fields ---------------------------------------------------


def test_the_story_form_refuses_a_title_with_a_line_break(client, editor):
    story = make_article("原标题", status=S.DRAFT, created_by=editor)
    response = login(client, editor).post(change_url(story), form_data(story, title="标题\r\nBcc: x@example.org"))
    assert response.status_code == 200
    assert "主题不能换行" in response.content.decode()
    story.refresh_from_db()
    assert story.title == "原标题"


def test_a_title_never_carries_a_line_break_into_the_database():
    story = make_article("标题\r\n伪造的日志行")
    story.refresh_from_db()
    assert story.title == "标题 伪造的日志行"


def test_a_workflow_mail_about_a_story_with_a_broken_title_is_sent(districts, mailoutbox,
                                                                    django_capture_on_commit_callbacks):
    story = make_article("运动会", status=S.DRAFT, unions=[districts.street],
                         created_by=districts.cast.alice, body="<p>正文</p>")
    Article.objects.filter(pk=story.pk).update(title="运动会\r\nBcc: x@example.org")  # an old row
    story.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(article=story, user=districts.cast.alice)
    assert mailoutbox and all("\n" not in m.subject and "\r" not in m.subject for m in mailoutbox)
    assert not any("x@example.org" in m.recipients() for m in mailoutbox)


def test_a_failing_mail_is_logged_as_one_error_line(districts, monkeypatch, caplog,
                                                    django_capture_on_commit_callbacks):
    """Never silent, and nothing in a title writes a line of its own into the log."""
    from django.core.mail import EmailMessage

    def refuse(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    story = make_article("运动会", status=S.DRAFT, unions=[districts.street],
                         created_by=districts.cast.alice, body="<p>正文</p>")
    Article.objects.filter(pk=story.pk).update(title="运动会\r\nINFO forged line")
    story.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(article=story, user=districts.cast.alice)
    errors = [r for r in caplog.records if r.levelname == "ERROR" and "通知邮件发送失败" in r.getMessage()]
    assert errors and all("\n" not in r.getMessage() for r in errors)

"""The e-paper's admin pages keep the service's rule (epaper.can_manage_epaper):
only editors without a scope and administrators open them; everyone else is refused
at every URL, by GET and by POST, and a refused POST changes nothing."""

import pytest
from django.urls import reverse

from articles.models import Issue, Placement
from tests.epaper_data import make_issue
from tests.factories import login, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_pages(settings):
    settings.EPAPER_RENDER_WIDTH = 500


@pytest.fixture
def issue():
    return make_issue(publish=False)[0]


def urls(issue):
    page = issue.pages.order_by("number").first()
    return [
        reverse("admin:articles_issue_changelist"),
        reverse("admin:articles_issue_change", args=[issue.pk]),
        reverse("admin:articles_issue_upload"),
        reverse("admin:articles_issue_backfill", args=[issue.pk]),
        reverse("admin:articles_issue_regions", args=[page.pk]),
        reverse("admin:articles_issue_drafts", args=[page.pk]),
    ]


def state():
    return (list(Issue.objects.values_list("pk", "is_published")),
            sorted(Placement.objects.values_list("pk", "article_id", "page_id")))


def test_reporters_scoped_editors_and_staff_without_a_group_are_refused(client, issue, districts):
    before = state()
    for user in (make_user("reporter-x", group="记者"), districts.district_editor, make_user("staff-x")):
        login(client, user)
        for url in urls(issue):
            assert client.get(url).status_code == 403, (user.username, url)
            assert client.post(url, {"assignments": "[]"}).status_code == 403, (user.username, url)
        client.logout()
    assert state() == before


def test_an_editor_without_a_scope_opens_every_page(client, issue):
    login(client, make_user("desk-editor", group="编辑"))
    for url in urls(issue):
        response = client.get(url)
        # 补录 and 生成草稿 are POST-only actions: a GET goes back to an admin page, not to a login.
        assert response.status_code == 200 or (
            url.endswith(("/backfill/", "/drafts/")) and response.status_code == 302
            and "/login/" not in response["Location"]), url


def test_anonymous_is_sent_to_log_in(client, issue):
    for url in urls(issue):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url

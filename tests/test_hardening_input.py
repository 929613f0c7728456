"""Issue 16 #6 and #7: extreme dates, cursors and crafted numbers never give a 500."""

from datetime import datetime

import pytest
from django.utils import timezone

from articles import parsing
from articles.models import Article, Photo
from articles.services import workflow

from .factories import login, make_article, make_photo, make_reporter, make_union
from .images import encode, two_tone, upload
from .newsroom import at_final, make_cast

pytestmark = pytest.mark.django_db

BIG = "9" * 5000
HUGE_ID = "99999999999999999999999"  # beyond 64 bits


def test_the_parsing_helper_refuses_what_isdigit_accepts():
    assert "²".isdigit() and parsing.parse_int("²") is None
    assert parsing.parse_int(BIG) is None and parsing.parse_int(HUGE_ID) is None
    assert parsing.parse_int(" 42 ") == 42 and parsing.parse_int("-3") is None
    assert parsing.parse_moment("9999-12-31T23:59:59-14:00") is None
    assert parsing.parse_moment("2025-06-01T08:00:00 08:00").utcoffset().total_seconds() == 8 * 3600
    assert parsing.parse_date("0001-01-01") is None and parsing.parse_year("9999") is None


# --- 6. extreme dates and cursors ------------------------------------------------------

PUBLIC = [
    "/archive/0001/", "/archive/9999/", "/archive/0001/01/", "/archive/9999/12/", "/archive/9999/12/31/",
    "/archive/0001/01/01/", "/epaper/9999/12/", "/epaper/9999/12/31/", "/epaper/0001/01/01.json",
    "/?before=9999-12-31T23:59:59%2B14:00&before_id=1", "/?before=0001-01-01T00:00:00-14:00&before_id=1",
    f"/?before=2025-01-01T00:00:00&before_id={HUGE_ID}", f"/?before=2025-01-01T00:00:00&before_id={BIG}",
    "/unions/chaoyang/?before=0001-01-01T00:00:00%2B14:00&before_id=1",
    "/reporters/zhang/?before=9999-12-31T23:59:59-14:00&before_id=1",
    "/photos/?before=9999-12-31T23:59:59-14:00&before_id=1",
    f"/search/?q=工会&before=9999-12-31T23:59:59-14:00&before_id={HUGE_ID}",
]


@pytest.mark.parametrize("url", PUBLIC)
def test_extreme_dates_and_cursors_on_public_pages(client, url):
    make_union("朝阳区总工会", slug="chaoyang")
    make_reporter("张晶", slug="zhang")
    make_article("工会标题")
    assert client.get(url).status_code in (200, 404)


def test_scheduling_for_year_9999_is_refused():
    cast = make_cast()
    story = at_final(cast)
    with pytest.raises(workflow.WorkflowError, match="超出范围"):
        workflow.publish(article=story, user=cast.admin, opinion="同意",
                         at=timezone.make_aware(datetime(9999, 1, 1)))
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW


def test_the_schedule_form_refuses_year_9999(client):
    cast = make_cast()
    story = at_final(cast)
    response = login(client, cast.admin).post(f"/admin/articles/article/{story.pk}/transition/schedule/", {
        "version": story.version, "reason": "同意", "publish_at": "9999-12-31T23:59"}, follow=True)
    assert "超出范围" in response.content.decode()
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW


def test_a_story_already_scheduled_for_year_9999_does_not_break_the_admin_list(editor_client):
    story = make_article("远未来")
    Article.objects.filter(pk=story.pk).update(published_at=timezone.make_aware(datetime(9999, 12, 31)))
    response = editor_client.get("/admin/articles/article/")
    assert response.status_code == 200 and "远未来" in response.content.decode()


# --- 7. crafted numbers in staff-only parameters ---------------------------------------

ADMIN = [
    "/admin/articles/article/?union=²", f"/admin/articles/article/?union={BIG}",
    f"/admin/articles/article/?reporter={BIG}", "/admin/articles/article/?published=²",
    "/admin/articles/article/{pk}/revisions/?a=²&b=³", f"/admin/articles/article/{{pk}}/revisions/?a={BIG}&b=1",
    f"/admin/articles/article/{HUGE_ID}/change/", f"/admin/articles/article/?id__exact={BIG}",
    "/admin/articles/article/?published_at__year=99999", "/admin/articles/photo/?taken_on__year=99999",
    "/admin/editor/browse/?CKEditorFuncNum=²", f"/admin/editor/browse/?CKEditorFuncNum={BIG}",
]


@pytest.mark.parametrize("url", ADMIN)
def test_crafted_numbers_in_admin_parameters(editor_client, url):
    story = make_article("标题")
    make_photo()
    assert editor_client.get(url.replace("{pk}", str(story.pk))).status_code < 500


@pytest.mark.parametrize("version", ["²", BIG, HUGE_ID])
def test_crafted_version_fields(editor_client, version):
    story = make_article("标题")
    response = editor_client.post(f"/admin/articles/article/{story.pk}/transition/withdraw/",
                                  {"version": version, "reason": "试"})
    assert response.status_code < 500
    assert Article.objects.get(pk=story.pk).status == Article.Status.PUBLISHED


@pytest.mark.parametrize("func_num", ["²", BIG])
def test_a_crafted_editor_upload_callback_answers_and_keeps_the_photo_it_reports(editor_client, func_num):
    editor_client.cookies["ckCsrfToken"] = "a-ckeditor-token-of-some-length"
    response = editor_client.post(f"/admin/editor/upload/?CKEditorFuncNum={func_num}", {
        "upload": upload("现场.jpg", encode(two_tone(), "JPEG")), "ckCsrfToken": "a-ckeditor-token-of-some-length"},
        HTTP_ORIGIN="http://testserver")
    assert response.status_code == 200
    # The reply falls back to JSON naming the photo it saved: no orphan the editor never sees.
    assert response.json()["uploaded"] == 1 and Photo.objects.count() == 1


def test_date_fields_refuse_dates_outside_the_sane_range(editor_client):
    """Refused at input on every model form: here a photo's 拍摄日期 in year 9999."""
    photo = make_photo(caption="说明")
    response = editor_client.post(f"/admin/articles/photo/{photo.pk}/change/", {
        "caption": "说明", "alt_text": "", "credit_reporter": "", "credit_text": "",
        "taken_on": "9999-12-31", "union_body": ""})
    assert response.status_code == 200 and "超出范围" in response.content.decode()
    photo.refresh_from_db()
    assert photo.taken_on is None

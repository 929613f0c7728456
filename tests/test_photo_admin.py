"""The photo library in the admin: single and bulk upload, refusals, the list."""

import re
import time
from datetime import date

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from PIL import Image, ImageDraw

from articles.models import Photo

from .factories import login, make_photo, make_reporter, make_union, make_user
from .images import HTML_PAGE, encode, gif_js_polyglot, rotated_phone_jpeg, two_tone, upload

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/articles/photo/add/"
BULK_URL = "/admin/articles/photo/bulk-upload/"
LIST_URL = "/admin/articles/photo/"


@pytest.fixture(scope="session")
def phone_photos():
    """Twenty distinct ~3000×4000 phone-sized JPEGs (a few MB each), made once per session."""
    base = Image.linear_gradient("L").resize((3000, 4000)).convert("RGB")
    base = Image.blend(base, Image.effect_noise((3000, 4000), 24).convert("RGB"), 0.25)
    photos = []
    for n in range(20):
        image = base.copy()
        ImageDraw.Draw(image).rectangle([100 + n * 100, 300, 600 + n * 100, 900], fill=(180, n * 12, 20))
        photos.append(encode(image, "JPEG", quality=90))
    return photos


# --- One photo --------------------------------------------------------------------


def test_a_reporter_uploads_a_photo_with_caption_and_credit(reporter_client):
    body, photographer = make_union("石景山区总工会"), make_reporter("边磊")
    response = reporter_client.post(ADD_URL, {
        "upload": upload("IMG_2034.jpg", rotated_phone_jpeg()), "caption": "集体协商竞赛现场",
        "alt_text": "两队选手隔桌协商", "credit_reporter": photographer.pk, "credit_text": "",
        "taken_on": "", "union_body": body.pk,
    })
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.caption, photo.credit_reporter, photo.union_body) == (
        "集体协商竞赛现场", photographer, body)
    assert photo.taken_on == date(2025, 6, 18)  # from EXIF, the field was left empty
    assert photo.renditions["list"] and photo.original
    assert photo.uploaded_by.groups.filter(name="记者").exists()


def test_a_refused_upload_says_why_and_keeps_the_rest_of_the_form(reporter_client, settings):
    body = make_union()
    response = reporter_client.post(ADD_URL, {
        "upload": upload("photo.jpg", gif_js_polyglot()), "caption": "辛苦写好的说明",
        "alt_text": "", "credit_reporter": "", "credit_text": "通讯员 李明", "taken_on": "",
        "union_body": body.pk,
    })
    assert response.status_code == 200
    page = response.content.decode()
    assert "「photo.jpg」是 GIF 图片，不支持；只能上传 JPEG、PNG 或 WebP 图片。" in page
    assert "辛苦写好的说明" in page and "通讯员 李明" in page
    assert Photo.objects.count() == 0


def test_an_upload_is_required_when_adding(reporter_client):
    response = reporter_client.post(ADD_URL, {"caption": "没有图片"})
    assert "请选择要上传的图片。" in response.content.decode()
    assert Photo.objects.count() == 0


def test_editing_a_caption_keeps_the_files_and_a_new_file_replaces_them(
    client, django_capture_on_commit_callbacks, settings
):
    """The reporter who uploaded a photo that no story uses yet may change it."""
    reporter = make_user(group="记者")
    reporter_client = login(client, reporter)
    photo = make_photo(caption="旧说明", uploaded_by=reporter)
    old_image = photo.image.name
    form = {"caption": "新说明", "alt_text": "", "credit_reporter": "", "credit_text": "",
            "taken_on": "", "union_body": ""}
    reporter_client.post(f"/admin/articles/photo/{photo.pk}/change/", form)
    photo.refresh_from_db()
    assert (photo.caption, photo.image.name) == ("新说明", old_image)

    with django_capture_on_commit_callbacks(execute=True):
        reporter_client.post(f"/admin/articles/photo/{photo.pk}/change/", {
            **form, "upload": upload("换.jpg", encode(two_tone((500, 400)), "JPEG"))})
    photo.refresh_from_db()
    assert photo.image.name != old_image and photo.width == 500
    assert not (settings.MEDIA_ROOT / old_image).exists()


def test_the_image_cannot_be_set_around_the_checks(reporter_client):
    """`image` is not a form field: a crafted POST cannot store a file unchecked."""
    reporter_client.post(ADD_URL, {"image": upload("x.jpg", HTML_PAGE), "caption": "绕过"})
    assert Photo.objects.count() == 0


# --- Bulk upload ------------------------------------------------------------------


def test_twenty_phone_photos_upload_at_once_within_seconds(reporter_client, phone_photos):
    body, photographer = make_union(), make_reporter("边磊")
    files = [upload(f"IMG_{n:04d}.jpg", data) for n, data in enumerate(phone_photos)]
    assert all(len(data) > 1_000_000 for data in phone_photos)

    started, cpu_started = time.monotonic(), time.process_time()
    response = reporter_client.post(BULK_URL, {
        "files": files, "caption_prefix": "职工家庭开放日", "credit_reporter": photographer.pk,
        "union_body": body.pk, "credit_text": "", "taken_on": "2025-06-01",
    })
    elapsed, cpu = time.monotonic() - started, time.process_time() - cpu_started

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Photo.objects.count() == 20
    # CPU time is the measure that does not depend on what else the machine is
    # doing (about 4 s here, all threads counted); wall time only guards against a hang.
    assert cpu < 10, f"20 photos took {cpu:.1f}s of CPU"
    assert elapsed < 30, f"20 photos took {elapsed:.1f}s"
    first = Photo.objects.get(caption="职工家庭开放日（1）")
    assert (first.width, first.height) == (1500, 2000)
    assert first.union_body == body and first.credit_reporter == photographer
    assert first.taken_on == date(2025, 6, 1)
    assert LogEntry.objects.count() == 20
    assert "已上传 20 张图片。" in reporter_client.get(LIST_URL).content.decode()


def test_a_bulk_upload_with_a_bad_file_saves_nothing_and_keeps_the_fields(reporter_client):
    body = make_union("朝阳区总工会")
    response = reporter_client.post(BULK_URL, {
        "files": [upload("好.jpg", encode(two_tone(), "JPEG")), upload("坏.jpg", HTML_PAGE)],
        "caption_prefix": "送清凉", "union_body": body.pk, "credit_text": "通讯员 李明",
    })
    page = response.content.decode()
    assert response.status_code == 200
    assert "「坏.jpg」不是可以识别的图片文件" in page
    assert "以上 1 个文件未通过检查，本批图片都没有保存。" in page
    assert 'value="送清凉"' in page and 'value="通讯员 李明"' in page
    assert f'<option value="{body.pk}" selected>' in page
    assert Photo.objects.count() == 0


def test_bulk_upload_without_files_asks_for_them(reporter_client):
    response = reporter_client.post(BULK_URL, {"caption_prefix": "空"})
    assert "请至少选择一张图片。" in response.content.decode()


def test_the_library_offers_bulk_upload(reporter_client):
    page = reporter_client.get(LIST_URL).content.decode()
    assert f'href="{BULK_URL}"' in page and "批量上传" in page
    assert reporter_client.get(BULK_URL).status_code == 200


def test_a_user_without_add_photo_cannot_bulk_upload(client):
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="view_photo"))
    client.force_login(user)
    assert client.get(BULK_URL).status_code == 403
    response = client.post(BULK_URL, {"files": [upload("a.jpg", encode(two_tone(), "JPEG"))]})
    assert response.status_code == 403
    assert Photo.objects.count() == 0
    assert "批量上传" not in client.get(LIST_URL).content.decode()


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(BULK_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- The library list ---------------------------------------------------------------


def test_the_library_shows_thumbnails_and_filters(reporter_client):
    body, other = make_union("北汽集团工会"), make_union("昌平区总工会")
    bian = make_reporter("边磊")
    make_photo(caption="北汽的图", union_body=body, credit_reporter=bian)
    make_photo(caption="昌平的图", union_body=other, taken_on=date(2020, 1, 1))

    page = reporter_client.get(LIST_URL).content.decode()
    # One thumbnail each, from the list rendition.
    assert len(re.findall(r'<img src="/media/photos/[^"]+-list-\d+\.jpg"', page)) == 2
    assert "摄影" in page and "边磊" in page  # the photographer filter lists who has photos

    filtered = reporter_client.get(LIST_URL, {"union_body__id__exact": body.pk}).content.decode()
    assert "北汽的图" in filtered and "昌平的图" not in filtered
    by_photographer = reporter_client.get(LIST_URL, {"credit_reporter__id__exact": bian.pk})
    assert "昌平的图" not in by_photographer.content.decode()


def test_the_library_query_count_does_not_grow_with_photos(
    reporter_client, django_assert_num_queries
):
    """Session, user, permissions, the user's role, the filters' choices and one page
    of photos with their reporter and union body joined: the same count for 3 photos or 30."""
    body, reporter = make_union(), make_reporter()
    for _ in range(3):
        make_photo(union_body=body, credit_reporter=reporter)
    with django_assert_num_queries(9) as few:
        assert reporter_client.get(LIST_URL).status_code == 200
    for _ in range(27):
        make_photo(union_body=make_union(), credit_reporter=make_reporter())
    with django_assert_num_queries(len(few.captured_queries)):
        assert reporter_client.get(LIST_URL).status_code == 200

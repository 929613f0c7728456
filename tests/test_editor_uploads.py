"""Images in story bodies: CKEditor's upload and browse go through the photo library."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from articles.models import Article, Photo

from .factories import make_photo, make_user
from .images import encode, gif_js_polyglot, two_tone, upload

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/admin/editor/upload/"
BROWSE_URL = "/admin/editor/browse/"
CK_TOKEN = "a-ckeditor-token-of-some-length"


@pytest.fixture
def reporter_client(reporter_client):
    """A reporter in the story form: CKEditor has set its double-submit cookie."""
    reporter_client.cookies["ckCsrfToken"] = CK_TOKEN
    return reporter_client


def post_image(client, data, name="现场.jpg", query="?responseType=json", token=CK_TOKEN,
               origin="http://testserver"):
    """As the editor in our story form posts it (the browser sends the page's Origin)."""
    headers = {"HTTP_ORIGIN": origin} if origin else {}
    return client.post(UPLOAD_URL + query, {"upload": upload(name, data), "ckCsrfToken": token}, **headers)


def polyglot_jpeg():
    """A JPEG whose comment segment carries a script: valid image, dangerous bytes."""
    return encode(two_tone((400, 300)), "JPEG", comment=b"<script>alert(document.cookie)</script>")


def test_a_pasted_image_is_re_encoded_into_the_library(reporter_client, settings):
    response = post_image(reporter_client, polyglot_jpeg())
    assert response.status_code == 200
    answer = response.json()
    photo = Photo.objects.get()
    assert answer["uploaded"] == 1
    assert answer["url"] == "/media/" + photo.renditions["article"][-1]["jpeg"]
    served = (Path(settings.MEDIA_ROOT) / answer["url"].removeprefix("/media/")).read_bytes()
    assert b"<script" not in served  # never served as it was sent
    assert photo.uploaded_by.username == response.wsgi_request.user.username


def test_a_refused_image_is_reported_to_the_editor(reporter_client):
    answer = post_image(reporter_client, gif_js_polyglot(), name="a.jpg").json()
    assert answer == {"uploaded": 0, "error": {
        "message": "「a.jpg」是 GIF 图片，不支持；只能上传 JPEG、PNG 或 WebP 图片。"}}
    assert Photo.objects.count() == 0


def test_the_dialog_upload_answers_with_a_safe_callback(reporter_client):
    response = post_image(reporter_client, encode(two_tone(), "JPEG"), query="?CKEditorFuncNum=3")
    body = response.content.decode()
    url = "/media/" + Photo.objects.get().renditions["article"][-1]["jpeg"]
    # The one inline script carries the request's CSP nonce (newsroom/settings.py).
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert body == (
        f'<script nonce="{nonce}">window.parent.CKEDITOR.tools.callFunction(3, "{url}", "");</script>'
    )


def test_a_malicious_callback_number_is_not_echoed(reporter_client):
    response = post_image(
        reporter_client, encode(two_tone(), "JPEG"), query="?CKEditorFuncNum=1);alert(1)//"
    )
    assert "alert" not in response.content.decode() and response.json()["uploaded"] == 1


def test_a_non_image_is_refused_not_stored(reporter_client, settings):
    answer = post_image(reporter_client, b"%PDF-1.4 not an image", name="文件.pdf").json()
    assert answer["uploaded"] == 0 and "（.pdf）不支持" in answer["error"]["message"]
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_a_user_who_may_not_add_photos_cannot_upload_or_browse(client):
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(user)
    client.cookies["ckCsrfToken"] = CK_TOKEN
    response = post_image(client, encode(two_tone(), "JPEG"))
    assert response.status_code == 403 and response.json()["uploaded"] == 0
    assert client.get(BROWSE_URL).status_code == 403
    assert Photo.objects.count() == 0


def test_anonymous_visitors_cannot_upload_or_browse(client):
    assert post_image(client, encode(two_tone(), "JPEG")).status_code == 403
    assert client.get(BROWSE_URL).status_code == 403
    assert Photo.objects.count() == 0


def test_an_upload_without_either_csrf_token_is_refused(reporter_client):
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(make_user(group="记者"))
    response = post_image(csrf_client, encode(two_tone(), "JPEG"), token="")
    assert response.status_code == 403
    assert Photo.objects.count() == 0


def test_get_is_not_an_upload(reporter_client):
    assert reporter_client.get(UPLOAD_URL).status_code == 405


def test_browse_lists_library_photos_to_pick(reporter_client):
    make_photo(caption="奥运村联谊活动")
    make_photo(caption="朝外急救培训")
    page = reporter_client.get(BROWSE_URL, {"CKEditorFuncNum": "2", "q": "急救"}).content.decode()
    assert "朝外急救培训" in page and "奥运村联谊活动" not in page
    assert 'data-url="/media/photos/' in page
    assert '<script id="ck-func-num" type="application/json">2</script>' in page


def test_the_body_editor_points_at_our_upload_and_browse(reporter_client):
    page = reporter_client.get("/admin/articles/article/add/").content.decode()
    assert UPLOAD_URL in page and BROWSE_URL in page


def test_an_uploaded_image_survives_the_body_sanitiser(reporter_client):
    url = post_image(reporter_client, encode(two_tone(), "JPEG")).json()["url"]
    article = Article.objects.create(title="带图", body=f'<p><img src="{url}" alt="现场" onerror="x()"></p>')
    assert f'<img src="{url}" alt="现场">' in article.body


def test_ckeditors_double_submit_token_passes_the_csrf_check():
    """CKEditor cannot send Django's token; its own cookie + field pair is accepted."""
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(make_user(group="记者"))
    csrf_client.cookies["ckCsrfToken"] = CK_TOKEN
    assert post_image(csrf_client, encode(two_tone(), "JPEG"), token="wrong-token-of-some-length").status_code == 403
    assert post_image(csrf_client, encode(two_tone(), "JPEG")).json()["uploaded"] == 1


def test_a_body_image_from_elsewhere_loses_its_source():
    """Only our checked, re-encoded files may appear in a story body."""
    article = Article.objects.create(
        title="外链图", body='<p><img src="https://tracker.example/pixel.gif" alt="x"></p>'
    )
    assert "tracker.example" not in article.body


# --- the double-submit cookie counts only from our own pages (issue 16 #14) -----------------


def test_a_planted_ckeditor_token_from_another_site_is_refused(reporter_client):
    response = post_image(reporter_client, encode(two_tone(), "JPEG"), origin="https://evil.example")
    assert response.status_code == 403 and Photo.objects.count() == 0


def test_a_ckeditor_token_without_origin_or_referer_is_refused(reporter_client):
    response = post_image(reporter_client, encode(two_tone(), "JPEG"), origin=None)
    assert response.status_code == 403 and Photo.objects.count() == 0


def test_a_ckeditor_token_with_our_own_referer_is_accepted(reporter_client):
    response = reporter_client.post(
        UPLOAD_URL + "?responseType=json",
        {"upload": upload("现场.jpg", encode(two_tone(), "JPEG")), "ckCsrfToken": CK_TOKEN},
        HTTP_REFERER="http://testserver/admin/articles/article/add/")
    assert response.status_code == 200 and Photo.objects.count() == 1

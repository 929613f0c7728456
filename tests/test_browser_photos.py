"""A reporter uploads photos in the admin, in a real browser; readers see photo news."""

import pytest

from articles.models import Photo

from .browser import admin_login
from .factories import make_article, make_reporter, make_union, make_user
from .images import HTML_PAGE, encode, rotated_phone_jpeg, two_tone

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_reporter_uploads_one_then_several_photos(live_server, page, screenshots, tmp_path):
    make_union("石景山区总工会")
    make_reporter("边磊")
    make_user("reporter1", group="记者")
    phone = tmp_path / "IMG_2034.jpg"
    phone.write_bytes(rotated_phone_jpeg((1200, 800)))
    bad = tmp_path / "现场.jpg"
    bad.write_bytes(HTML_PAGE)
    # One name is longer than the 1,024 bytes of headers Django reads per part (issue 16 #13):
    # the page shortens it before sending (static/js/upload-names.js), or the request is a 400.
    names = ["批量0.jpg", "批量1.jpg", "市总工会职工技能竞赛现场" * 40 + ".jpg"]
    batch = [{"name": name, "mimeType": "image/jpeg",
              "buffer": encode(two_tone((1600, 1200), left=(40 * n, 120, 200)), "JPEG")}
             for n, name in enumerate(names)]

    admin_login(page, live_server, "reporter1")
    page.goto(f"{live_server.url}/admin/articles/photo/add/")
    page.set_input_files("#id_upload", str(bad))
    page.fill("#id_caption", "集体协商竞赛现场")
    with page.expect_navigation():
        page.click("input[name=_save]")
    page.locator(".errorlist", has_text="「现场.jpg」不是可以识别的图片文件").wait_for()
    assert page.input_value("#id_caption") == "集体协商竞赛现场"
    screenshots.take(page, "refused-with-caption-kept")

    page.set_input_files("#id_upload", str(phone))
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/articles/photo/")
    photo = Photo.objects.get()
    assert (photo.width, photo.height) == (800, 1200)  # turned upright
    screenshots.take(page, "library-one-photo")

    page.click("text=批量上传")
    page.set_input_files("#id_files", batch)
    page.fill("#id_caption_prefix", "职工技能竞赛")
    page.select_option("#id_union_body", label="石景山区总工会")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/articles/photo/")
    page.locator(".messagelist", has_text="已上传 3 张图片。").wait_for()
    assert page.locator("#result_list img").count() == 4
    shortened = Photo.objects.get(original_name__endswith="….jpg").original_name
    assert shortened.startswith("市总工会职工技能竞赛现场") and len(shortened.encode()) <= 180
    screenshots.take(page, "library-after-bulk")


def test_reader_sees_photo_news(live_server, page, screenshots):
    from .factories import make_photo

    for n in range(3):
        make_article(f"图片新闻{n}", photos=[make_photo(caption=f"说明{n}", credit_text="通讯员 李明")])
    page.goto(f"{live_server.url}/photos/")
    assert page.locator(".photo-card").count() == 3
    image = page.locator(".photo-card img").first
    image.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.photo-card img').complete")
    assert page.evaluate("document.querySelector('.photo-card img').currentSrc").endswith(".webp")
    screenshots.take(page, "photos-page")

"""articles.photos: what an upload must be, and what the public gets from it."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files import File
from PIL import Image

from articles.models import Photo
from articles.photos import ingest_photo, ingest_photos, prepare_upload, rebuild_photo
from articles.photos.storage import originals_storage

from .factories import make_article, make_photo, make_reporter, make_union
from .images import (
    GPS_IFD,
    HTML_PAGE,
    ORIENTATION,
    SVG_WITH_SCRIPT,
    encode,
    gif_js_polyglot,
    png_header_only,
    rotated_phone_jpeg,
    two_tone,
    upload,
)

pytestmark = pytest.mark.django_db


def files_under(root):
    root = Path(root)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def refused(upload_file):
    """Ingest `upload_file`, expecting a refusal; return its message."""
    with pytest.raises(ValidationError) as caught:
        ingest_photo(upload_file)
    (message,) = caught.value.messages
    return message


@pytest.fixture
def nothing_saved(settings):
    """After the test body: no Photo row and no file, public or private."""
    yield
    assert Photo.objects.count() == 0
    assert files_under(settings.MEDIA_ROOT) == []
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == []


# --- Refused, each with a message naming the file ----------------------------------


def test_a_text_file_is_refused(nothing_saved):
    assert refused(upload("会议纪要.jpg", b"just some text, not a picture")) == (
        "「会议纪要.jpg」不是可以识别的图片文件（也可能已损坏）；只能上传 JPEG、PNG 或 WebP 图片。"
    )


def test_a_truncated_jpeg_is_refused(nothing_saved):
    whole = encode(two_tone((400, 300)), "JPEG")
    assert refused(upload("半截.jpg", whole[: len(whole) // 2])) == (
        "「半截.jpg」不完整或已损坏（可能没有传完），请重新导出后再上传。"
    )


def test_a_decompression_bomb_is_refused_from_its_header(nothing_saved):
    """20000×20000 claimed in a 100-byte PNG: refused before a single pixel is decoded."""
    bomb = png_header_only(20000, 20000)
    assert len(bomb) < 200
    message = refused(upload("bomb.png", bomb, "image/png"))
    assert message.startswith("「bomb.png」像素过多")
    assert "超过上限 5000 万像素" in message


def test_an_image_just_over_the_pixel_limit_is_refused(settings, nothing_saved):
    settings.PHOTO_MAX_PIXELS = 300 * 200 - 1
    assert refused(upload("大图.png", encode(two_tone((300, 200)), "PNG"), "image/png")) == (
        "「大图.png」像素过多（300×200 像素），超过上限 6 万像素，可能是恶意构造的文件，已拒绝。"
    )


def test_a_gif_javascript_polyglot_is_refused_as_gif_and_as_a_fake_jpeg(nothing_saved):
    polyglot = gif_js_polyglot()
    assert polyglot.startswith(b"GIF87a/*") and polyglot.endswith(b"=alert(document.domain);//")
    assert refused(upload("动图.gif", polyglot, "image/gif")) == (
        "「动图.gif」的类型（.gif）不支持；只能上传 JPEG、PNG 或 WebP 图片。"
    )
    assert refused(upload("photo.jpg", polyglot)) == (
        "「photo.jpg」是 GIF 图片，不支持；只能上传 JPEG、PNG 或 WebP 图片。"
    )


def test_an_svg_with_a_script_is_refused(nothing_saved):
    assert refused(upload("logo.svg", SVG_WITH_SCRIPT, "image/svg+xml")) == (
        "「logo.svg」是 SVG 矢量图，可能含有脚本，不能作为图片上传；请上传 JPEG、PNG 或 WebP 图片。"
    )
    assert "不是可以识别的图片文件" in refused(upload("logo.png", SVG_WITH_SCRIPT, "image/png"))


def test_an_html_page_named_jpg_is_refused(nothing_saved):
    assert refused(upload("现场.jpg", HTML_PAGE)) == (
        "「现场.jpg」不是可以识别的图片文件（也可能已损坏）；只能上传 JPEG、PNG 或 WebP 图片。"
    )


def test_a_png_named_jpg_is_refused_as_a_mismatch(nothing_saved):
    assert refused(upload("现场.jpg", encode(two_tone(), "PNG"))) == (
        "「现场.jpg」的内容是 PNG 图片，与扩展名 .jpg 不符，已拒绝。请确认文件来源，或改正扩展名后重新上传。"
    )


def test_a_one_pixel_image_is_refused(nothing_saved):
    assert refused(upload("pixel.png", encode(Image.new("RGB", (1, 1)), "PNG"), "image/png")) == (
        "「pixel.png」太小（1×1 像素），宽和高都至少要 100 像素。"
    )


def test_a_file_over_the_byte_limit_is_refused(settings, nothing_saved):
    settings.PHOTO_MAX_UPLOAD_BYTES = 2 * 2**20
    assert refused(upload("大文件.jpg", b"\xff\xd8" + b"0" * (3 * 2**20))) == (
        "「大文件.jpg」有 3.0 MB，超过了上传上限 2 MB。请先压缩或缩小后再上传。"
    )


def test_an_empty_file_is_refused(nothing_saved):
    assert refused(upload("空.jpg", b"")) == "「空.jpg」是空文件。"


def test_an_iphone_heic_gets_a_useful_answer(nothing_saved):
    assert "HEIC 格式" in refused(upload("IMG_0001.HEIC", b"\x00\x00\x00\x18ftypheic"))


def test_an_animated_webp_is_refused(nothing_saved):
    frames = [Image.new("RGB", (200, 200), c) for c in ("red", "blue")]
    data = encode(frames[0], "WEBP", save_all=True, append_images=frames[1:])
    assert refused(upload("动图.webp", data, "image/webp")) == "「动图.webp」是动图，不支持；请上传静态图片。"


# --- Accepted, and how it is normalised --------------------------------------------


def public_files(photo):
    names = [photo.image.name]
    for items in photo.renditions.values():
        for item in items:
            names += [item["webp"], item["jpeg"]]
    return names


def test_a_rotated_phone_photo_is_turned_upright_and_loses_its_exif(settings):
    photo = ingest_photo(upload("IMG_2034.jpg", rotated_phone_jpeg((300, 200))))

    assert (photo.width, photo.height) == (200, 300)  # stored landscape, shown portrait
    with Image.open(photo.image.path) as public:
        assert public.size == (200, 300)
        # Orientation 6: the stored left edge (red) is the top once upright.
        assert public.getpixel((100, 10))[0] > 200 and public.getpixel((100, 290))[2] > 200
    assert photo.taken_on == date(2025, 6, 18)  # from EXIF DateTimeOriginal
    assert photo.original_name == "IMG_2034.jpg"


def test_no_public_file_carries_exif_gps_or_comments(settings):
    data = encode(two_tone((300, 200)), "JPEG", exif=Image.open(
        io.BytesIO(rotated_phone_jpeg())).getexif().tobytes(), comment=b"<script>alert(1)</script>")
    photo = ingest_photo(upload("现场.jpg", data))

    for name in public_files(photo):
        path = Path(settings.MEDIA_ROOT) / name
        raw = path.read_bytes()
        assert b"Exif\x00\x00" not in raw and b"PhoneMaker" not in raw, name
        assert b"<script" not in raw, name
        with Image.open(path) as image:
            assert not image.getexif(), name
            assert not {"exif", "xmp", "comment"} & set(image.info), name


def test_the_original_is_kept_privately_with_its_exif(settings):
    data = rotated_phone_jpeg()
    photo = ingest_photo(upload("IMG_2034.jpg", data))

    original = Path(originals_storage.path(photo.original))
    assert original.read_bytes() == data  # exactly as sent
    assert original.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not original.is_relative_to(settings.MEDIA_ROOT)
    with Image.open(original) as image:
        exif = image.getexif()
        assert exif[ORIENTATION] == 6 and exif.get_ifd(GPS_IFD)[1] == "N"
    with pytest.raises(ValueError):
        originals_storage.url(photo.original)  # no URL: it can never be linked


def test_a_cmyk_jpeg_becomes_rgb():
    cmyk = Image.new("CMYK", (300, 200), (0, 255, 255, 0))  # full magenta + yellow: red
    photo = ingest_photo(upload("印刷稿.jpg", encode(cmyk, "JPEG")))
    with Image.open(photo.image.path) as public:
        assert public.mode == "RGB"
        red, green, blue = public.getpixel((150, 100))
        assert red > 200 and green < 60 and blue < 60


def test_a_transparent_png_is_flattened_on_white():
    image = Image.new("RGBA", (300, 200), (0, 0, 0, 0))
    image.paste((200, 0, 0, 255), (0, 0, 150, 200))
    photo = ingest_photo(upload("示意图.png", encode(image, "PNG"), "image/png"))
    with Image.open(photo.image.path) as public:
        assert public.format == "JPEG" and public.mode == "RGB"
        assert min(public.getpixel((250, 100))) > 240  # the transparent half is white
        assert public.getpixel((50, 100))[0] > 180


def test_a_palette_png_and_a_webp_are_accepted():
    assert ingest_photo(upload("p.png", encode(two_tone().convert("P"), "PNG"))).width == 300
    assert ingest_photo(upload("w.webp", encode(two_tone(), "WEBP"), "image/webp")).width == 300


def test_renditions_have_the_sizes_the_site_needs(settings):
    photo = ingest_photo(upload("横幅.jpg", encode(two_tone((3000, 2000)), "JPEG")))

    assert (photo.width, photo.height) == (2000, 1333)  # public copy: 2000 on the long side
    sizes = {kind: [(i["width"], i["height"]) for i in items]
             for kind, items in photo.renditions.items()}
    assert sizes == {
        "list": [(480, 320), (960, 640)],
        "article": [(800, 533), (1200, 800)],
        "social": [(1200, 630)],
    }
    for items in photo.renditions.values():
        for item in items:
            for fmt, key in (("WEBP", "webp"), ("JPEG", "jpeg")):
                with Image.open(Path(settings.MEDIA_ROOT) / item[key]) as image:
                    assert image.format == fmt
                    assert image.size == (item["width"], item["height"])


def test_small_photos_are_never_enlarged():
    photo = ingest_photo(upload("小图.jpg", encode(two_tone((400, 300)), "JPEG")))
    assert [(i["width"], i["height"]) for i in photo.renditions["article"]] == [(400, 300)]
    assert [(i["width"], i["height"]) for i in photo.renditions["list"]] == [(400, 267)]
    assert [(i["width"], i["height"]) for i in photo.renditions["social"]] == [(400, 210)]


def test_file_names_are_random_and_stay_in_their_folders(settings):
    photo = ingest_photo(upload("../../etc/passwd.jpg", encode(two_tone(), "JPEG")))
    pattern = re.compile(r"^photos/\d{4}/\d{2}/[0-9a-f]{32}(-(list|article|social)-\d+)?\.(jpg|webp)$")
    for name in public_files(photo):
        assert pattern.match(name), name
    assert re.match(r"^originals/\d{4}/\d{2}/[0-9a-f]{32}\.jpg$", photo.original)
    assert photo.original_name == "passwd.jpg"


def test_the_upload_fields_are_set_and_exif_date_does_not_override_a_given_date():
    reporter, body = make_reporter("边磊"), make_union("石景山区总工会")
    photo = ingest_photo(
        upload("IMG.jpg", rotated_phone_jpeg()), caption="竞赛现场", credit_reporter=reporter,
        union_body=body, taken_on=date(2025, 1, 2),
    )
    photo.refresh_from_db()
    assert (photo.caption, photo.credit_reporter, photo.union_body) == ("竞赛现场", reporter, body)
    assert photo.taken_on == date(2025, 1, 2)
    assert photo.credit_line == "本报记者 边磊 摄"


def test_one_photo_can_illustrate_several_stories():
    photo = make_photo()
    first, second = make_article(photos=[photo]), make_article(photos=[photo])
    assert set(photo.articles.all()) == {first, second}


# --- Batches, replacing, deleting --------------------------------------------------


def test_a_batch_with_one_bad_file_saves_nothing_and_names_each_bad_file(nothing_saved):
    good = [upload(f"好{n}.jpg", encode(two_tone(), "JPEG")) for n in range(3)]
    bad = [upload("坏.jpg", HTML_PAGE), upload("小.png", encode(Image.new("RGB", (5, 5)), "PNG"))]
    with pytest.raises(ValidationError) as caught:
        ingest_photos([good[0], bad[0], good[1], bad[1], good[2]])
    messages = caught.value.messages
    assert messages[0].startswith("「坏.jpg」不是可以识别的图片文件")
    assert messages[1] == "「小.png」太小（5×5 像素），宽和高都至少要 100 像素。"
    assert messages[2] == "以上 2 个文件未通过检查，本批图片都没有保存。"


def test_a_batch_that_fails_while_saving_leaves_no_files(settings, monkeypatch, nothing_saved):
    calls = {"n": 0}
    original_save = Photo.save

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("database went away")
        return original_save(self, *args, **kwargs)

    monkeypatch.setattr(Photo, "save", failing_save)
    with pytest.raises(RuntimeError):
        ingest_photos([upload(f"{n}.jpg", encode(two_tone(), "JPEG")) for n in range(3)])


def test_a_batch_numbers_the_captions_and_shares_the_fields():
    body = make_union()
    made = ingest_photos(
        [upload(f"{n}.jpg", encode(two_tone(), "JPEG")) for n in range(2)],
        caption_prefix="技能竞赛", union_body=body, credit_text="通讯员 李明",
    )
    assert [p.caption for p in made] == ["技能竞赛（1）", "技能竞赛（2）"]
    assert {p.union_body for p in made} == {body}
    assert made[0].credit_line == "通讯员 李明"


def test_deleting_a_photo_removes_its_files(settings, django_capture_on_commit_callbacks):
    photo = make_photo()
    assert files_under(settings.MEDIA_ROOT) and files_under(settings.PRIVATE_MEDIA_ROOT)
    with django_capture_on_commit_callbacks(execute=True):
        photo.delete()
    assert files_under(settings.MEDIA_ROOT) == []
    assert files_under(settings.PRIVATE_MEDIA_ROOT) == []


def test_rebuilding_an_old_photo_moves_its_exif_file_out_of_public_reach(
    settings, django_capture_on_commit_callbacks
):
    """A photo stored before the library existed kept the file as sent, GPS included."""
    legacy = Photo(caption="旧图")
    legacy.image.save("old.jpg", File(io.BytesIO(rotated_phone_jpeg()), name="old.jpg"))
    old_public = Path(legacy.image.path)

    with django_capture_on_commit_callbacks(execute=True):
        rebuild_photo(legacy)

    legacy.refresh_from_db()
    assert not old_public.exists()
    assert legacy.renditions["list"]
    with Image.open(legacy.image.path) as public:
        assert not public.getexif() and public.size == (200, 300)
    with Image.open(originals_storage.path(legacy.original)) as original:
        assert original.getexif().get_ifd(GPS_IFD)


def test_prepare_touches_neither_disk_nor_database(settings, django_assert_num_queries):
    with django_assert_num_queries(0):
        prepared = prepare_upload(upload("a.jpg", encode(two_tone(), "JPEG")))
    assert prepared.width == 300
    assert files_under(settings.MEDIA_ROOT) == []


def test_the_rebuild_command_repairs_only_photos_without_renditions(
    settings, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    done = make_photo(caption="已有版本")
    legacy = Photo(caption="旧图")
    legacy.image.save("old.jpg", File(io.BytesIO(rotated_phone_jpeg()), name="old.jpg"))
    before = done.image.name
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("rebuild_photos", stdout=out)
    assert "已重做 1 张图片。" in out.getvalue()
    legacy.refresh_from_db()
    done.refresh_from_db()
    assert legacy.renditions and legacy.original and done.image.name == before

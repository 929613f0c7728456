"""Issue 16 #9, #10, #13: colour profiles, bulk-upload limits, multi-picture JPEGs and long names."""

import io
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from PIL import Image, ImageCms

from articles.models import Photo
from articles.photos import ingest_photo, ingest_photos, processing

from .factories import make_user
from .images import encode, two_tone, upload

pytestmark = pytest.mark.django_db

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def _public_files(photo, settings):
    names = [photo.image.name] + [
        name for items in photo.renditions.values() for item in items for name in (item["jpeg"], item["webp"])]
    return [settings.MEDIA_ROOT / name for name in names]


def _profiles(paths):
    found = []
    for path in paths:
        with Image.open(path) as image:
            found.append(image.info.get("icc_profile"))
    return found


# --- 9. colour profiles ----------------------------------------------------------------


def test_a_fake_colour_profile_is_not_copied_into_public_files(settings):
    fake = b"\x00\x80\x00\x00RGB " + b"x" * 1_000_000
    photo = ingest_photo(upload("现场.jpg", encode(two_tone((640, 480)), "JPEG", icc_profile=fake)))
    paths = _public_files(photo, settings)
    assert not any(_profiles(paths))
    assert sum(path.stat().st_size for path in paths) < 300_000


def test_a_real_srgb_profile_is_kept(settings):
    photo = ingest_photo(upload("现场.jpg", encode(two_tone((640, 480)), "JPEG", icc_profile=SRGB)))
    assert all(profile == SRGB for profile in _profiles(_public_files(photo, settings)))


def test_an_oversized_profile_is_applied_and_dropped(settings):
    settings.PHOTO_MAX_ICC_BYTES = 100  # the sRGB profile is 588 bytes
    photo = ingest_photo(upload("现场.jpg", encode(two_tone((640, 480)), "JPEG", icc_profile=SRGB)))
    assert not any(_profiles(_public_files(photo, settings)))


# --- 10. bulk uploads within a budget ----------------------------------------------------


def _files(count, size=(300, 200)):
    return [upload(f"{n}.png", encode(two_tone(size), "PNG"), "image/png") for n in range(count)]


def test_a_bulk_upload_over_the_total_pixels_is_refused_before_decoding(settings, monkeypatch):
    settings.PHOTO_BULK_MAX_PIXELS = 150_000  # three 300×200 pictures are 180,000
    monkeypatch.setattr(processing, "_decode", lambda *a: pytest.fail("decoded"))
    with pytest.raises(ValidationError, match="万像素"):
        ingest_photos(_files(3))
    assert Photo.objects.count() == 0


def test_a_bulk_upload_over_the_total_bytes_is_refused(settings):
    files = _files(3)
    settings.PHOTO_BULK_MAX_BYTES = sum(f.size for f in files) - 1
    with pytest.raises(ValidationError, match="MB"):
        ingest_photos(files)
    assert Photo.objects.count() == 0


def test_the_bulk_upload_page_says_why(client, settings):
    settings.PHOTO_BULK_MAX_PIXELS = 150_000
    client.force_login(make_user(group="记者"))
    response = client.post("/admin/articles/photo/bulk-upload/", {"files": _files(3), "caption_prefix": "现场"})
    assert "请分几批上传" in response.content.decode() and Photo.objects.count() == 0


def test_decoding_waits_for_the_pixel_budget(settings):
    settings.PHOTO_DECODE_BUDGET_PIXELS = 100
    budget, inside, most = processing._PixelBudget(), [0], [0]
    lock = threading.Lock()

    def work():
        with budget.held(80):
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.02)
            with lock:
                inside[0] -= 1

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == 1  # two pictures of 80 never decode together under a budget of 100


# --- 13. multi-picture JPEGs and long file names -------------------------------------------


def test_a_multi_picture_jpeg_gives_its_first_picture(settings):
    first, second = two_tone((400, 300)), two_tone((400, 300), left=(0, 255, 0), right=(0, 255, 0))
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    photo = ingest_photo(upload("IMG_0001.jpg", buffer.getvalue()))
    assert (photo.width, photo.height) == (400, 300)
    with Image.open(settings.MEDIA_ROOT / photo.image.name) as public:
        assert public.format == "JPEG" and public.getpixel((10, 150))[0] > 200  # red: the first picture


def test_photo_forms_shorten_long_file_names_before_sending(client):
    """Django refuses a part whose headers pass 1,024 bytes: the page shortens names first."""
    client.force_login(make_user(group="记者"))
    for url in ("/admin/articles/photo/add/", "/admin/articles/photo/bulk-upload/"):
        page = client.get(url).content.decode()
        assert "js/upload-names.js" in page and "data-short-names" in page

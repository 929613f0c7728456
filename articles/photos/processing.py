"""The photo library: every image the site serves passes through here.

An upload is first *prepared* in memory (`prepare_upload`): checked with Pillow
(format, content against name, size in bytes and pixels, completeness), turned
upright, converted to RGB and re-encoded without any metadata, and cut into the
renditions the site shows. Nothing touches the disk or the database until every
check has passed; then `save_prepared` writes the files under uuid names and the
row in one transaction, and removes what it wrote if anything fails.

- `ingest_photo(upload, **fields)` — one upload, one Photo (admin, editor, demo).
- `ingest_photos(uploads, **fields)` — a batch: all are checked first, then all
  are saved together, or none is.
- `rebuild_photo(photo)` — make the public copy and renditions again (e.g. for a
  photo stored before this module existed), from the original when there is one.

The original, exactly as sent (with its EXIF and GPS), is kept in
`originals_storage`, outside MEDIA_ROOT; the public gets only re-encoded files.
Refusals are ValidationErrors whose message names the file, in Chinese.
"""

import io
import os
import threading
import uuid
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.signals import post_delete
from django.utils import timezone
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

from ..models import Photo
from .storage import originals_storage

# A truncated file must be refused, never padded with grey.
ImageFile.LOAD_TRUNCATED_IMAGES = False

# What we accept: Pillow's format name and the file-name endings that go with it.
ACCEPTED = {"JPEG": (".jpg", ".jpeg", ".jpe"), "PNG": (".png",), "WEBP": (".webp",)}
ACCEPTED_LABEL = "JPEG、PNG 或 WebP"
# Formats Pillow may even look at: the accepted ones, plus a few common ones we
# recognise only to say clearly what the file is. Obscure parsers stay closed.
RECOGNISED = ["JPEG", "PNG", "WEBP", "GIF", "BMP", "TIFF"]

# The sizes the site shows. `widths` feed srcset; `ratio` crops to that shape
# (None keeps the photo's own). Never enlarged beyond the public copy.
RENDITIONS = {
    "list": {"widths": (480, 960), "ratio": (3, 2), "sizes": "(max-width: 600px) 100vw, 480px"},
    "article": {"widths": (800, 1200), "ratio": None, "sizes": "(max-width: 46rem) 100vw, 46rem"},
    "social": {"widths": (1200,), "ratio": (1200, 630), "sizes": "1200px"},
    # The e-paper's page images (articles/epaper/): the page on screen, and its thumbnail.
    "page": {"widths": (600, 1000), "ratio": None, "sizes": "(max-width: 700px) 100vw, 38rem"},
    "page_thumb": {"widths": (160,), "ratio": None, "sizes": "5rem"},
}
JPEG_QUALITY = 84
WEBP_QUALITY = 80


def configure_pillow():
    """Make Pillow itself refuse decompression bombs (called from AppConfig.ready).

    Our own check of the header's size (`_open`) comes first; this is the second
    line. The warning Pillow gives between one and two times the limit becomes
    an error process-wide (catch_warnings would not be thread-safe).
    """
    Image.MAX_IMAGE_PIXELS = settings.PHOTO_MAX_PIXELS
    warnings.filterwarnings("error", category=Image.DecompressionBombWarning)


# --- Preparing an upload (memory only) -------------------------------------------


@dataclass
class PreparedPhoto:
    """An upload that passed every check, encoded and ready to be written."""

    name: str  # as uploaded, for messages and the library
    upload: File  # the original bytes, kept privately
    suffix: str
    public: bytes  # the public JPEG
    width: int
    height: int
    taken_on: date | None = None
    # kind -> [(width, height, webp bytes, jpeg bytes), ...]
    renditions: dict = field(default_factory=dict)


def prepare_upload(upload):
    """Check and normalise one uploaded file; raise ValidationError naming it."""
    name = PurePath(upload.name or "").name or "（无文件名）"
    suffix = PurePath(name).suffix.lower()
    _check_name_and_size(upload, name, suffix)
    image = _open(upload, name, suffix)
    taken_on = _exif_date(image)
    with _decoding_budget.held(_decoded_pixels(image)):
        image = _decode(image, name)
        image, icc_profile = _normalise(image)
    public = _encode(image, "JPEG", icc_profile)
    renditions = {
        kind: [
            (im.width, im.height, _encode(im, "WEBP", icc_profile), _encode(im, "JPEG", icc_profile))
            for im in images
        ]
        for kind, images in _cut(image).items()
    }
    return PreparedPhoto(
        name=name, upload=upload, suffix=suffix if suffix in _all_suffixes() else ".jpg",
        public=public, width=image.width, height=image.height, taken_on=taken_on,
        renditions=renditions,
    )


def _all_suffixes():
    return {s for suffixes in ACCEPTED.values() for s in suffixes}


def _refuse(name, message):
    return ValidationError(f"「{name}」{message}", code="photo")


def _check_name_and_size(upload, name, suffix):
    """The checks that need no decoding: emptiness, bytes, the name's type."""
    size = upload.size or 0
    if size == 0:
        raise _refuse(name, "是空文件。")
    limit = settings.PHOTO_MAX_UPLOAD_BYTES
    if size > limit:
        raise _refuse(
            name, f"有 {size / 2**20:.1f} MB，超过了上传上限 {limit / 2**20:.0f} MB。"
            "请先压缩或缩小后再上传。",
        )
    if suffix in (".svg", ".svgz"):
        raise _refuse(
            name, f"是 SVG 矢量图，可能含有脚本，不能作为图片上传；请上传 {ACCEPTED_LABEL} 图片。"
        )
    if suffix in (".heic", ".heif"):
        raise _refuse(
            name, "是 HEIC 格式（苹果手机的默认格式），暂不支持；请在手机上导出为 JPEG"
            "（设置 › 相机 › 格式 › 兼容性最佳）后再上传。",
        )
    if suffix not in _all_suffixes():
        shown = suffix or "没有扩展名"
        raise _refuse(name, f"的类型（{shown}）不支持；只能上传 {ACCEPTED_LABEL} 图片。")


def _open(upload, name, suffix):
    """Read the header only: format and dimensions are known before any decoding."""
    upload.seek(0)
    try:
        image = Image.open(upload, formats=RECOGNISED)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels(name, None) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(
            name, f"不是可以识别的图片文件（也可能已损坏）；只能上传 {ACCEPTED_LABEL} 图片。"
        ) from None
    if image.format == "MPO":
        # A multi-picture JPEG (cameras' and phones' MPO: the picture plus a depth map or
        # a second view) is a JPEG whose first picture is the photo: take that one.
        image = _first_picture(image)
    if image.format not in ACCEPTED:
        raise _refuse(name, f"是 {image.format} 图片，不支持；只能上传 {ACCEPTED_LABEL} 图片。")
    if suffix not in ACCEPTED[image.format]:
        raise _refuse(
            name, f"的内容是 {image.format} 图片，与扩展名 {suffix} 不符，已拒绝。"
            "请确认文件来源，或改正扩展名后重新上传。",
        )
    width, height = image.size
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise _too_many_pixels(name, image.size)
    minimum = settings.PHOTO_MIN_SIDE
    if width < minimum or height < minimum:
        raise _refuse(
            name, f"太小（{width}×{height} 像素），宽和高都至少要 {minimum} 像素。"
        )
    if getattr(image, "n_frames", 1) > 1:
        raise _refuse(name, "是动图，不支持；请上传静态图片。")
    return image


def _first_picture(image):
    """The first picture of an MPO as a plain JPEG image (its header read, nothing decoded)."""
    image.seek(0)
    image.format = "JPEG"
    image.n_frames = 1
    return image


def _too_many_pixels(name, size):
    limit = f"{settings.PHOTO_MAX_PIXELS / 10_000:.0f} 万像素"
    shown = f"（{size[0]}×{size[1]} 像素）" if size else ""
    return _refuse(
        name, f"像素过多{shown}，超过上限 {limit}，可能是恶意构造的文件，已拒绝。"
    )


def _exif_date(image):
    """The date the picture was taken, from EXIF DateTimeOriginal (or DateTime)."""
    try:
        exif = image.getexif()
        value = exif.get_ifd(0x8769).get(0x9003) or exif.get(0x0132)
        return datetime.strptime(str(value).strip("\x00 ")[:19], "%Y:%m:%d %H:%M:%S").date()
    except Exception:  # absent, malformed or unreadable EXIF: no date, no refusal
        return None


class _PixelBudget:
    """At most PHOTO_DECODE_BUDGET_PIXELS pixels decoded at once in this process.

    Threads of a bulk upload (and concurrent requests of a threaded server) wait
    for their turn; a picture larger than the whole budget waits until it is alone.
    """

    def __init__(self):
        self._used = 0
        self._turn = threading.Condition()

    def held(self, pixels):
        budget = self

        class _Held:
            def __enter__(self):
                with budget._turn:
                    limit = settings.PHOTO_DECODE_BUDGET_PIXELS
                    budget._turn.wait_for(lambda: budget._used == 0 or budget._used + pixels <= limit)
                    budget._used += pixels

            def __exit__(self, *exc):
                with budget._turn:
                    budget._used -= pixels
                    budget._turn.notify_all()

        return _Held()


_decoding_budget = _PixelBudget()


def _decoded_pixels(image):
    """The pixels `_decode` will hold: JPEGs decode at a reduced scale (`draft`) when
    the public copy is smaller, so a phone photo costs a quarter of its size."""
    longest = settings.PHOTO_PUBLIC_MAX_SIDE
    if image.format == "JPEG" and max(image.size) > longest:
        scale = longest / max(image.size)
        image.draft(None, (round(image.width * scale), round(image.height * scale)))
    return image.width * image.height


def _decode(image, name):
    """Decode the pixels; JPEGs at a reduced scale when the public copy is smaller."""
    longest = settings.PHOTO_PUBLIC_MAX_SIDE
    if image.format == "JPEG" and max(image.size) > longest:
        scale = longest / max(image.size)
        # DCT scaling: a 4000px phone photo decodes at 2000px, about four times faster.
        image.draft(None, (round(image.width * scale), round(image.height * scale)))
    try:
        image.load()
    except (Image.DecompressionBombError, MemoryError):
        raise _too_many_pixels(name, image.size) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise _refuse(
            name, "不完整或已损坏（可能没有传完），请重新导出后再上传。"
        ) from None
    return image


def _normalise(image):
    """Upright, RGB, at most PHOTO_PUBLIC_MAX_SIDE, and with no metadata left.

    Returns the image and the ICC colour profile worth keeping (RGB ones only).
    """
    icc_profile = image.info.get("icc_profile") or None
    image = ImageOps.exif_transpose(image)
    if image.mode == "CMYK":
        image = _cmyk_to_rgb(image, _parsed_profile(icc_profile))
        icc_profile = None
    elif image.mode in ("RGBA", "LA", "PA", "P", "La", "RGBa") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, (255, 255, 255))
        image.paste(rgba, mask=rgba.getchannel("A"))
    elif image.mode != "RGB":
        image = image.convert("RGB")
        icc_profile = None if icc_profile and b"RGB " not in icc_profile[:20] else icc_profile
    image, icc_profile = _kept_profile(image, icc_profile)
    longest = settings.PHOTO_PUBLIC_MAX_SIDE
    if max(image.size) > longest:
        image.thumbnail((longest, longest), Image.Resampling.LANCZOS, reducing_gap=2.0)
    # Everything Pillow carried over (EXIF, XMP, comments, GPS) goes: a JPEG
    # comment, for one, would otherwise be written back out.
    image.info = {}
    return image, icc_profile


def _parsed_profile(icc_profile):
    """The ICC profile as LittleCMS reads it, or None when it is no profile at all."""
    if not icc_profile:
        return None
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def _kept_profile(image, icc_profile):
    """The RGB image and the profile copied into every public file: only a real RGB
    profile of at most PHOTO_MAX_ICC_BYTES. The profile is the one metadata block kept
    (`_normalise` drops the rest); an 8 MB fake one in a small JPEG once became 75 MB
    of public files. A large real profile is applied (pixels converted to sRGB) and
    dropped; one that does not parse is dropped (the pixels are read as sRGB)."""
    profile = _parsed_profile(icc_profile)
    if profile is None or profile.profile.xcolor_space.strip() != "RGB":
        return image, None
    if len(icc_profile) <= settings.PHOTO_MAX_ICC_BYTES:
        return image, icc_profile
    try:
        return ImageCms.profileToProfile(image, profile, ImageCms.createProfile("sRGB"),
                                         outputMode="RGB"), None
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image, None


def _cmyk_to_rgb(image, source):
    if source is not None:
        try:
            return ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            pass  # a broken profile: fall back to the plain conversion
    return image.convert("RGB")


def _cut(image):
    """Every kind's rendition images, smallest first, never enlarged, no duplicates.

    Each is scaled from the smallest image already made that covers it (the
    article size first, then the crops from it), not from the full public copy:
    the same result at a fraction of the work.
    """
    sources = [(image, None)]  # (image, the crop ratio it has, None = the photo's own)
    made = {}
    for kind in ("article", "social", "list"):
        spec = RENDITIONS[kind]
        ratio = spec["ratio"]
        images = []
        for width in sorted(spec["widths"], reverse=True):
            size = _target_size(image, ratio, width)
            if any(done.size == size for done in images):
                continue
            source = _smallest_cover(sources, size, ratio)
            if ratio:
                cut = _fit(source, size)
            else:
                cut = source if source.size == size else _resize(source, size)
            images.append(cut)
            sources.append((cut, ratio))
        made[kind] = sorted(images, key=lambda im: im.width)
    return made


def _target_size(image, ratio, width):
    if ratio:
        rw, rh = ratio
        width = min(width, image.width, image.height * rw // rh)
        return (width, max(1, round(width * rh / rw)))
    width = min(width, image.width)
    return (width, max(1, round(image.height * width / image.width)))


def _smallest_cover(sources, size, ratio):
    """The smallest source of the photo's own shape (or this ratio) that is big enough."""
    usable = []
    for source, source_ratio in sources:
        if source_ratio is not None and source_ratio != ratio:
            continue  # a crop of another shape would change the framing
        if ratio:
            big_enough = min(source.width, source.height * ratio[0] / ratio[1]) >= size[0] - 0.5
        else:
            big_enough = source.width >= size[0]
        if big_enough:
            usable.append(source)
    return min(usable, key=lambda im: im.width * im.height)


def _resize(image, size, box=None):
    # Bicubic after a fast integer reduction (reducing_gap): indistinguishable
    # from Lanczos at these sizes, and about twice as quick.
    return image.resize(size, Image.Resampling.BICUBIC, box=box, reducing_gap=2.0)


def _fit(image, size):
    """Crop the middle of `image` to the shape of `size`, then scale to it."""
    target = size[0] / size[1]
    if image.width / image.height > target:  # too wide: trim the sides
        crop_w = image.height * target
        box = ((image.width - crop_w) / 2, 0, (image.width + crop_w) / 2, image.height)
    else:  # too tall: trim top and bottom, keeping a little more of the top (faces)
        crop_h = image.width / target
        top = (image.height - crop_h) * 0.4
        box = (0, top, image.width, top + crop_h)
    return _resize(image, size, box=box)


def encode_jpeg(image):
    """`image` as the site's JPEG (for images that are not library photos)."""
    return _encode(image, "JPEG", None)


def scaled_renditions(image, kinds):
    """{kind: [(width, height, webp, jpeg)]} of `image` at each kind's widths, made the
    way a photo's are and never enlarged: for images that are not library photos
    (the e-paper's pages). Store them with `store_renditions`."""
    made = {}
    for kind in kinds:
        ratio, items = RENDITIONS[kind]["ratio"], []
        for width in sorted(RENDITIONS[kind]["widths"]):
            size = _target_size(image, ratio, width)
            if any(item[0] == size[0] for item in items):
                continue
            cut = _fit(image, size) if ratio else image if size == image.size else _resize(image, size)
            items.append((cut.width, cut.height, _encode(cut, "WEBP", None), _encode(cut, "JPEG", None)))
        made[kind] = items
    return made


def store_renditions(renditions, folder, key, put):
    """Write {kind: [(width, height, webp, jpeg)]} as `<folder>/<key>-<kind>-<width>.<ext>`
    with `put(storage, name, content)`; return what `Rendition.of` reads."""
    return {
        kind: [
            {
                "width": w, "height": h,
                "webp": put(default_storage, f"{folder}/{key}-{kind}-{w}.webp", ContentFile(webp)),
                "jpeg": put(default_storage, f"{folder}/{key}-{kind}-{w}.jpg", ContentFile(jpeg)),
            }
            for w, h, webp, jpeg in items
        ]
        for kind, items in renditions.items()
    }


def _encode(image, fmt, icc_profile):
    buffer = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if fmt == "JPEG":
        image.save(buffer, "JPEG", quality=JPEG_QUALITY, **options)
    else:
        # method 2 of 0-6: most of the size saving of the slower methods at a
        # fraction of the time; twenty phone photos must upload in seconds.
        image.save(buffer, "WEBP", quality=WEBP_QUALITY, method=2, **options)
    return buffer.getvalue()


# --- Saving -------------------------------------------------------------------------


def save_prepared(prepared, photo=None, *, uploaded_by=None, **fields):
    """Write a prepared upload's files and its Photo row; remove the files on failure.

    With an existing `photo`, its image is replaced and the old files are
    deleted once the transaction commits.
    """
    written = []
    try:
        with transaction.atomic():
            photo = _store(prepared, photo, written, uploaded_by=uploaded_by, **fields)
    except BaseException:
        delete_files(written)
        raise
    return photo


def ingest_photo(upload, *, uploaded_by=None, **fields):
    """Check, normalise and store one upload as a new Photo with `fields` set."""
    return save_prepared(prepare_upload(upload), uploaded_by=uploaded_by, **fields)


def ingest_photos(uploads, *, caption_prefix="", uploaded_by=None, **fields):
    """Store a batch: every file is checked first; one refusal saves nothing.

    The ValidationError lists one message per refused file. Captions are
    `caption_prefix` numbered in upload order (一张 alone keeps it as it is).
    """
    uploads = list(uploads)
    if not uploads:
        raise ValidationError("请至少选择一张图片。", code="photo")
    limit = settings.PHOTO_BULK_MAX_FILES
    if len(uploads) > limit:
        raise ValidationError(
            f"一次最多上传 {limit} 张图片，这次选了 {len(uploads)} 张。", code="photo"
        )
    _check_batch_totals(uploads)
    prepared, errors = [], []
    for outcome in _prepare_all(uploads):
        if isinstance(outcome, ValidationError):
            errors.extend(outcome.messages)
        else:
            prepared.append(outcome)
    if errors:
        raise ValidationError(
            [ValidationError(m, code="photo") for m in errors]
            + [ValidationError(f"以上 {len(errors)} 个文件未通过检查，本批图片都没有保存。")]
        )
    written, photos = [], []
    try:
        with transaction.atomic():
            for number, item in enumerate(prepared, start=1):
                caption = caption_prefix
                if caption_prefix and len(prepared) > 1:
                    caption = f"{caption_prefix}（{number}）"
                photos.append(
                    _store(item, None, written, uploaded_by=uploaded_by, caption=caption, **fields)
                )
    except BaseException:
        delete_files(written)
        raise
    return photos


def _header_pixels(upload):
    """The pixels a file's header claims (nothing decoded); 0 when it is no image."""
    try:
        upload.seek(0)
        with Image.open(upload, formats=RECOGNISED) as image:
            return image.width * image.height
    except Exception:  # noqa: BLE001  prepare_upload says what is wrong with the file
        return 0


def _check_batch_totals(uploads):
    """One bulk upload stays within PHOTO_BULK_MAX_BYTES and PHOTO_BULK_MAX_PIXELS in all,
    checked from sizes and headers before any file is decoded."""
    total_bytes = sum(upload.size or 0 for upload in uploads)
    if total_bytes > settings.PHOTO_BULK_MAX_BYTES:
        raise ValidationError(
            f"这批图片共 {total_bytes / 2**20:.0f} MB，一次最多上传 "
            f"{settings.PHOTO_BULK_MAX_BYTES / 2**20:.0f} MB；请分几批上传。", code="photo")
    total_pixels = sum(_header_pixels(upload) for upload in uploads)
    if total_pixels > settings.PHOTO_BULK_MAX_PIXELS:
        raise ValidationError(
            f"这批图片共 {total_pixels / 10_000:.0f} 万像素，一次最多 "
            f"{settings.PHOTO_BULK_MAX_PIXELS / 10_000:.0f} 万像素；请分几批上传。", code="photo")


def _prepare_all(uploads):
    """Prepare each upload, in upload order; a refusal comes back as its ValidationError.

    Pillow releases the GIL while decoding, scaling and encoding, so a few
    threads prepare a batch of phone photos several times faster.
    """

    def attempt(upload):
        try:
            return prepare_upload(upload)
        except ValidationError as error:
            return error

    workers = min(len(uploads), os.cpu_count() or 1, 4)
    if workers <= 1:
        return [attempt(upload) for upload in uploads]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(attempt, uploads))


def rebuild_photo(photo):
    """Make the public copy and renditions again, from the original when there is one.

    A photo stored before this module existed has only `image`, which may still
    carry EXIF and GPS: it becomes the original and a clean public copy is made.
    """
    if photo.original:
        storage, name = originals_storage, photo.original
    else:
        storage, name = default_storage, photo.image.name
    with storage.open(name, "rb") as handle:
        upload = File(handle, name=photo.original_name or PurePath(name).name)
        prepared = prepare_upload(upload)
        return save_prepared(prepared, photo)


def _store(prepared, photo, written, *, uploaded_by=None, **fields):
    """Write the files (recording them in `written`) and save the row."""
    photo = photo or Photo()
    if uploaded_by is not None and photo.uploaded_by_id is None:
        photo.uploaded_by = uploaded_by
    for name, value in fields.items():
        setattr(photo, name, value)
    if not photo.taken_on and prepared.taken_on:
        photo.taken_on = prepared.taken_on
    old_files = stored_files(photo) if photo.pk else []

    # One random key names every file of this photo: nothing can collide, and
    # nothing the uploader chose (its name, its path) reaches the file system.
    key = uuid.uuid4().hex
    folder = f"photos/{timezone.now():%Y/%m}"

    def put(storage, name, content):
        saved = storage.save(name, content)
        written.append((storage, saved))
        return saved

    photo.width, photo.height = prepared.width, prepared.height
    photo.image = put(default_storage, f"{folder}/{key}.jpg", ContentFile(prepared.public))
    photo.renditions = store_renditions(prepared.renditions, folder, key, put)
    prepared.upload.seek(0)
    photo.original = put(
        originals_storage, f"originals/{timezone.now():%Y/%m}/{key}{prepared.suffix}",
        prepared.upload,
    )
    photo.original_name = prepared.name[:200]
    photo.save()
    if old_files:
        transaction.on_commit(lambda: delete_files(old_files))
    return photo


def stored_files(photo):
    """Every (storage, name) a photo's row points at."""
    files = []
    if photo.image:
        files.append((default_storage, photo.image.name))
    if photo.original:
        files.append((originals_storage, photo.original))
    for items in (photo.renditions or {}).values():
        for item in items:
            files += [(default_storage, item["webp"]), (default_storage, item["jpeg"])]
    return files


def delete_files(files):
    """Remove (storage, name) files, ignoring those already gone."""
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:
            pass  # already gone; nothing else to do


def _delete_photo_files(sender, instance, **kwargs):
    """A deleted Photo takes its files along, once the deletion is committed."""
    files = stored_files(instance)
    transaction.on_commit(lambda: delete_files(files))


def connect_signals():
    """Called once from ArticlesConfig.ready()."""
    post_delete.connect(_delete_photo_files, sender=Photo, dispatch_uid="articles_photo_files")


# --- Showing ------------------------------------------------------------------------


@dataclass
class Rendition:
    """What a template needs for one <picture>: srcsets, a fallback src and a size."""

    kind: str
    src: str
    width: int
    height: int
    jpeg_srcset: str = ""
    webp_srcset: str = ""
    sizes: str = ""
    # Each made width as (width, height, jpeg URL, webp URL), narrowest first (the API's form).
    sources: tuple = ()

    @classmethod
    def of(cls, photo, kind):
        spec = RENDITIONS[kind]
        items = (photo.renditions or {}).get(kind)
        if not items:
            # Not made yet (a photo stored some other way): the public image as it is.
            if not photo.image:
                return None
            return cls(kind, photo.image.url, photo.width, photo.height, sizes=spec["sizes"])
        url = default_storage.url
        first = items[0]
        return cls(
            kind=kind,
            src=url(first["jpeg"]),
            width=first["width"],
            height=first["height"],
            jpeg_srcset=", ".join(f"{url(i['jpeg'])} {i['width']}w" for i in items),
            webp_srcset=", ".join(f"{url(i['webp'])} {i['width']}w" for i in items),
            sizes=spec["sizes"],
            sources=tuple((i["width"], i["height"], url(i["jpeg"]), url(i["webp"])) for i in items),
        )

    @property
    def largest_jpeg(self):
        """The widest JPEG (for story bodies and social cards)."""
        if not self.jpeg_srcset:
            return self.src
        return self.jpeg_srcset.split(", ")[-1].rsplit(" ", 1)[0]

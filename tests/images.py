"""Test inputs for the photo library, good and bad, built with Pillow or raw bytes."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

ORIENTATION, DATETIME_ORIGINAL, EXIF_IFD, GPS_IFD = 0x0112, 0x9003, 0x8769, 0x8825


def upload(name, data, content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def encode(image, fmt="JPEG", **options):
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def two_tone(size=(300, 200), left=(255, 0, 0), right=(0, 0, 255), mode="RGB"):
    """Left half one colour, right half another: shows which way it was turned."""
    image = Image.new(mode, size, left)
    image.paste(Image.new(mode, (size[0] // 2, size[1]), right), (size[0] // 2, 0))
    return image


def phone_exif(orientation=6, taken="2025:06:18 09:30:00"):
    """EXIF as a phone writes it: orientation, the time taken and where (GPS)."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(EXIF_IFD)[DATETIME_ORIGINAL] = taken
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (39.0, 54.0, 27.0), 3: "E", 4: (116.0, 23.0, 50.0)})
    return exif


def rotated_phone_jpeg(size=(300, 200)):
    """Stored landscape, EXIF orientation 6 (turn 90° clockwise to view), with GPS."""
    return encode(two_tone(size), "JPEG", exif=phone_exif(6).tobytes(), quality=95)


def png_header_only(width, height):
    """A PNG whose header claims width×height, with a few bytes of data: a decompression bomb."""

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(
            ">I", zlib.crc32(kind + data) & 0xFFFFFFFF
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


def gif_js_polyglot():
    """A real GIF whose bytes are also JavaScript: GIF89a/*…*/=alert(document.domain);"""
    data = bytearray(encode(Image.new("P", (120, 120)), "GIF"))
    data[6:8] = b"/*"  # the width field opens a JS comment
    return bytes(data) + b"*/=alert(document.domain);//"


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">'
    b'<script>alert(document.cookie)</script><rect width="200" height="200"/></svg>'
)
HTML_PAGE = b"<!doctype html><html><body><script>alert(1)</script></body></html>"

"""Reading a printed page's PDF with PDFium (pypdfium2): checks, rendering, the text layer.

`open_pdf(data, name)` refuses what is not a sound, open PDF of a sane size
before anything is rendered: not a PDF, encrypted, truncated, more pages than
EPAPER_MAX_PAGES (a page bomb), pages larger than EPAPER_MAX_PAGE_POINTS.
Refusals are ValidationErrors whose Chinese message names the file. Nothing
here touches the disk or the database.

`render(page)` gives a PIL image EPAPER_RENDER_WIDTH pixels wide; `text_lines(page)`
the page's lines of text with their boxes in page-relative coordinates (0–1,
origin top left, as regions are stored) and font sizes.
"""

from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from django.conf import settings
from django.core.exceptions import ValidationError

# A trailer this far from the end at most: "%%EOF" plus a few bytes of whitespace or
# an incremental update's padding. A file cut off in transfer has none.
TRAILER_WINDOW = 2048


def refuse(name, message):
    return ValidationError(f"「{name}」{message}", code="pdf")


@dataclass
class Line:
    """One line of text on a page: its text, box (0–1, top left origin) and font size (pt)."""

    text: str
    left: float
    top: float
    right: float
    bottom: float
    size: float


def open_pdf(data, name):
    """A checked pypdfium2 PdfDocument of `data` (bytes); raise ValidationError naming `name`."""
    limit = settings.EPAPER_MAX_UPLOAD_BYTES
    if not data:
        raise refuse(name, "是空文件。")
    if len(data) > limit:
        raise refuse(name, f"有 {len(data) / 2**20:.1f} MB，超过了上限 {limit / 2**20:.0f} MB。")
    if b"%PDF-" not in data[:1024]:
        raise refuse(name, "不是 PDF 文件；请上传排版系统导出的版面 PDF。")
    if b"%%EOF" not in data[-TRAILER_WINDOW:]:
        raise refuse(name, "不完整（文件末尾缺失，可能没有传完），请重新导出后再上传。")
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise refuse(name, "已加密（需要密码），请导出不加密的 PDF 后再上传。") from None
        raise refuse(name, "已损坏，无法读取，请重新导出后再上传。") from None
    try:
        _check(document, name)
    except BaseException:
        document.close()
        raise
    return document


def _check(document, name):
    if pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
        # Opened without a password, but restricted: the exporter meant to lock it.
        raise refuse(name, "已加密，请导出不加密的 PDF 后再上传。")
    count = len(document)
    if count == 0:
        raise refuse(name, "没有页面。")
    most = settings.EPAPER_MAX_PAGES
    if count > most:
        raise refuse(name, f"有 {count} 页，超过一期报纸的上限 {most} 页，已拒绝。")
    largest = settings.EPAPER_MAX_PAGE_POINTS
    for index in range(count):
        width, height = document.get_page_size(index)
        if not (1 <= width <= largest and 1 <= height <= largest):
            raise refuse(
                name, f"第 {index + 1} 页尺寸异常（{width:.0f}×{height:.0f} 磅），"
                f"每边应在 {largest} 磅以内，已拒绝。",
            )


def render(page):
    """The page as an RGB PIL image EPAPER_RENDER_WIDTH pixels wide (on white)."""
    width, _ = page.get_size()
    scale = settings.EPAPER_RENDER_WIDTH / width
    bitmap = page.render(scale=scale, fill_color=(255, 255, 255, 255), may_draw_forms=False)
    try:
        return bitmap.to_pil().convert("RGB")
    finally:
        bitmap.close()


def text_lines(page):
    """The page's lines of text, top to bottom as printed, with boxes and font sizes.

    PDFium gives characters with their boxes; a line ends where PDFium breaks it
    (a new text line) or where the next character jumps far to the side (two
    columns set on one baseline).
    """
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        if count <= 0:
            return []
        text = textpage.get_text_range(0, count)
        lines, current = [], []

        def end_line():
            if current:
                lines.append(_line(current, width, height))
                current.clear()

        for index in range(min(count, len(text))):
            char = text[index]
            if char in "\r\n":
                end_line()
                continue
            left, bottom, right, top = textpage.get_charbox(index)
            size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index) or (top - bottom)
            if current:
                last = current[-1]
                gap = left - last[2]
                # A new line when the next character jumps far to the side, or sits wholly
                # above or below the last one (quotation marks are small, not on a new line).
                apart = min(top, last[3]) - max(bottom, last[1]) < -0.2 * size
                if gap > 2.5 * max(size, last[5]) or gap < -size or apart:
                    end_line()
            if char.isspace() and not current:
                continue
            current.append((left, bottom, right, top, char, size))
        end_line()
        return [line for line in lines if line.text]
    finally:
        textpage.close()


def _line(chars, width, height):
    text = "".join(c[4] for c in chars).strip()
    sizes = sorted(c[5] for c in chars if not c[4].isspace()) or [0]
    return Line(
        text=text,
        left=max(0.0, min(c[0] for c in chars) / width),
        right=min(1.0, max(c[2] for c in chars) / width),
        top=max(0.0, 1 - max(c[3] for c in chars) / height),
        bottom=min(1.0, 1 - min(c[1] for c in chars) / height),
        size=sizes[len(sizes) // 2],
    )

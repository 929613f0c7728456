"""The printed page's PDF: pdf.py (checks, rendering, text layer with PDFium) and
layout.py (story blocks from the text layer, matched to stories by headline).
Pure reading; writing pages and regions is articles/services/epaper.py."""

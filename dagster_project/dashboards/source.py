"""Where a finding sits in its source: a PDF page rendered with the compared cells framed, or
the lines of a text report around the cited line."""

from __future__ import annotations

import functools
from io import BytesIO
from pathlib import Path

import pdfplumber
from PIL import Image

FRAME_COLOUR = (255, 0, 0)
FRAME_WIDTH = 3
RESOLUTION = 110  # dots per inch: a whole A4 page readable on screen, small enough to send


def render_page(path: str | Path, page_no: int,
                boxes: list[tuple[float, float, float, float]],
                resolution: int = RESOLUTION) -> Image.Image:
    """Page `page_no` (1-based) of a PDF with each box (x0, top, x1, bottom, PDF points from
    the top-left) framed in red."""
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[page_no - 1]
        image = page.to_image(resolution=resolution)
        for box in boxes:
            image.draw_rect(box, fill=None, stroke=FRAME_COLOUR, stroke_width=FRAME_WIDTH)
        return image.annotated.convert("RGB")


def page_png(path: str | Path, page_no: int, boxes: list[tuple[float, float, float, float]],
              resolution: int = RESOLUTION) -> bytes:
    """The framed page as PNG bytes (PNG, not JPEG: a thin frame stays exactly red), kept per
    version of the file (its modification time): a page rendered ahead of a pick (warm.py) or
    picked before costs nothing the next time, and a file replaced on disk is rendered anew."""
    path = Path(path)
    return _png(str(path), path.stat().st_mtime_ns, page_no, tuple(boxes), resolution)


@functools.lru_cache(maxsize=64)
def _png(path: str, _version: int, page_no: int, boxes: tuple, resolution: int) -> bytes:
    out = BytesIO()
    render_page(path, page_no, list(boxes), resolution).save(out, format="PNG")
    return out.getvalue()


def text_lines(path: str | Path, line_no: int, around: int = 12) -> list[tuple[int, str]]:
    """(number, text) of the lines around `line_no` (1-based) of a text report."""
    raw = Path(path).read_bytes()
    for encoding in ("utf-8", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("utf-8", errors="replace")
    lines = text.splitlines()
    first, last = max(1, line_no - around), min(len(lines), line_no + around)
    return [(n, lines[n - 1]) for n in range(first, last + 1)]

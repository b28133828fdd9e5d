"""Hostile report files built in the test (issue 11): a PDF decompression bomb, a many-page PDF.

Written byte by byte (no PDF library), so the bomb costs its compressed size to build, not its
expansion: deflate with a full flush after each block of spaces restarts from an empty window,
so every block after the first compresses to the same bytes, which are repeated.
"""

from __future__ import annotations

import zlib


def pdf_bytes(page_streams: list[tuple[bytes, str | None]]) -> bytes:
    """A minimal valid PDF with one page per content stream (its bytes and /Filter, or None)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(page_streams)))
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {len(page_streams)} >>".encode())
    for i, (data, filt) in enumerate(page_streams):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       f"/Contents {4 + 2 * i} 0 R /Resources << >> >>".encode())
        flt = f" /Filter /{filt}" if filt else ""
        objects.append(f"<< /Length {len(data)}{flt} >>\nstream\n".encode() + data
                       + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{off:010d} 00000 n \n".encode() for off in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            .encode())
    return bytes(out)


def flate_bomb(expanded_mb: int) -> bytes:
    """A zlib stream (with a valid checksum) that expands to `expanded_mb` MiB of spaces."""
    block = b" " * (1 << 20)
    c = zlib.compressobj(9)
    first = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    again = c.compress(block) + c.flush(zlib.Z_FULL_FLUSH)
    end = c.flush()[:-4]  # the final empty block; its checksum covers two blocks only
    checksum = 1
    for _ in range(expanded_mb):
        checksum = zlib.adler32(block, checksum)
    return first + again * (expanded_mb - 1) + end + checksum.to_bytes(4, "big")


def bomb_pdf(expanded_mb: int) -> bytes:
    """A one-page PDF whose content stream expands to `expanded_mb` MiB (FlateDecode)."""
    return pdf_bytes([(flate_bomb(expanded_mb), "FlateDecode")])


def many_pages_pdf(pages: int) -> bytes:
    """A PDF of `pages` empty pages (each an empty text object)."""
    return pdf_bytes([(b"BT ET", None)] * pages)

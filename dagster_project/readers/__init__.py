"""Format readers: each turns a file into the neutral `Document`."""

from __future__ import annotations

from pathlib import Path

from dagster_project.document import Document
from dagster_project.readers.errors import IngestError, NotAReport

REPORT_SUFFIXES = {".txt": "text", ".pdf": "pdf"}


def read_document(path: Path, max_pages: int | None = None) -> Document:
    """`max_pages`: a PDF with more pages is refused before any page is read."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        from dagster_project.readers.pdf import read_pdf  # pdfplumber is slow to import

        return read_pdf(path, max_pages)
    if suffix == ".txt":
        from dagster_project.readers.text import read_text

        return read_text(path)
    raise NotAReport(path.name, f"unsupported file type {suffix!r} (expected .txt or .pdf)")


__all__ = ["REPORT_SUFFIXES", "IngestError", "read_document"]

"""The neutral document: what every format reader produces and the interpreter consumes.

A report, whatever its format, becomes an ordered list of blocks. A block is either a
paragraph (one line or one joined paragraph of prose) or a table (rows of cell strings).
Every block and every cell keeps where it came from, so any fact derived from it can be
traced back to the file and the line (text) or the page and position (PDF).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    """Where a piece of text sits in its source file.

    Text files fill ``line``/``end_line`` (1-based); PDFs fill ``page`` (1-based) and the
    bounding box ``bbox`` (x0, top, x1, bottom in PDF points) and may fill ``line`` with the
    line number of the text on that page.
    """

    file: str
    line: int | None = None
    end_line: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.page is not None:
            parts.append(f"p.{self.page}")
        if self.line is not None:
            if self.end_line is not None and self.end_line != self.line:
                parts.append(f"L{self.line}-{self.end_line}")
            else:
                parts.append(f"L{self.line}")
        if self.bbox is not None:
            x0, top, _x1, _bottom = self.bbox
            parts.append(f"@{x0:.0f},{top:.0f}")
        return ":".join(parts)


@dataclass(frozen=True)
class Cell:
    text: str
    location: Location


@dataclass
class Paragraph:
    text: str
    location: Location
    kind: str = field(default="paragraph", init=False)


@dataclass
class Table:
    """Consecutive table rows. Rows may have different lengths (merged cells collapse)."""

    rows: list[list[Cell]]
    location: Location
    kind: str = field(default="table", init=False)

    def texts(self) -> list[list[str]]:
        return [[c.text for c in row] for row in self.rows]


Block = Paragraph | Table


@dataclass
class Document:
    """A whole report file as neutral blocks, plus what the reader learnt about the file."""

    file_name: str
    sha256: str
    format: str  # "text" or "pdf"
    blocks: list[Block]
    encoding: str | None = None
    pages: int | None = None
    # PDF pages with no text layer (scanned into images): their content cannot be read.
    pages_without_text: list[int] = field(default_factory=list)

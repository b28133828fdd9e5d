"""Errors a reader or the interpreter raises for a file it cannot turn into a report."""

from __future__ import annotations


class IngestError(Exception):
    """A report that cannot be loaded. `kind` is a stable code for the ingest_errors table."""

    kind = "unreadable"

    def __init__(self, file: str, message: str, location: str | None = None):
        self.file = file
        self.message = message
        self.location = location or file
        super().__init__(f"{self.location}: {message}")


class EncodingProblem(IngestError):
    kind = "encoding"


class NotAReport(IngestError):
    kind = "not_a_report"


class TruncatedReport(IngestError):
    kind = "truncated"


class ColumnMismatch(IngestError):
    kind = "column_mismatch"


class ScannedPdf(IngestError):
    kind = "scanned_pdf"


class ResourceLimit(IngestError):
    """Parsing the file went past a configured limit (memory, time, pages): named in the message."""

    kind = "resource_limit"

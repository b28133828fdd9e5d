"""Parsing as its own fan-out: chunks of report files parsed anywhere, staged as Parquet, loaded
by the one warehouse writer.

A chunk is a list of files (path, SHA-256, size) planned by the writer side. `stage_chunk`
parses it file by file under the parse limits (`parse_limits.parse_file`, which runs
`ingest.read_for_load`) and writes one Parquet file: one row per report with its
SHA-256, the report's header facts, its problems and its raw rows (per raw table, as JSON text:
amounts are already decimal text in `raw_rows`, so nothing passes through float). The file is
written under a temporary name and renamed to `chunk-<id>-<rows>r-<sha16>.parquet`, the row
count and the SHA-256 of its own bytes in its name, so a chunk is staged completely or not at
all, and `load_staged` can tell a truncated or corrupt file from a good one (and parses the
chunk again itself). Staged chunks are removed once loaded.

The staging location is a local folder or any fsspec URL (`s3://bucket/juesuan/staging`): every
worker and the writer must see the same one.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import socket
import uuid
from dataclasses import dataclass, fields
from pathlib import Path

import duckdb
import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from dagster_project.ingest import BatchSummary, ReadResult, SourceFile, load_results
from dagster_project.interpret.facts import Problem, ReportFacts
from dagster_project.parse_limits import ParseLimits, parse_file
from dagster_project.warehouse.load import COLUMNS, ensure_schema, raw_rows, report_id_of

# A report's facts without its tables (those travel as raw rows), and every field of a problem.
HEADER_FIELDS = [f.name for f in fields(ReportFacts)
                 if f.name not in ("tables", "narrative", "evaluations", "problems")]
PROBLEM_FIELDS = [f.name for f in fields(Problem)]
ROW_TABLES = list(COLUMNS)  # report_tables, table_cells, narrative, performance

SCHEMA = pa.schema([
    ("sha256", pa.string()),  # the file's, the load's key
    ("file_path", pa.string()),
    ("size", pa.int64()),
    ("facts", pa.string()),  # header facts as JSON; null when the file could not be read
    ("problems", pa.string()),  # JSON list of problems, their location as text
    *[(f"rows_{t}", pa.string()) for t in ROW_TABLES],  # JSON list of row lists
    ("parsed_by", pa.string()),  # host:pid of the worker that parsed it
])


@dataclass(frozen=True)
class Chunk:
    """Files to parse together. `chunk_id` is stable for the same files (a re-plan of the same
    folder names the same chunks), so a retried chunk overwrites, never duplicates."""

    index: int
    files: tuple[tuple[str, str, int], ...]  # (path, sha256, size)

    @property
    def chunk_id(self) -> str:
        digest = hashlib.sha256("\n".join(s for _, s, _ in self.files).encode()).hexdigest()
        return f"{self.index:05d}-{digest[:12]}"

    def sources(self) -> list[SourceFile]:
        return [SourceFile(Path(p), sha, size) for p, sha, size in self.files]


@dataclass(frozen=True)
class StagedChunk:
    chunk: Chunk
    url: str  # the staged Parquet file
    rows: int
    parsed_by: str


def plan_chunks(sources: list[SourceFile], chunk_size: int, chunks: int | None = None
                ) -> list[Chunk]:
    """Split files into chunks: `chunks` of them when given (as even as possible), else
    `chunk_size` files each."""
    if not sources:
        return []
    if chunks:
        chunk_size = -(-len(sources) // max(1, chunks))
    chunk_size = max(1, chunk_size)
    return [Chunk(i, tuple((str(s.path), s.sha256, s.size) for s in sources[at:at + chunk_size]))
            for i, at in enumerate(range(0, len(sources), chunk_size))]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _join(base: str, name: str) -> str:
    return f"{base.rstrip('/')}/{name}"


def _record(result: ReadResult, parsed_by: str) -> dict:
    facts = result.facts
    rows = result.rows
    if rows is None and facts is not None and not any(p.fatal for p in result.problems):
        rows = raw_rows(facts, report_id_of(facts.sha256))
    problems = [{f: getattr(p, f) for f in PROBLEM_FIELDS} for p in result.problems]
    for p in problems:
        p["location"] = str(p["location"]) if p["location"] else None
    record = {
        "sha256": result.source.sha256, "file_path": str(result.source.path),
        "size": result.source.size,
        "facts": None if facts is None else json.dumps(
            {f: getattr(facts, f) for f in HEADER_FIELDS}, ensure_ascii=False),
        "problems": json.dumps(problems, ensure_ascii=False),
        "parsed_by": parsed_by,
    }
    for t in ROW_TABLES:
        record[f"rows_{t}"] = None if rows is None else json.dumps(rows[t], ensure_ascii=False)
    return record


def parse_chunk(chunk: Chunk) -> list[dict]:
    """Every file of the chunk parsed under the parse limits (`parse_limits.parse_file`: a
    child process per file, capped in memory and time); a failure is a located problem."""
    by = worker_name()
    limits = ParseLimits.from_env()
    return [_record(parse_file(s, limits), by) for s in chunk.sources()]


def _parquet_bytes(records: list[dict], chunk: Chunk) -> bytes:
    table = pa.Table.from_pylist(records, schema=SCHEMA).replace_schema_metadata({
        "juesuan.chunk_id": chunk.chunk_id, "juesuan.rows": str(len(records))})
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


def stage_chunk(chunk: Chunk, staging: str) -> StagedChunk:
    """Parse a chunk and stage it: written under a temporary name, then renamed, so the final
    name exists only for a complete file."""
    fs, root = fsspec.core.url_to_fs(staging)
    fs.makedirs(root, exist_ok=True)  # an unwritable location fails before the parse, not after
    records = parse_chunk(chunk)
    data = _parquet_bytes(records, chunk)
    name = f"chunk-{chunk.chunk_id}-{len(records)}r-{hashlib.sha256(data).hexdigest()[:16]}.parquet"
    tmp = _join(root, f".tmp-{chunk.chunk_id}-{uuid.uuid4().hex}")
    with fs.open(tmp, "wb") as out:
        out.write(data)
    fs.mv(tmp, _join(root, name))
    protocol = fs.protocol if isinstance(fs.protocol, str) else fs.protocol[0]
    url = _join(root, name) if protocol in ("file", "local") else f"{protocol}://{_join(root, name)}"
    return StagedChunk(chunk, url, len(records), records[0]["parsed_by"] if records else "")


class StagedChunkInvalid(ValueError):
    pass


def read_staged(url: str, chunk: Chunk) -> list[dict]:
    """The records of a staged chunk, checked against its name: the SHA-256 of its bytes, its
    row count, its chunk and its files. Raises StagedChunkInvalid when any of it disagrees."""
    name = url.rstrip("/").rsplit("/", 1)[-1]
    parts = name.removesuffix(".parquet").split("-")
    try:
        rows, digest = int(parts[-2].removesuffix("r")), parts[-1]
        with fsspec.open(url, "rb") as f:
            data = f.read()
    except (ValueError, IndexError, OSError) as exc:
        raise StagedChunkInvalid(f"{url}: {exc}") from exc
    if hashlib.sha256(data).hexdigest()[:16] != digest:
        raise StagedChunkInvalid(f"{url}: its bytes do not match the SHA-256 in its name "
                                 f"({len(data)} bytes: truncated or corrupt)")
    try:
        table = pq.read_table(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - any unreadable Parquet is a corrupt chunk
        raise StagedChunkInvalid(f"{url}: unreadable Parquet: {exc}") from exc
    meta = table.schema.metadata or {}
    records = table.to_pylist()
    if (len(records) != rows or meta.get(b"juesuan.chunk_id", b"").decode() != chunk.chunk_id
            or [r["sha256"] for r in records] != [s for _, s, _ in chunk.files]):
        raise StagedChunkInvalid(f"{url}: not the staged chunk {chunk.chunk_id} "
                                 f"({len(records)} rows, {rows} in its name)")
    return records


def _result(record: dict) -> ReadResult:
    source = SourceFile(Path(record["file_path"]), record["sha256"], record["size"])
    problems = [Problem(**p) for p in json.loads(record["problems"])]
    if record["facts"] is None:
        return ReadResult(source, None, problems)
    facts = ReportFacts(**json.loads(record["facts"]), problems=problems)
    rows = None
    if record[f"rows_{ROW_TABLES[0]}"] is not None:
        # Lists, not tuples: the loader only indexes them (a tuple each cost 7 % of the load).
        rows = {t: json.loads(record[f"rows_{t}"]) for t in ROW_TABLES}
    return ReadResult(source, facts, problems, rows)


@dataclass
class StagedLoad:
    summary: BatchSummary
    reparsed: list[str]  # chunk ids parsed again by the writer (truncated or corrupt files)
    removed: list[str]  # staged files removed once loaded


def load_staged(con: duckdb.DuckDBPyConnection, staged: list[StagedChunk]) -> StagedLoad:
    """Load staged chunks into the raw layer through `ingest.load_results`: the same per-report
    transactions as the single-step load (bulk inserts of a chunk of reports, each report
    atomic; known SHA-256 unchanged, a new file for a unit and year a new revision, a failed
    report recorded in raw.ingest_errors). A chunk whose file is truncated, corrupt or gone is
    parsed again here. The staged files are removed once everything is loaded."""
    ensure_schema(con)
    out = StagedLoad(BatchSummary(), [], [])

    def results():
        for item in staged:
            try:
                records = read_staged(item.url, item.chunk)
            except StagedChunkInvalid:
                records = parse_chunk(item.chunk)
                out.reparsed.append(item.chunk.chunk_id)
            yield from (_result(r) for r in records)

    out.summary = load_results(con, results())
    for item in staged:
        fs, path = fsspec.core.url_to_fs(item.url)
        if fs.exists(path):
            fs.rm(path)
            out.removed.append(item.url)
    return out

"""The plain-text reader: blocks, cells, wrapped cells, encodings."""

from __future__ import annotations

import pytest

from dagster_project.document import Paragraph, Table
from dagster_project.interpret.report import interpret
from dagster_project.readers.errors import EncodingProblem, NotAReport
from dagster_project.readers.text import decode, parse_text, read_text


def test_blocks_keep_line_numbers(seed_path):
    doc = read_text(seed_path)
    first = doc.blocks[0]
    assert isinstance(first, Paragraph)
    assert first.text == "第一部分  武汉市蔡甸区总工会本级概况".strip()
    assert first.location.line == 1
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    # The 01 table's first row is the line "\t公开01表" (line 35 of the seed).
    assert tables[0].rows[0][0].text == "公开01表"
    assert tables[0].rows[0][0].location.line == 35
    assert len(doc.sha256) == 64 and doc.encoding == "utf-8"


def test_wrapped_cell_continues_without_tab():
    text = "标题\n\t\n\t产出\n指标\n\t数量指标\n\n\t偏差大或\n目标未完成\n原因分析\n\t无\n"
    blocks = parse_text(text, "x.txt")
    table = blocks[1]
    assert isinstance(table, Table)
    assert [c.text for c in table.rows[0]] == ["", "产出指标", "数量指标"]
    assert table.rows[1][0].text == "偏差大或目标未完成原因分析"
    assert (table.rows[1][0].location.line, table.rows[1][0].location.end_line) == (7, 9)


def test_gb18030_with_crlf_reads_to_identical_facts(seed_path, tmp_path, seed_facts):
    text = seed_path.read_text("utf-8")
    gb = tmp_path / "seed-gb18030.txt"
    gb.write_bytes(text.replace("\n", "\r\n").encode("gb18030"))
    facts = interpret(read_text(gb))
    assert read_text(gb).encoding == "gb18030"
    strip = lambda cells: [(c.table_code, c.row_index, c.row_code, c.row_label, c.column_key,  # noqa: E731
                            c.column_group, c.value_wan_yuan, c.printed_text, c.location.line)
                           for c in cells]
    assert strip(facts.cells()) == strip(seed_facts.cells())
    assert [(n.subject, n.metric, n.amount_wan_yuan, n.percent, n.location.line)
            for n in facts.narrative] == [(n.subject, n.metric, n.amount_wan_yuan, n.percent,
                                           n.location.line) for n in seed_facts.narrative]
    assert [(e.project_name, e.budget_wan_yuan, len(e.indicators)) for e in facts.evaluations] == \
        [(e.project_name, e.budget_wan_yuan, len(e.indicators)) for e in seed_facts.evaluations]
    assert (facts.unit_name, facts.fiscal_year) == (seed_facts.unit_name, seed_facts.fiscal_year)


def test_utf8_bom_is_accepted(seed_path, tmp_path, seed_facts):
    bom = tmp_path / "seed-bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + seed_path.read_bytes())
    doc = read_text(bom)
    assert doc.encoding == "utf-8-bom"
    assert doc.blocks[0].text.startswith("第一部分")
    assert len(interpret(doc).cells()) == len(seed_facts.cells())


def test_undecodable_bytes_name_the_line(tmp_path):
    data = "第一行\n第二行\n".encode() + b"\xff\xfe\xfa\xfb\x80\x80\n"
    with pytest.raises(EncodingProblem) as info:
        decode(data, "bad.txt")
    assert info.value.location == "bad.txt:L3"
    assert "UTF-8" in info.value.message and "GB18030" in info.value.message


def test_binary_file_is_not_a_report():
    with pytest.raises(NotAReport):
        decode(b"PK\x03\x04\x00\x00binary", "x.txt")

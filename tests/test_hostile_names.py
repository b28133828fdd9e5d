"""Names from hostile documents never become paths or terminal control sequences (issue 11)."""

from __future__ import annotations

import pytest

from dagster_project.audit.report import html_name
from dagster_project.cli import printable


@pytest.mark.parametrize("unit", [
    "../../../tmp/pwned", "/etc/passwd", "a/b\\c", "局\x00名", "名" * 300, "", None, "..",
])
def test_a_page_name_stays_in_its_folder(tmp_path, unit):
    name = html_name({"unit_name": unit, "fiscal_year": 2024, "report_id": "0123456789abcdef"})
    page = tmp_path / name
    assert page.resolve().parent == tmp_path.resolve()
    assert "/" not in name and "\\" not in name and "\x00" not in name and ".." not in name
    assert len(name.encode()) <= 255 and name.endswith("-2024-0123456789abcdef.html")
    page.write_text("ok", encoding="utf-8")  # the file system accepts it


def test_a_chinese_unit_name_is_kept_readable():
    assert html_name({"unit_name": "武汉市蔡甸区总工会本级", "fiscal_year": 2024,
                      "report_id": "f7d48334de422e9b"}) == "武汉市蔡甸区总工会本级-2024-f7d48334de422e9b.html"


def test_control_characters_are_printed_escaped():
    forged = "某局\x1b[2J\x1b[H\r已通过全部审核\x07"
    shown = printable(f"{forged}\n下一行\t完")
    assert "\x1b" not in shown and "\r" not in shown and "\x07" not in shown
    assert shown == "某局\\x1b[2J\\x1b[H\\x0d已通过全部审核\\x07\n下一行\t完"

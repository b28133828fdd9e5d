"""Classification codes: 功能分类 (201 / 20129 / 2012901) and 经济分类 (301 / 30101)."""

from __future__ import annotations

import re

_CODE = re.compile(r"^\d{3}(\d{2}){0,2}$")


def looks_like_code(text: str) -> bool:
    return bool(_CODE.match(text.strip()))


def level_of(code: str) -> int:
    """1 for 类 (3 digits), 2 for 款 (5), 3 for 项 (7)."""
    return {3: 1, 5: 2, 7: 3}[len(code)]


def _two_digits(segment: str) -> str:
    return f"0{segment}" if len(segment) == 1 and segment.isdigit() and segment != "0" else segment


def join_split_code(parts: list[str], previous: dict[int, str]) -> str | None:
    """Rebuild a full code from 类/款/项 printed in separate columns.

    `parts` are the texts of the 类, 款 and 项 columns of one row (some blank); `previous`
    holds the last full code seen at each level, because reports print only the changed
    segment ('  | 06 | 01' under a 201 row means 2010601). A 款 or 项 printed as one digit in
    its own column is its two digits without the leading zero (上海 万里街道 2024 prints
    `301 | 2 | 津贴补贴`: a figure cell that dropped the 0 of 30102).
    """
    cls, kuan, xiang = (p.strip() for p in (parts + ["", "", ""])[:3])
    kuan, xiang = _two_digits(kuan), _two_digits(xiang)
    if cls and not kuan and not xiang and len(cls) in (3, 5, 7) and cls.isdigit():
        return cls
    if cls and len(cls) == 3 and cls.isdigit():
        base = cls
    elif kuan or xiang:
        base = previous.get(1, "")
    else:
        return None
    if kuan:
        if len(kuan) == 2 and kuan.isdigit():
            base = base + kuan
        elif len(kuan) == 5 and kuan.isdigit():
            base = kuan
        else:
            return None
    elif xiang:
        base = previous.get(2, "")
    if xiang:
        if len(xiang) == 2 and xiang.isdigit():
            base = base + xiang
        elif len(xiang) == 7 and xiang.isdigit():
            base = xiang
        else:
            return None
    return base if looks_like_code(base) else None

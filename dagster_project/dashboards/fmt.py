"""Numbers as the dashboards print them: 万元 with thousands separators, two decimals."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

DASH = "—"


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str | Decimal) and pd.isna(value))


def wan(value) -> str:
    """14572.53 -> '14,572.53' (万元); a missing amount is a dash, never 0."""
    return DASH if _missing(value) else f"{Decimal(str(value)):,.2f}"


def pct(value) -> str:
    return DASH if _missing(value) else f"{Decimal(str(value)):,.2f}%"


def number(value) -> str:
    return DASH if _missing(value) else f"{Decimal(str(value)):,.2f}"


def as_float(value) -> float | None:
    """For a chart's geometry only (plotly draws floats); the labels come from `wan`."""
    return None if _missing(value) else float(value)


def table(frame: pd.DataFrame, formats: dict[str, callable]) -> pd.DataFrame:
    """A copy with the given columns formatted as text, for st.table (printed, not a canvas)."""
    out = frame.copy()
    for column, f in formats.items():
        if column in out:
            out[column] = out[column].map(f)
    return out

"""Parsing printed amounts and percentages without ever going through float.

A printed amount stands for an interval: with d decimals it is the true value rounded, so the
half-width of its rounding interval is 0.5 * 10^-d in the printed unit. We keep the number of
decimals with every value so the audit can rebuild that interval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Full-width digits and punctuation that real reports print.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－％", "0123456789.,-%")
# Thousands separators: every comma is followed by three digits; some PDFs' text layers drop
# the first separator ("125360,898" printed as 125,360,898), which is still one number.
_NUMBER = re.compile(r"^[+-]?([0-9]+(,[0-9]{3})+|[0-9]+)(\.[0-9]+)?$")
# The same shape in any script's digits (Python's \d): Arabic-Indic, Devanagari...
_ANY_DIGITS = re.compile(r"^[+-]?(\d+(,\d{3})+|\d+)(\.\d+)?$")
# raw.*_wan_yuan columns are DECIMAL(20, 6): 万元 to 0.01 元. A figure with more decimals would
# be rounded by the insert, silently.
MAX_DECIMALS = 6
_DASHES = {"-", "—", "–", "--", "——", "－"}


class AmountError(ValueError):
    """A cell that should hold an amount holds something else."""


class SuspectAmount(AmountError):
    """Printed like an amount, but not one the warehouse can take exactly as printed: digits of
    another script, or more decimals than it keeps."""


@dataclass(frozen=True)
class Amount:
    value: Decimal  # in the printed unit
    decimals: int


def normalise_text(text: str) -> str:
    return text.translate(_FULLWIDTH).replace("\u3000", " ").strip()


def parse_amount(text: str) -> Amount | None:
    """Parse a printed amount; blank, '-' and '—' mean nothing printed (None).

    Raises AmountError for text that is not a number, so a misread column is caught
    instead of silently becoming a blank.
    """
    t = normalise_text(text).replace(" ", "")
    if t == "" or t in _DASHES:
        return None
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1]
    if not _NUMBER.match(t):
        if _ANY_DIGITS.match(t):
            raise SuspectAmount(f"{text!r} is written with non-ASCII digits")
        raise AmountError(f"not an amount: {text!r}")
    t = t.replace(",", "")
    try:
        value = Decimal(t)
    except InvalidOperation as exc:  # pragma: no cover - the regex guards this
        raise AmountError(f"not an amount: {text!r}") from exc
    decimals = len(t.split(".", 1)[1]) if "." in t else 0
    if decimals > MAX_DECIMALS:
        raise SuspectAmount(f"{text!r} has {decimals} decimals, more than the {MAX_DECIMALS} "
                            f"the warehouse keeps")
    return Amount(-value if negative else value, decimals)


def is_amount(text: str) -> bool:
    try:
        return parse_amount(text) is not None
    except AmountError:
        return False


def to_wan_yuan(value: Decimal, unit: str) -> Decimal:
    """Convert a value printed in `unit` (万元 or 元) to 万元, exactly."""
    if unit == "元":
        if -value.scaleb(-4).as_tuple().exponent > MAX_DECIMALS:  # scaleb: exact
            raise SuspectAmount(f"{value} 元 is {value.scaleb(-4)} 万元, more than the "
                                f"{MAX_DECIMALS} decimals the warehouse keeps")
        return value / Decimal(10000)
    if unit in ("万元", ""):
        return value
    raise AmountError(f"unknown amount unit: {unit!r}")


def unit_divisor(unit: str) -> int:
    return 10000 if unit == "元" else 1


_PCT = re.compile(r"([+-]?\d+(?:\.\d+)?)\s*%")


def parse_percent(text: str) -> Amount | None:
    """The first percentage in `text` ('40.9%', '100%'), or None."""
    m = _PCT.search(normalise_text(text))
    if not m:
        return None
    s = m.group(1)
    return Amount(Decimal(s), len(s.split(".", 1)[1]) if "." in s else 0)

"""Report facts: what the interpreter extracts, one dataclass per raw table."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from dagster_project.document import Location


@dataclass
class CellFact:
    table_code: str
    row_index: int
    row_code: str | None
    row_label: str | None
    row_key: str | None
    row_line_no: str | None
    column_index: int
    column_label: str
    column_key: str | None
    column_group: int
    value_wan_yuan: Decimal | None
    printed_text: str
    decimals: int | None
    unit_divisor: int
    location: Location
    # A row of a 功能分类 × 经济分类 pair table (interpret.pairs): its 部门支出经济分类 code,
    # row_code being its 功能分类 code; None elsewhere.
    row_economic_code: str | None = None


@dataclass
class TableFact:
    table_code: str
    title: str | None
    # present | declared_empty (a sentence says so, or a grid without amounts) | missing (not
    # in the document) | unreadable (found, but its layout could not be read: see `reason`) |
    # declared_other (found, a table the registry knows and does not read: `reason` says why)
    status: str
    declaration: str | None
    amount_unit: str | None
    location: Location | None
    cells: list[CellFact] = field(default_factory=list)
    row_count: int = 0
    reason: str | None = None  # why a table is missing or unreadable, with where
    # Must the document print it? Its template's say (interpret.templates); None: not decided.
    required: bool | None = None


@dataclass
class NarrativeFact:
    section: str | None
    fact_kind: str
    subject: str
    metric: str
    printed_text: str
    sentence: str
    location: Location
    function_path: str | None = None
    amount_wan_yuan: Decimal | None = None
    percent: Decimal | None = None
    count_value: Decimal | None = None
    decimals: int | None = None
    direction: str | None = None
    reason: str | None = None
    # the unit an amount was stated in (万元, or 元: then amount_wan_yuan is a ten-thousandth)
    amount_unit: str | None = None


@dataclass
class IndicatorFact:
    level1: str | None
    level2: str | None
    level3: str
    target_text: str | None
    actual_text: str | None
    location: Location
    goal: str | None = None
    deviation_reason: str | None = None


@dataclass
class EvaluationFact:
    evaluation_kind: str  # 部门整体 | 项目
    project_name: str
    location: Location
    budget_wan_yuan: Decimal | None = None
    executed_wan_yuan: Decimal | None = None
    budget_decimals: int | None = None
    executed_decimals: int | None = None
    stated_rate_pct: Decimal | None = None
    rate_decimals: int | None = None
    basic_total_wan_yuan: Decimal | None = None
    project_total_wan_yuan: Decimal | None = None
    basic_total_decimals: int | None = None
    project_total_decimals: int | None = None
    deviation_reason: str | None = None
    indicators: list[IndicatorFact] = field(default_factory=list)
    # The funds lines a 绩效目标表 or 自评表 prints (in a 自评表 the A column, 全年预算数): the
    # total as labelled (年度资金总额, 实施期资金总额 …) and its parts. A part whose label is
    # printed with a blank amount is 0 with no decimals; a part not printed stays None.
    funds_total_label: str | None = None
    funds_total_wan_yuan: Decimal | None = None
    funds_total_decimals: int | None = None
    fiscal_wan_yuan: Decimal | None = None
    fiscal_decimals: int | None = None
    carryover_wan_yuan: Decimal | None = None
    carryover_decimals: int | None = None
    other_wan_yuan: Decimal | None = None
    other_decimals: int | None = None
    # figures printed among the funds lines under a label the registry does not name
    funds_unnamed_lines: int = 0
    # a 自评表's 年初预算数 of the funds total
    initial_budget_wan_yuan: Decimal | None = None
    initial_budget_decimals: int | None = None


@dataclass
class Problem:
    """Something wrong with the input. Fatal problems keep the report out of the warehouse."""

    kind: str
    message: str
    location: Location | str | None  # str: a location a reader already rendered
    fatal: bool
    # error (fatal), warning or info; unset: error when fatal, else warning
    severity: str | None = None

    @property
    def level(self) -> str:
        return self.severity or ("error" if self.fatal else "warning")


@dataclass
class ReportFacts:
    file_name: str
    sha256: str
    file_format: str
    encoding: str | None
    pages: int | None
    unit_name: str | None
    fiscal_year: int | None
    report_kind: str | None
    subordinate_units: int | None
    # One part of a report published as several files: where this file says its tables are
    # ("附件2：北京市某某局2026年度部门预算报表"). The loader attaches such a file to the report
    # of the same unit, year and kind (`ingest.attach_parts`); None for a whole report.
    tables_elsewhere: str | None = None
    # The template its printed tables identify (seeds/reference/document_templates.csv).
    template: str | None = None
    tables: dict[str, TableFact] = field(default_factory=dict)
    narrative: list[NarrativeFact] = field(default_factory=list)
    evaluations: list[EvaluationFact] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def fatal(self) -> list[Problem]:
        return [p for p in self.problems if p.fatal]

    def cells(self) -> list[CellFact]:
        return [c for t in self.tables.values() for c in t.cells]

-- The raw layer: what the readers extracted, exactly as printed, with its source location.
-- Amounts are DECIMAL in 万元 (converted from 元 where the table said 单位：元);
-- `decimals` is the number of decimals printed, so the rounding interval of a value is
-- ± 0.5 * 10^-decimals in the printed unit (see `unit_divisor`).
create schema if not exists raw;

create table if not exists raw.reports (
    report_id           varchar primary key,   -- sha256 of the file bytes (first 16 hex)
    sha256              varchar not null unique,
    file_name           varchar not null,
    file_path           varchar not null,
    file_format         varchar not null,      -- text | pdf
    encoding            varchar,
    pages               integer,
    unit_name           varchar not null,
    fiscal_year         integer not null,
    report_kind         varchar not null,      -- 部门决算 | 单位决算 | 部门预算 | 单位预算 (from the title)
    subordinate_units   integer,               -- 下属单位 count stated in 机构设置
    revision            integer not null,      -- 1, 2, ... per unit_name × fiscal_year
    is_superseded       boolean not null default false,
    superseded_by       varchar,
    loaded_at           timestamp not null
);

create table if not exists raw.report_tables (
    report_id           varchar not null,
    table_code          varchar not null,      -- registry code: '01' … '09' (决算), 'Y01' … (预算)
    table_title         varchar,
    status              varchar not null,      -- present | declared_empty | missing | unreadable | declared_other
    declaration         varchar,               -- the sentence declaring it empty
    amount_unit         varchar,               -- 万元 | 元
    row_count           integer not null,
    cell_count          integer not null,
    source_location     varchar,
    status_reason       varchar,               -- why missing or unreadable, with where
    is_required         boolean,               -- its template requires it (null: the registry's)
    primary key (report_id, table_code)
);
-- Warehouses created before tables could be unreadable gain the column in place.
alter table raw.report_tables add column if not exists status_reason varchar;
-- … and before each document's template decided which tables it must print.
alter table raw.report_tables add column if not exists is_required boolean;

-- The row tables below (cells, narrative facts, evaluations, indicators) have a key but no
-- primary-key index: the loader checks each report's keys before it inserts them
-- (warehouse/load.py, ROW_KEYS: a report repeating a key fails alone) and dbt's unique tests
-- check them again. The indexes were half the file (10,000 generated reports: 698 MB with
-- them, 327 MB without) and were written again at every checkpoint of the load. Warehouses
-- created with them keep them.
create table if not exists raw.table_cells (
    report_id           varchar not null,
    table_code          varchar not null,
    row_index           integer not null,      -- 0-based among data rows of the table
    row_code            varchar,               -- normalised 功能/经济分类 code, or null
    row_label           varchar,               -- the row's name as printed
    row_key             varchar,               -- canonical key of a summary row (income_total, …) or null
    row_line_no         varchar,               -- 行次 where the table prints one
    column_index        integer not null,      -- 0-based among value columns
    column_label        varchar not null,      -- header path joined with '/'
    column_key          varchar,               -- canonical column key (total, basic, …) or null
    column_group        integer not null default 0, -- side-by-side group (01/04 收入|支出, 06)
    value_wan_yuan      decimal(20, 6),        -- null for a blank cell
    printed_text        varchar not null,
    decimals            integer,               -- decimals as printed (null for blank)
    unit_divisor        integer not null,      -- 1 for 万元, 10000 for 元
    source_location     varchar not null,
    line_no             integer,
    page_no             integer,
    -- the printed cell's box on its page, PDF points from the top-left (null in a text report):
    -- the dashboards frame it on the rendered page
    bbox_x0             double,
    bbox_top            double,
    bbox_x1             double,
    bbox_bottom         double
    -- key: report_id, table_code, row_index, column_group, column_index
);
-- A row of a 功能分类 × 经济分类 pair table (北京's 支出总表, interpret/pairs.py): its 部门支出经济
-- 分类 code, row_code being its 功能分类 code; null in every other table.
alter table raw.table_cells add column if not exists row_economic_code varchar;
-- Warehouses created before the cells carried their box.
alter table raw.table_cells add column if not exists bbox_x0 double;
alter table raw.table_cells add column if not exists bbox_top double;
alter table raw.table_cells add column if not exists bbox_x1 double;
alter table raw.table_cells add column if not exists bbox_bottom double;

create table if not exists raw.narrative_facts (
    report_id           varchar not null,
    fact_id             integer not null,      -- order of appearance
    section             varchar,               -- the 情况说明 heading it sits under
    fact_kind           varchar not null,      -- see dagster_project.interpret.narrative
    subject             varchar not null,      -- what the number is about
    function_path       varchar,               -- 类/款/项 names for 项-level sentences
    metric              varchar not null,      -- amount | initial_budget | final | pct | change_amount | ...
    amount_wan_yuan     decimal(20, 6),
    percent             decimal(12, 4),
    count_value         decimal(20, 4),
    decimals            integer,
    direction           varchar,               -- increase | decrease | flat
    reason              varchar,
    printed_text        varchar not null,
    sentence            varchar not null,
    source_location     varchar not null,
    line_no             integer,
    page_no             integer,
    amount_unit         varchar                -- the unit an amount was stated in: 万元 | 元
    -- key: report_id, fact_id
);
-- Warehouses created before a fact kept the unit its amount was stated in.
alter table raw.narrative_facts add column if not exists amount_unit varchar;

create table if not exists raw.performance_evaluations (
    report_id           varchar not null,
    evaluation_index    integer not null,
    evaluation_kind     varchar not null,      -- 部门整体 | 项目
    project_name        varchar not null,
    budget_wan_yuan     decimal(20, 6),        -- 预算数 (A)
    executed_wan_yuan   decimal(20, 6),        -- 执行数 (B)
    budget_decimals     integer,
    executed_decimals   integer,
    stated_rate_pct     decimal(12, 4),        -- 执行率 as printed
    rate_decimals       integer,
    basic_total_wan_yuan   decimal(20, 6),     -- 部门整体: 基本支出总额
    project_total_wan_yuan decimal(20, 6),     -- 部门整体: 项目支出总额
    basic_total_decimals   integer,
    project_total_decimals integer,
    deviation_reason    varchar,               -- 偏差大或目标未完成原因分析
    source_location     varchar not null,
    line_no             integer,
    page_no             integer
    -- key: report_id, evaluation_index
);
-- the funds lines (a 自评表's A column): the total as labelled and its parts; a part printed
-- blank is 0 with null decimals, a part not printed null
alter table raw.performance_evaluations add column if not exists funds_total_label varchar;
alter table raw.performance_evaluations add column if not exists funds_total_wan_yuan decimal(20, 6);
alter table raw.performance_evaluations add column if not exists funds_total_decimals integer;
alter table raw.performance_evaluations add column if not exists fiscal_wan_yuan decimal(20, 6);
alter table raw.performance_evaluations add column if not exists fiscal_decimals integer;
alter table raw.performance_evaluations add column if not exists carryover_wan_yuan decimal(20, 6);
alter table raw.performance_evaluations add column if not exists carryover_decimals integer;
alter table raw.performance_evaluations add column if not exists other_wan_yuan decimal(20, 6);
alter table raw.performance_evaluations add column if not exists other_decimals integer;
-- figures among the funds lines under a label the registry does not name (the split unknown)
alter table raw.performance_evaluations add column if not exists funds_unnamed_lines integer;
-- a 自评表's 年初预算数
alter table raw.performance_evaluations add column if not exists initial_budget_wan_yuan decimal(20, 6);
alter table raw.performance_evaluations add column if not exists initial_budget_decimals integer;

create table if not exists raw.performance_indicators (
    report_id           varchar not null,
    evaluation_index    integer not null,
    indicator_index     integer not null,
    goal                varchar,               -- 年度目标 text where the table has several
    level1              varchar,
    level2              varchar,
    level3              varchar not null,
    target_text         varchar,
    actual_text         varchar,
    deviation_reason    varchar,
    source_location     varchar not null,
    line_no             integer,
    page_no             integer
    -- key: report_id, evaluation_index, indicator_index
);

create table if not exists raw.ingest_errors (
    error_id            varchar primary key,   -- sha256 + kind + location
    file_name           varchar not null,
    file_path           varchar not null,
    sha256              varchar,
    error_kind          varchar not null,      -- unreadable | encoding | not_a_report | truncated | column_mismatch | scanned_pdf | ...
    message             varchar not null,
    source_location     varchar,
    is_fatal            boolean not null,      -- true: the report was not loaded
    recorded_at         timestamp not null,
    severity            varchar                -- error (fatal) | warning | info (e.g. supersedes)
);
-- Warehouses made before the column: added at the end, where the loader's frames put it.
alter table raw.ingest_errors add column if not exists severity varchar;

-- The other files of a report published as several (北京's 附件1 情况说明 beside its 附件2
-- 报表): one row per file attached to the report that holds the tables, grouped by the unit,
-- year and kind each file's own text names (never its file name). The report's own file is
-- raw.reports.file_name; every fact keeps its own file and page in its source_location.
create table if not exists raw.report_parts (
    report_id           varchar not null,      -- the report it is a part of
    sha256              varchar not null,      -- the part file's
    file_name           varchar not null,
    file_path           varchar not null,
    pages               integer,
    unit_name           varchar not null,
    fiscal_year         integer not null,
    report_kind         varchar not null,
    tables_elsewhere    varchar,               -- where the part says its tables are (附件2：…)
    attached_at         timestamp not null,
    primary key (report_id, sha256)
);

-- Reports loaded or superseded since the last complete dbt build, written in the load's own
-- transaction: the next build recomputes only these (and the reports whose cross-report
-- identities read them). The dbt asset empties it after a build of every model succeeds, so
-- a failed build leaves it for the next one.
create table if not exists raw.build_queue (
    report_id           varchar primary key,
    queued_at           timestamp not null
);

-- One row per dbt build the pipeline ran: incremental (the queue) or full (anything but the
-- reports changed: a model, a macro, a seed, the unit hierarchy; or the first build).
create table if not exists raw.dbt_builds (
    started_at          timestamp not null,
    finished_at         timestamp,
    mode                varchar not null,      -- full | incremental
    reason              varchar not null,
    fingerprint         varchar not null,      -- sha256 of everything but the reports
    queued_reports      integer not null,
    succeeded           boolean not null,
    complete            boolean not null       -- every model was selected (not a subset)
);

-- grain: one row per current report × term of a `cell_sum`/`ratio` rule: the summed value of the
-- cells or facts the term selects, their rounding half-widths and which cells they are, and
-- whether the term was found, is a real zero (a declared-empty table, an optional row left out
-- of a read table) or is missing (its table missing or unreadable, or a required row absent).
with terms as (

    select * from {{ ref('int_audit__terms') }}

),

cells as (

    select * from {{ ref('int_audit__cells') }}
    where {{ in_rebuild() }}

),

term_values_source as (

    select * from {{ ref('int_audit__values') }}
    where {{ in_rebuild() }}

),

-- every current report, of either phase: a rule's terms are the tables of its phase
-- (int_audit__terms), so a budget is checked against a budget's tables only
reports as (

    select report_id, phase from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }} and not is_superseded

),

report_tables as (

    select * from {{ ref('stg_raw__report_tables') }}
    where {{ in_rebuild() }}

),

gaps as (

    select * from {{ ref('int_audit__tables') }}
    where {{ in_rebuild() }}
        and not is_read

),

-- 绩效自评表 the reader found but could not read the figures of: a term summing over every
-- project (`P/项目/executed`) would be short by them, so it is missing, with their names.
performance_gaps as (

    select
        report_rows.report_id,
        string_agg(errors.message, '; ' order by errors.message) as gap_reason
    from {{ ref('stg_raw__ingest_errors') }} as errors
    inner join {{ ref('stg_raw__reports') }} as report_rows
        on report_rows.sha256 = errors.sha256
    where errors.error_kind = 'performance_unread' and errors.message like '项目自评表%'
        and report_rows.report_id in (select report_id from reports)
    group by report_rows.report_id

),

report_terms as (

    select reports.report_id, terms.*
    from reports
    inner join terms on terms.phase = reports.phase

),

cell_terms as (

    select * from terms where term_kind = 'cell'

),

value_terms as (

    select * from terms where term_kind in ('narrative', 'performance')

),

-- Terms meet the cells directly (cells carry their report): joining every report × term
-- first carried millions of wide rows into the join and outgrew 1 GB on 10,000 reports.
cell_matches as (

    select
        cells.report_id,
        t.rule_id,
        t.side,
        t.part,
        t.position,
        cells.cell_id as match_id,
        cells.value0,
        cells.half_width,
        cells.source_location,
        cells.table_code as match_table,
        cells.row_code,
        cells.row_label,
        cells.column_label,
        -- the printed order: table, row, column group, column
        cast(ltrim(cells.table_code, 'Y') as bigint) * 1000000000 + cells.row_index * 10000
            + cells.column_group * 1000 + cells.column_index as sort_key
    from cell_terms as t
    inner join cells
        on cells.table_code = t.table_code
        and (t.column_group = '*' or cells.column_group = try_cast(t.column_group as integer))
        and cells.column_key = t.column_key
        and (
            (t.selector_type = 'key' and cells.row_key = t.selector_value)
            or (t.selector_type = 'code' and cells.row_code = t.selector_value)
            or (t.selector_type = 'level'
                and (t.selector_value = '*' and cells.code_level is not null
                     or cells.code_level = try_cast(t.selector_value as integer)))
        )

),

value_matches as (

    select
        v.report_id,
        t.rule_id,
        t.side,
        t.part,
        t.position,
        v.value_id as match_id,
        v.value0,
        v.half_width,
        v.source_location,
        cast(null as varchar) as match_table,
        cast(null as varchar) as row_code,
        v.subject as row_label,
        v.metric as column_label,
        row_number() over (partition by v.report_id order by v.value_id) as sort_key
    from value_terms as t
    inner join term_values_source as v
        on v.source = case t.term_kind when 'narrative' then 'N' else 'P' end
        and (t.value_kind = '*' or v.kind = t.value_kind)
        and (t.value_subject = '*' or v.subject = t.value_subject)
        and v.metric = t.value_metric

),

matches as (

    select * from cell_matches
    union all
    select * from value_matches

),

aggregated as (

    select
        report_id, rule_id, side, part, position,
        count(*) as n_matched,
        sum(value0) as value,
        sum(half_width) as half_width,
        list(match_id order by sort_key) as participants,
        min_by(source_location, sort_key) as source_location,
        min_by(match_table, sort_key) as table_code,
        min_by(row_code, sort_key) as row_code,
        min_by(row_label, sort_key) as row_label,
        min_by(column_label, sort_key) as column_label
    from matches
    group by all

),

final as (

    select
        report_terms.report_id,
        report_terms.rule_id,
        report_terms.side,
        report_terms.part,
        report_terms.position,
        report_terms.sign,
        report_terms.term,
        report_terms.term_kind,
        report_terms.is_optional,
        coalesce(aggregated.n_matched, 0) as n_matched,
        coalesce(gaps.table_status, report_tables.status) as table_status,
        case
            -- a table that is missing or unreadable is never zero, not even for an optional
            -- term: `?` means a row a read table may leave out, not a table we could not read
            when gaps.report_id is not null then 'missing'
            when report_terms.term_kind = 'performance' and report_terms.value_kind = '项目'
                 and report_terms.value_subject = '*'
                 and performance_gaps.report_id is not null then 'missing'
            when aggregated.n_matched > 0 then 'found'
            -- the document says the table is empty: its amounts are a real zero
            when report_terms.term_kind = 'cell' and report_tables.status = 'declared_empty'
                then 'zero'
            when report_terms.is_optional then 'zero'
            else 'missing'
        end as term_status,
        -- why a missing cell term is missing (quoted in the finding); a missing narrative or
        -- 绩效 term means the rule does not apply, and needs none
        case
            when gaps.report_id is not null then gaps.gap_reason
            when report_terms.term_kind = 'performance' and report_terms.value_kind = '项目'
                 and report_terms.value_subject = '*'
                 and performance_gaps.report_id is not null then performance_gaps.gap_reason
            when report_terms.term_kind = 'cell' and coalesce(aggregated.n_matched, 0) = 0
                 and not report_terms.is_optional
                 and coalesce(report_tables.status, '') <> 'declared_empty'
                then {{ table_label('report_terms.table_code') }} || ' has no cell '
                     || report_terms.term
        end as missing_reason,
        cast(coalesce(aggregated.value, 0) as decimal(24, 6)) as value,
        cast(coalesce(aggregated.half_width, 0) as decimal(24, 12)) as half_width,
        coalesce(aggregated.participants, []) as participants,
        coalesce(aggregated.table_code, report_terms.table_code) as table_code,
        aggregated.row_code,
        aggregated.row_label,
        aggregated.column_label,
        aggregated.source_location
    from report_terms
    left join aggregated
        on aggregated.report_id = report_terms.report_id
        and aggregated.rule_id = report_terms.rule_id
        and aggregated.side = report_terms.side
        and aggregated.part = report_terms.part
        and aggregated.position = report_terms.position
    left join report_tables
        on report_tables.report_id = report_terms.report_id
        and report_tables.table_code = report_terms.table_code
    left join gaps
        on gaps.report_id = report_terms.report_id
        and gaps.table_code = report_terms.table_code
    left join performance_gaps
        on performance_gaps.report_id = report_terms.report_id

)

select * from final

-- grain: one row per current report × table of its phase (a 决算's 01…10, a budget's Y01…Y10):
-- its status, whether the audit reads it, and, for a table missing from the document (or never
-- recorded) or unreadable, the reason. Every template takes the unread ones (`not is_read`, the
-- report's gaps) so that an identity with an input from such a table is indeterminate, with
-- this reason, and never reads the absent amounts as 0. A declared-empty table is read: the
-- document says it is zero. A budget table the registry marks optional (`required` 0: 政府性
-- 基金, 国有资本经营) that the budget does not print is not expected: no identity reads it.
-- Which tables a document must print is its template's (the reader decides it from the
-- tables the document prints: seeds/reference/document_templates.csv; a 决算's 2015 template
-- prints all 9, the central four-table template 4) and recorded per table (`is_required`); a
-- table the template has but does not require, and the document does not print, is not
-- recorded, and not expected. A table the template does not have at all (the 教育部 template's
-- 决算 prints no 公开04表) is recorded missing and not required: a gap (its identities are
-- indeterminate, never 0) but no missing-table finding (`is_required` false). A table recorded
-- without the template's say (loaded before templates) keeps the registry's `required`, and so
-- does every table of a report none of whose tables says.
with reports as (

    select report_id, phase from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }} and not is_superseded

),

report_tables as (

    select * from {{ ref('stg_raw__report_tables') }}
    where {{ in_rebuild() }}

),

-- reports whose reader recorded which tables their template requires
templated as (

    select report_id
    from report_tables
    group by report_id
    having bool_or(is_required is not null)

),

-- the tables of each phase, from the registry (seeds/reference/public_tables.csv)
standard_tables as (

    select table_code, document_phase, required = 1 as is_required
    from {{ ref('public_tables') }}

),

expected as (

    select reports.report_id, reports.phase, standard_tables.table_code
    from reports
    inner join standard_tables on standard_tables.document_phase = reports.phase
    left join report_tables
        on report_tables.report_id = reports.report_id
        and report_tables.table_code = standard_tables.table_code
    -- a table the template requires, or one the document prints
    left join templated on templated.report_id = reports.report_id
    where coalesce(report_tables.status, 'missing') <> 'missing'
        -- recorded missing: required, or (is_required false) not one of its template's tables
        or (report_tables.report_id is not null
            and (report_tables.is_required is not null or standard_tables.is_required))
        or (report_tables.report_id is null and standard_tables.is_required
            and templated.report_id is null)

),

final as (

    select
        expected.report_id || '|' || expected.table_code as report_table_id,
        expected.report_id,
        expected.phase,
        expected.table_code,
        coalesce(report_tables.status, 'missing') as table_status,
        coalesce(report_tables.is_read, false) as is_read,
        coalesce(report_tables.is_required, standard_tables.is_required) as is_required,
        case coalesce(report_tables.status, 'missing')
            when 'present' then null
            when 'declared_empty' then null
            when 'unreadable' then
                {{ table_label('expected.table_code') }} || ' unreadable: '
                || coalesce(report_tables.status_reason, report_tables.source_location,
                            'no reason recorded')
            -- a table the registry knows and does not read (西安's 支出总表 by unit)
            when 'declared_other' then
                {{ table_label('expected.table_code') }} || ' not read ('
                || coalesce(report_tables.source_location, '') || '): '
                || coalesce(report_tables.status_reason, '')
            else
                {{ table_label('expected.table_code') }} || ' not in the document'
                || coalesce(' (' || report_tables.status_reason || ')', '')
        end as gap_reason
    from expected
    left join report_tables
        on report_tables.report_id = expected.report_id
        and report_tables.table_code = expected.table_code
    inner join standard_tables
        on standard_tables.table_code = expected.table_code
        and standard_tables.document_phase = expected.phase

)

select * from final

-- grain: one row per current report × standard table (01…09): its status, whether the audit
-- reads it, and, for a table missing from the document (or never recorded) or unreadable, the
-- reason. Every template takes the unread ones (`not is_read`, the report's gaps) so that an
-- identity with an input from such a table is indeterminate, with this reason, and never reads
-- the absent amounts as 0. A declared-empty table is read: the document says it is zero.
with reports as (

    -- The 决算 audit's tables: a budget's tables (Y01…) are another registry's (phase 预算).
    select report_id from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }} and not is_superseded and phase = '决算'

),

report_tables as (

    select * from {{ ref('stg_raw__report_tables') }}
    where {{ in_rebuild() }}

),

standard_tables as (

    select table_code
    from (values ('01'), ('02'), ('03'), ('04'), ('05'), ('06'), ('07'), ('08'), ('09'))
        as t(table_code)

),

expected as (

    select reports.report_id, standard_tables.table_code
    from reports
    cross join standard_tables

),

final as (

    select
        expected.report_id || '|' || expected.table_code as report_table_id,
        expected.report_id,
        expected.table_code,
        coalesce(report_tables.status, 'missing') as table_status,
        coalesce(report_tables.is_read, false) as is_read,
        case coalesce(report_tables.status, 'missing')
            when 'present' then null
            when 'declared_empty' then null
            when 'unreadable' then
                '公开' || expected.table_code || '表 unreadable: '
                || coalesce(report_tables.status_reason, report_tables.source_location,
                            'no reason recorded')
            else
                '公开' || expected.table_code || '表 not in the document'
                || coalesce(' (' || report_tables.status_reason || ')', '')
        end as gap_reason
    from expected
    left join report_tables
        on report_tables.report_id = expected.report_id
        and report_tables.table_code = expected.table_code

)

select * from final

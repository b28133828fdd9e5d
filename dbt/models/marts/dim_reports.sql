with reports as (

    select * from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }}

),

report_tables as (

    select * from {{ ref('stg_raw__report_tables') }}
    where {{ in_rebuild() }}

),

table_statuses as (

    select
        report_id,
        count(*) filter (where status = 'present') as tables_present,
        count(*) filter (where status = 'declared_empty') as tables_declared_empty,
        count(*) filter (where status = 'missing') as tables_missing,
        -- found but not read: the report loaded without it, and the audit cannot use it
        count(*) filter (where status = 'unreadable') as tables_unreadable,
        string_agg('公开' || table_code || '表：' || coalesce(status_reason, '（原因未记录）'), '；'
                   order by table_code) filter (where status = 'unreadable')
            as unreadable_tables,
        max(amount_unit) filter (where table_code = '01') as amount_unit
    from report_tables
    group by report_id

),

final as (

    select
        reports.report_id,
        reports.unit_name,
        reports.fiscal_year,
        reports.report_kind,
        reports.subordinate_units,
        reports.revision,
        reports.is_current,
        reports.is_superseded,
        reports.superseded_by,
        reports.file_name,
        reports.file_path,
        reports.file_format,
        reports.encoding,
        reports.pages,
        reports.sha256,
        coalesce(table_statuses.tables_present, 0) as tables_present,
        coalesce(table_statuses.tables_declared_empty, 0) as tables_declared_empty,
        coalesce(table_statuses.tables_missing, 0) as tables_missing,
        coalesce(table_statuses.tables_unreadable, 0) as tables_unreadable,
        table_statuses.unreadable_tables,
        table_statuses.amount_unit,
        reports.loaded_at
    from reports
    left join table_statuses
        on reports.report_id = table_statuses.report_id

)

select * from final

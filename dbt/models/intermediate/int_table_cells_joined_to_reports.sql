-- Every table cell with the report it belongs to (unit, year, revision) and its table's status.
with cells as (

    select * from {{ ref('stg_raw__table_cells') }}
    where {{ in_rebuild() }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }}

),

report_tables as (

    select * from {{ ref('stg_raw__report_tables') }}
    where {{ in_rebuild() }}

),

joined as (

    select
        cells.*,
        reports.unit_name,
        reports.fiscal_year,
        reports.report_kind,
        reports.phase,
        reports.is_current,
        report_tables.status as table_status
    from cells
    inner join reports
        on cells.report_id = reports.report_id
    left join report_tables
        on cells.report_id = report_tables.report_id
        and cells.table_code = report_tables.table_code

),

final as (

    select * from joined

)

select * from final

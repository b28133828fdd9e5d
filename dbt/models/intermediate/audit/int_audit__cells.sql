-- grain: one row per value cell of a current report revision, with its rounding half-width.
-- Only cells of tables the audit reads: a cell an unreadable table left behind is not evidence
-- (the table's status in int_audit__tables decides every identity that reads it).
with cells as (

    select * from {{ ref('stg_raw__table_cells') }}
    where {{ in_rebuild() }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }}

),

gaps as (

    select * from {{ ref('int_audit__tables') }}
    where {{ in_rebuild() }}
        and not is_read

),

final as (

    select
        cells.report_id,
        cells.table_code,
        cells.row_index,
        cells.column_group,
        cells.column_index,
        concat_ws('|', cells.report_id, cells.table_code, cells.row_index,
                  cells.column_group, cells.column_index) as cell_id,
        cells.row_code,
        case length(cells.row_code) when 3 then 1 when 5 then 2 when 7 then 3 end as code_level,
        cells.row_label,
        cells.row_key,
        cells.column_key,
        cells.column_label,
        cells.value_wan_yuan,
        cast(coalesce(cells.value_wan_yuan, 0) as decimal(24, 6)) as value0,
        {{ half_width('cells.decimals', 'cells.unit_divisor') }} as half_width,
        cells.printed_text,
        cells.source_location
    from cells
    inner join reports on cells.report_id = reports.report_id
    anti join gaps
        on gaps.report_id = cells.report_id
        and gaps.table_code = cells.table_code
    where not reports.is_superseded

)

select * from final

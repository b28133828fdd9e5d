-- Every printed 功能分类 row of the general-budget expenditure table of each current report, with
-- the document phase: a budget's 一般公共预算支出表 (Y05, the budget approved in spring) or its
-- 财政拨款支出表 (Y10, every fund) and a 决算's 公开05表 (the final accounts), the same columns
-- under one name. Which table of which
-- phase this is comes from the table registry (seeds/reference/public_tables.csv: Y05 reads as 05).
with registry as (

    -- 公开05表 and the budget's 一般公共预算支出表: the 功能分类 table of general-budget spending;
    -- and a budget's 财政拨款支出表 (Y10, every fund: universities print it instead of Y05)
    select table_code, document_phase
    from {{ ref('public_tables') }}
    where table_code in ('05', 'Y05', 'Y10')

),

cells as (

    select cells.*
    from {{ ref('int_table_cells_joined_to_reports') }} as cells
    inner join registry on registry.table_code = cells.table_code
    where {{ in_rebuild() }}
        and cells.is_current
        and cells.row_key is null
        and cells.row_code is not null

),

pivoted as (

    select
        report_id || '|' || table_code || '|' || row_index as function_row_id,
        report_id,
        any_value(unit_name) as unit_name,
        any_value(fiscal_year) as fiscal_year,
        any_value(report_kind) as report_kind,
        any_value(phase) as phase,
        table_code,
        row_index,
        max(row_code) as function_code,
        length(max(row_code)) = 7 as is_item,
        max(row_label) as printed_name,
        max(case when column_key = 'total' then value_wan_yuan end) as total_wan_yuan,
        max(case when column_key = 'basic' then value_wan_yuan end) as basic_wan_yuan,
        max(case when column_key = 'project' then value_wan_yuan end) as project_wan_yuan,
        -- the rounding of the printed total: ± half its last decimal, in 万元
        max(case when column_key = 'total' then rounding_half_width_wan_yuan end)
            as total_half_width_wan_yuan,
        max(case when column_key = 'total' then source_location end) as source_location
    from cells
    group by report_id, table_code, row_index

),

final as (

    select * from pivoted

)

select * from final

-- Every printed 经济分类 row of the general-budget basic-expenditure table of each current
-- report, with the document phase: a budget's 一般公共预算基本支出表 (Y06: 合计 | 人员经费 |
-- 公用经费 by row) and a 决算's 公开06表 (one 决算数 per code, in one to three column groups;
-- its 人员/公用 split is by code, see dim_economic_codes). Which table is which comes from the
-- table registry (seeds/reference/public_tables.csv).
with registry as (

    select table_code, document_phase
    from {{ ref('public_tables') }}
    where table_code in ('06', 'Y06')

),

cells as (

    select cells.*
    from {{ ref('int_table_cells_joined_to_reports') }} as cells
    inner join registry on registry.table_code = cells.table_code
    where {{ in_rebuild() }}
        and cells.is_current
        and cells.row_code is not null

),

pivoted as (

    select
        report_id || '|' || table_code || '|' || row_index || '|' || column_group
            as economic_row_id,
        report_id,
        any_value(unit_name) as unit_name,
        any_value(fiscal_year) as fiscal_year,
        any_value(report_kind) as report_kind,
        any_value(phase) as phase,
        table_code,
        row_index,
        column_group,
        max(row_code) as economic_code,
        case length(max(row_code)) when 3 then 1 when 5 then 2 end as economic_level,
        max(row_label) as printed_name,
        -- the budget's 合计 column, the 决算's single 决算数
        max(case when column_key in ('total', 'amount') then value_wan_yuan end) as total_wan_yuan,
        max(case when column_key = 'personnel' then value_wan_yuan end) as personnel_wan_yuan,
        max(case when column_key = 'public_use' then value_wan_yuan end) as public_use_wan_yuan,
        max(case when column_key in ('total', 'amount') then rounding_half_width_wan_yuan end)
            as total_half_width_wan_yuan,
        max(case when column_key in ('total', 'amount') then source_location end)
            as source_location
    from cells
    group by report_id, table_code, row_index, column_group

),

final as (

    select * from pivoted

)

select * from final

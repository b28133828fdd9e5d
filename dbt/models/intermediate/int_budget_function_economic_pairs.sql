-- grain: one row per report × printed row of a 功能分类 × 经济分类 pair table (北京's 支出总表,
-- registry seeds/reference/table_grains.csv), pair_row_id = report|table|row_index: the row's
-- 功能分类 项, its 部门支出经济分类 code, its amounts as printed (合计, 基本支出, 项目支出 and the
-- 其中 columns), each with its rounding half-width, and where the row is printed. The table's
-- own 合计 row is not a pair (row_key total): the checks read it from the cells.
with pair_tables as (

    select table_code from {{ ref('table_grains') }}

),

cells as (

    select cells.*
    from {{ ref('stg_raw__table_cells') }} as cells
    inner join pair_tables on pair_tables.table_code = cells.table_code
    where {{ in_rebuild() }}
        and cells.row_economic_code is not null

),

pivoted as (

    select
        report_id || '|' || table_code || '|' || row_index as pair_row_id,
        report_id,
        table_code,
        row_index,
        max(row_code) as function_code,
        max(row_label) as function_name,
        max(row_economic_code) as economic_code,
        {{ amounts_by_column_key(['total', 'basic', 'project', 'operating', 'remit_upper',
                                  'subsidy_affiliated']) }},
        -- ± half the last printed digit of the 合计 (0 for a blank: an exact zero)
        coalesce(max(case when column_key = 'total' then rounding_half_width_wan_yuan end), 0)
            as total_half_width_wan_yuan,
        max(case when column_key = 'total' then source_location end) as source_location,
        max(page_no) as page_no
    from cells
    group by report_id, table_code, row_index

),

final as (

    select * from pivoted

)

select * from final

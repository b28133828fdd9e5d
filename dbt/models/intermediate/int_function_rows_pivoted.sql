-- The 功能分类 rows of 公开02/03/05/07/08表 pivoted from cells to one row per printed table row:
-- one amount column per canonical column key. Summary rows (合计, row_key set) are left out;
-- rows whose code could not be read are kept with a null function_code.
with cells as (

    select * from {{ ref('int_table_cells_joined_to_reports') }}
    where {{ in_rebuild() }}
        and table_code in ('02', '03', '05', '07', '08')
        and row_key is null

),

pivoted as (

    select
        report_id || '|' || table_code || '|' || row_index as table_row_id,
        report_id,
        table_code,
        row_index,
        any_value(unit_name) as unit_name,
        any_value(fiscal_year) as fiscal_year,
        any_value(is_current) as is_current,
        any_value(table_status) as table_status,
        max(row_code) as function_code,
        max(row_label) as printed_name,
        max(row_label_normalized) as printed_name_normalized,
        max(case when column_key = 'total' then value_wan_yuan end) as total_wan_yuan,
        max(case when column_key = 'basic' then value_wan_yuan end) as basic_wan_yuan,
        max(case when column_key = 'project' then value_wan_yuan end) as project_wan_yuan,
        max(case when column_key = 'remit_upper' then value_wan_yuan end) as remit_upper_wan_yuan,
        max(case when column_key = 'operating' then value_wan_yuan end) as operating_wan_yuan,
        max(case when column_key = 'subsidy_affiliated' then value_wan_yuan end)
            as subsidy_affiliated_wan_yuan,
        max(case when column_key = 'fiscal_appropriation' then value_wan_yuan end)
            as fiscal_appropriation_wan_yuan,
        max(case when column_key = 'upper_subsidy' then value_wan_yuan end) as upper_subsidy_wan_yuan,
        max(case when column_key = 'business' then value_wan_yuan end) as business_wan_yuan,
        max(case when column_key = 'affiliated_remit' then value_wan_yuan end)
            as affiliated_remit_wan_yuan,
        max(case when column_key = 'other' then value_wan_yuan end) as other_wan_yuan,
        max(case when column_key = 'carryover_begin' then value_wan_yuan end)
            as carryover_begin_wan_yuan,
        max(case when column_key = 'income' then value_wan_yuan end) as income_wan_yuan,
        max(case when column_key = 'carryover_end' then value_wan_yuan end) as carryover_end_wan_yuan,
        count(*) as cell_count,
        count(*) filter (where column_key is null) as nonstandard_cell_count,
        -- the coarsest printed precision of the row, so the widest rounding interval
        min(decimals) as decimals,
        max(unit_divisor) as unit_divisor,
        max(rounding_half_width_wan_yuan) as rounding_half_width_wan_yuan,
        arg_min(source_location, column_index) as source_location,
        min(line_no) as line_no,
        min(page_no) as page_no
    from cells
    group by report_id, table_code, row_index

),

final as (

    select * from pivoted

)

select * from final

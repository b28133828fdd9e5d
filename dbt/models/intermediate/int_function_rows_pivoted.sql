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
        {{ amounts_by_column_key(['total', 'basic', 'project', 'remit_upper', 'operating',
                                  'subsidy_affiliated', 'fiscal_appropriation', 'upper_subsidy',
                                  'business', 'affiliated_remit', 'other', 'carryover_begin',
                                  'income', 'carryover_end']) }},
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

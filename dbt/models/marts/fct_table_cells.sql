with cells as (

    select * from {{ ref('int_table_cells_joined_to_reports') }}
    where {{ in_rebuild() }}

),

final as (

    select
        cell_id,
        report_id,
        unit_name,
        fiscal_year,
        is_current,
        table_code,
        table_status,
        row_index,
        row_code,
        row_label,
        row_key,
        row_line_no,
        column_group,
        column_index,
        column_label,
        column_key,
        is_nonstandard_column,
        value_wan_yuan,
        is_blank,
        printed_text,
        decimals,
        unit_divisor,
        rounding_half_width_wan_yuan,
        source_location,
        line_no,
        page_no,
        bbox_x0,
        bbox_top,
        bbox_x1,
        bbox_bottom
    from cells

)

select * from final

-- One row per value cell of the 9 standard tables (long form), exactly as the readers found it,
-- plus the derived fields every later layer needs: a cell id, the rounding half-width of the
-- printed value in 万元, the blank-means-zero amount and names normalised for comparison.
with source as (

    select * from {{ source('raw', 'table_cells') }}

),

renamed as (

    select
        report_id
            || '|' || table_code
            || '|' || row_index
            || '|' || column_group
            || '|' || column_index as cell_id,
        report_id,
        table_code,
        row_index,
        row_code,
        row_label,
        -- names compared with the registry / the 情况说明: full-width brackets and digits folded,
        -- all white space removed
        nullif(
            regexp_replace(
                translate(row_label, '（）［］【】０１２３４５６７８９', '()[][]0123456789'),
                '[\s\x{3000}]+', '', 'g'),
            '') as row_label_normalized,
        row_key,
        -- a 功能分类 × 经济分类 pair row's 部门支出经济分类 code (北京's 支出总表); else null
        row_economic_code,
        row_line_no,
        column_index,
        column_label,
        column_key,
        column_key is null as is_nonstandard_column,
        column_group,
        value_wan_yuan,
        coalesce(value_wan_yuan, 0) as value_or_zero_wan_yuan,
        value_wan_yuan is null as is_blank,
        printed_text,
        decimals,
        unit_divisor,
        -- ± half a unit of the last printed decimal, in 万元 (null for a blank cell)
        case
            when decimals is not null
                then cast(0.5 / (pow(10, decimals) * unit_divisor) as decimal(20, 10))
        end as rounding_half_width_wan_yuan,
        source_location,
        line_no,
        page_no,
        bbox_x0,
        bbox_top,
        bbox_x1,
        bbox_bottom
    from source

),

final as (

    select * from renamed

)

select * from final

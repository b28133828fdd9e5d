-- 财政拨款 by fund × 功能分类 code: the 决算 of 公开05/07/08表, the 类 amounts of 公开04表 and the
-- 年初预算 stated in the 情况说明, lined up on the code. One row per report × fund × code (a row
-- that only one source has is kept: a sentence that matches no code, a class only in 04).
with fund_types as (

    select * from {{ ref('int_fund_types') }}
    where detail_table_code is not null

),

detail_rows as (

    select * from {{ ref('int_function_rows_classified') }}
    where {{ in_rebuild() }}
        and fund_type in ('general_budget', 'gov_fund', 'soe_capital')

),

table_04_classes as (

    select
        cells.report_id,
        fund_types.fund_type,
        coalesce(cells.row_code, 't04:row' || cells.row_index) as function_row_key,
        cells.row_code as function_code,
        cells.row_label as function_name,
        cells.value_wan_yuan,
        cells.decimals,
        cells.source_location
    from {{ ref('int_table_cells_joined_to_reports') }} as cells
    inner join fund_types
        on cells.column_key = fund_types.table_04_column_key
    where {{ in_rebuild('cells.report_id') }}
        and cells.table_code = '04'
        and cells.row_key = 'function_class'
        and cells.column_group = 1
        and cells.value_wan_yuan is not null

),

narrative_items as (

    select * from {{ ref('int_narrative_items_matched_to_codes') }}
    where {{ in_rebuild() }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }}

),

registry as (

    select * from {{ ref('stg_reference__function_codes') }}

),

spine as (

    select report_id, fund_type, function_row_key from detail_rows
    union
    select report_id, fund_type, function_row_key from table_04_classes
    union
    select report_id, fund_type, function_row_key from narrative_items

),

joined as (

    select
        spine.report_id || '|' || spine.fund_type || '|' || spine.function_row_key
            as appropriation_function_id,
        spine.report_id,
        reports.unit_name,
        reports.fiscal_year,
        reports.is_current,
        spine.fund_type,
        spine.function_row_key,
        coalesce(
            detail_rows.function_code,
            table_04_classes.function_code,
            narrative_items.matched_function_code
        ) as function_code,
        coalesce(
            detail_rows.function_name,
            table_04_classes.function_name,
            narrative_items.leaf_name_normalized
        ) as function_name,
        detail_rows.table_code as detail_table_code,
        detail_rows.row_index,
        detail_rows.total_wan_yuan as detail_final_wan_yuan,
        detail_rows.basic_wan_yuan,
        detail_rows.project_wan_yuan,
        detail_rows.carryover_begin_wan_yuan,
        detail_rows.income_wan_yuan,
        detail_rows.carryover_end_wan_yuan,
        detail_rows.is_repeated_code,
        detail_rows.decimals,
        detail_rows.unit_divisor,
        detail_rows.rounding_half_width_wan_yuan,
        detail_rows.source_location,
        detail_rows.line_no,
        detail_rows.page_no,
        table_04_classes.value_wan_yuan as table_04_final_wan_yuan,
        table_04_classes.decimals as table_04_decimals,
        table_04_classes.source_location as table_04_source_location,
        narrative_items.function_path,
        narrative_items.match_method as narrative_match_method,
        narrative_items.is_duplicate_match as is_duplicate_narrative_match,
        narrative_items.initial_budget_wan_yuan,
        narrative_items.initial_budget_decimals,
        narrative_items.stated_final_wan_yuan,
        narrative_items.stated_final_decimals,
        narrative_items.stated_completion_pct,
        narrative_items.stated_completion_decimals,
        narrative_items.stated_direction,
        narrative_items.stated_reason,
        narrative_items.source_location as narrative_source_location,
        narrative_items.line_no as narrative_line_no
    from spine
    inner join reports
        on spine.report_id = reports.report_id
    left join detail_rows
        on spine.report_id = detail_rows.report_id
        and spine.fund_type = detail_rows.fund_type
        and spine.function_row_key = detail_rows.function_row_key
    left join table_04_classes
        on spine.report_id = table_04_classes.report_id
        and spine.fund_type = table_04_classes.fund_type
        and spine.function_row_key = table_04_classes.function_row_key
    left join narrative_items
        on spine.report_id = narrative_items.report_id
        and spine.fund_type = narrative_items.fund_type
        and spine.function_row_key = narrative_items.function_row_key

),

classified as (

    select
        joined.*,
        coalesce(
            registry.function_level,
            case length(joined.function_code) when 3 then 1 when 5 then 2 when 7 then 3 end
        ) as function_level,
        registry.function_name as registry_name,
        registry.function_code is not null as is_in_registry,
        registry.function_code is not null
            and regexp_replace(
                translate(joined.function_name, '（）［］【】０１２３４５６７８９', '()[][]0123456789'),
                '[\s\x{3000}]+', '', 'g')
            is distinct from registry.function_name_normalized as is_name_mismatch
    from joined
    left join registry
        on joined.function_code = registry.function_code

),

final as (

    select * from classified

)

select * from final

with economic_rows as (

    select * from {{ ref('int_economic_rows_classified') }}
    where {{ in_rebuild() }}

),

final as (

    select
        report_id || '|06|' || economic_row_key as basic_expenditure_id,
        report_id,
        unit_name,
        fiscal_year,
        is_current,
        '06' as source_table,
        row_index,
        column_group,
        economic_code,
        economic_name,
        economic_level,
        class_code,
        cost_group,
        cost_group_source,
        registry_name,
        is_in_registry,
        is_name_mismatch,
        economic_code is not null and (not is_in_registry or is_name_mismatch) as is_code_flagged,
        is_repeated_code,
        amount_wan_yuan,
        has_nonstandard_columns,
        decimals,
        unit_divisor,
        rounding_half_width_wan_yuan,
        source_location,
        line_no,
        page_no
    from economic_rows

)

select * from final

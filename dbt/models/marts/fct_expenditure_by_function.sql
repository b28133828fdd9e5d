with function_rows as (

    select * from {{ ref('int_function_rows_classified') }}
    where {{ in_rebuild() }}
        and table_code in ('03', '05', '07', '08')

),

final as (

    select
        report_id || '|' || table_code || '|' || function_row_key as expenditure_id,
        report_id,
        unit_name,
        fiscal_year,
        is_current,
        table_code as source_table,
        table_status,
        fund_type,
        row_index,
        function_code,
        function_name,
        function_level,
        class_code,
        kuan_code,
        parent_code,
        registry_name,
        is_in_registry,
        is_name_mismatch,
        not is_in_registry or is_name_mismatch as is_code_flagged,
        is_repeated_code,
        total_wan_yuan,
        basic_wan_yuan,
        project_wan_yuan,
        remit_upper_wan_yuan,
        operating_wan_yuan,
        subsidy_affiliated_wan_yuan,
        carryover_begin_wan_yuan,
        income_wan_yuan,
        carryover_end_wan_yuan,
        has_nonstandard_columns,
        decimals,
        unit_divisor,
        rounding_half_width_wan_yuan,
        source_location,
        line_no,
        page_no
    from function_rows

)

select * from final

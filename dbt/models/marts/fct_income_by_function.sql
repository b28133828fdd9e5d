with function_rows as (

    select * from {{ ref('int_function_rows_classified') }}
    where {{ in_rebuild() }}
        and table_code = '02'

),

final as (

    select
        report_id || '|02|' || function_row_key as income_id,
        report_id,
        unit_name,
        fiscal_year,
        is_current,
        table_code as source_table,
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
        fiscal_appropriation_wan_yuan,
        upper_subsidy_wan_yuan,
        business_wan_yuan,
        operating_wan_yuan,
        affiliated_remit_wan_yuan,
        other_wan_yuan,
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

with by_function as (

    select * from {{ ref('int_appropriations_by_function') }}
    where {{ in_rebuild() }}

),

by_fund as (

    select * from {{ ref('int_appropriations_by_fund') }}
    where {{ in_rebuild() }}

),

fund_types as (

    select * from {{ ref('int_fund_types') }}

),

function_rows as (

    select
        by_function.report_id || '|' || by_function.fund_type || '|' || by_function.function_row_key
            as appropriation_id,
        by_function.report_id,
        by_function.unit_name,
        by_function.fiscal_year,
        by_function.is_current,
        by_function.fund_type,
        fund_types.fund_type_name,
        'function' as row_kind,
        by_function.function_code,
        by_function.function_name,
        by_function.function_level,
        by_function.registry_name,
        by_function.is_in_registry,
        by_function.is_name_mismatch,
        by_function.function_code is not null
            and (not by_function.is_in_registry or by_function.is_name_mismatch)
            as is_code_flagged,
        by_function.function_path,
        by_function.narrative_match_method,
        coalesce(by_function.is_duplicate_narrative_match, false) as is_duplicate_narrative_match,
        by_function.initial_budget_wan_yuan,
        coalesce(by_function.detail_final_wan_yuan, by_function.table_04_final_wan_yuan)
            as final_wan_yuan,
        case
            when by_function.detail_table_code is not null then by_function.detail_table_code
            when by_function.table_04_final_wan_yuan is not null then '04'
        end as final_source_table,
        by_function.detail_final_wan_yuan,
        by_function.table_04_final_wan_yuan,
        by_function.stated_final_wan_yuan,
        by_function.basic_wan_yuan,
        by_function.project_wan_yuan,
        by_function.income_wan_yuan,
        by_function.carryover_begin_wan_yuan,
        by_function.carryover_end_wan_yuan,
        by_function.stated_completion_pct,
        by_function.stated_direction,
        by_function.stated_reason,
        by_function.decimals,
        by_function.unit_divisor,
        by_function.rounding_half_width_wan_yuan,
        by_function.initial_budget_decimals,
        by_function.source_location,
        by_function.line_no,
        by_function.page_no,
        by_function.table_04_source_location,
        by_function.narrative_source_location,
        by_function.narrative_line_no
    from by_function
    inner join fund_types
        on by_function.fund_type = fund_types.fund_type

),

fund_rows as (

    select
        report_id || '|' || fund_type || '|total' as appropriation_id,
        report_id,
        unit_name,
        fiscal_year,
        is_current,
        fund_type,
        fund_type_name,
        'fund_total' as row_kind,
        cast(null as varchar) as function_code,
        fund_type_name || '合计' as function_name,
        0 as function_level,
        cast(null as varchar) as registry_name,
        cast(null as boolean) as is_in_registry,
        cast(null as boolean) as is_name_mismatch,
        false as is_code_flagged,
        cast(null as varchar) as function_path,
        case when initial_budget_wan_yuan is not null then 'fund_sentence' end
            as narrative_match_method,
        false as is_duplicate_narrative_match,
        initial_budget_wan_yuan,
        coalesce(table_04_final_wan_yuan, detail_final_wan_yuan) as final_wan_yuan,
        case
            when table_04_final_wan_yuan is not null then '04'
            when detail_final_wan_yuan is not null then detail_table_code
        end as final_source_table,
        detail_final_wan_yuan,
        table_04_final_wan_yuan,
        stated_final_wan_yuan,
        basic_wan_yuan,
        project_wan_yuan,
        table_04_income_wan_yuan as income_wan_yuan,
        table_04_carryover_begin_wan_yuan as carryover_begin_wan_yuan,
        table_04_carryover_end_wan_yuan as carryover_end_wan_yuan,
        stated_completion_pct,
        cast(null as varchar) as stated_direction,
        cast(null as varchar) as stated_reason,
        decimals,
        unit_divisor,
        case
            when decimals is not null
                then cast(0.5 / (pow(10, decimals) * coalesce(unit_divisor, 1)) as decimal(20, 10))
        end as rounding_half_width_wan_yuan,
        initial_budget_decimals,
        source_location,
        line_no,
        page_no,
        table_04_source_location,
        narrative_source_location,
        narrative_line_no
    from by_fund

),

unioned as (

    select * from fund_rows
    union all by name
    select * from function_rows

),

final as (

    select
        *,
        case
            when initial_budget_wan_yuan is not null and initial_budget_wan_yuan <> 0
                and final_wan_yuan is not null
                then cast(round(final_wan_yuan * 100 / initial_budget_wan_yuan, 4) as decimal(12, 4))
        end as computed_completion_pct
    from unioned

)

select * from final

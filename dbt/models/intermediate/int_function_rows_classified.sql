-- 功能分类 table rows (公开02/03/05/07/08表) with their fund, their place in the 类/款/项
-- hierarchy and the registry check: a code not in the registry, or printed under another name
-- than the registry's, is kept and flagged. A code printed twice in one table keeps both rows;
-- the second gets a '#2' suffix in its key and is_repeated_code.
with rows as (

    select * from {{ ref('int_function_rows_pivoted') }}
    where {{ in_rebuild() }}

),

registry as (

    select * from {{ ref('stg_reference__function_codes') }}

),

ranked as (

    select
        *,
        row_number() over (
            partition by report_id, table_code, function_code order by row_index
        ) as code_occurrence,
        count(*) over (partition by report_id, table_code, function_code) as code_count
    from rows

),

classified as (

    select
        ranked.report_id || '|' || ranked.table_code || '|'
            || coalesce(ranked.function_code, 'row' || ranked.row_index)
            || case when ranked.code_occurrence > 1 then '#' || ranked.code_occurrence else '' end
            as function_row_id,
        ranked.report_id,
        ranked.table_code,
        ranked.row_index,
        ranked.unit_name,
        ranked.fiscal_year,
        ranked.is_current,
        ranked.table_status,
        case ranked.table_code
            when '02' then 'all_funds'
            when '03' then 'all_funds'
            when '05' then 'general_budget'
            when '07' then 'gov_fund'
            when '08' then 'soe_capital'
        end as fund_type,
        coalesce(ranked.function_code, 'row' || ranked.row_index)
            || case when ranked.code_occurrence > 1 then '#' || ranked.code_occurrence else '' end
            as function_row_key,
        ranked.function_code,
        ranked.printed_name as function_name,
        ranked.printed_name_normalized as function_name_normalized,
        coalesce(
            registry.function_level,
            case length(ranked.function_code) when 3 then 1 when 5 then 2 when 7 then 3 end
        ) as function_level,
        case
            when length(ranked.function_code) >= 5 then left(ranked.function_code, 3)
        end as class_code,
        case
            when length(ranked.function_code) >= 7 then left(ranked.function_code, 5)
        end as kuan_code,
        coalesce(
            registry.parent_code,
            case
                when length(ranked.function_code) = 7 then left(ranked.function_code, 5)
                when length(ranked.function_code) = 5 then left(ranked.function_code, 3)
            end
        ) as parent_code,
        registry.function_name as registry_name,
        registry.function_code is not null as is_in_registry,
        registry.function_code is not null
            and ranked.printed_name_normalized is distinct from registry.function_name_normalized
            as is_name_mismatch,
        ranked.code_occurrence,
        ranked.code_count > 1 and ranked.function_code is not null as is_repeated_code,
        ranked.total_wan_yuan,
        ranked.basic_wan_yuan,
        ranked.project_wan_yuan,
        ranked.remit_upper_wan_yuan,
        ranked.operating_wan_yuan,
        ranked.subsidy_affiliated_wan_yuan,
        ranked.fiscal_appropriation_wan_yuan,
        ranked.upper_subsidy_wan_yuan,
        ranked.business_wan_yuan,
        ranked.affiliated_remit_wan_yuan,
        ranked.other_wan_yuan,
        ranked.carryover_begin_wan_yuan,
        ranked.income_wan_yuan,
        ranked.carryover_end_wan_yuan,
        ranked.cell_count,
        ranked.nonstandard_cell_count > 0 as has_nonstandard_columns,
        ranked.decimals,
        ranked.unit_divisor,
        ranked.rounding_half_width_wan_yuan,
        ranked.source_location,
        ranked.line_no,
        ranked.page_no
    from ranked
    left join registry
        on ranked.function_code = registry.function_code

),

final as (

    select * from classified

)

select * from final

-- Per unit, year and 功能分类 项: the general-budget appropriation the budget approved (预算, Y05)
-- beside what the 决算 reports spent (公开05表), and whether they agree within rounding. A
-- difference is a warning, not an error: mid-year additions and cuts change the budget after
-- the 预算 was published. Indeterminate when the other document is not loaded: never a zero.
with rows as (

    select * from {{ ref('fct_function_budget_and_final') }}
    where is_item

),

by_phase as (

    select
        unit_name,
        fiscal_year,
        function_code,
        phase,
        any_value(printed_name) as printed_name,
        sum(total_wan_yuan) as total_wan_yuan,
        sum(coalesce(total_half_width_wan_yuan, 0)) as half_width_wan_yuan,
        any_value(source_location) as source_location
    from rows
    group by unit_name, fiscal_year, function_code, phase

),

documents as (

    select unit_name, fiscal_year, phase
    from rows
    group by unit_name, fiscal_year, phase

),

keys as (

    select distinct unit_name, fiscal_year, function_code from by_phase

),

compared as (

    select
        keys.unit_name || '|' || keys.fiscal_year || '|' || keys.function_code as comparison_id,
        keys.unit_name,
        keys.fiscal_year,
        keys.function_code,
        coalesce(budget.printed_name, final_.printed_name) as function_name,
        budget_doc.phase is not null as budget_loaded,
        final_doc.phase is not null as final_loaded,
        -- a 项 the loaded document does not print is 0 in it; an absent document is unknown
        case when budget_doc.phase is not null then coalesce(budget.total_wan_yuan, 0) end
            as budget_wan_yuan,
        case when final_doc.phase is not null then coalesce(final_.total_wan_yuan, 0) end
            as final_wan_yuan,
        coalesce(budget.half_width_wan_yuan, 0) + coalesce(final_.half_width_wan_yuan, 0)
            as allowed_wan_yuan,
        budget.source_location as budget_location,
        final_.source_location as final_location
    from keys
    left join by_phase as budget
        on budget.unit_name = keys.unit_name and budget.fiscal_year = keys.fiscal_year
        and budget.function_code = keys.function_code and budget.phase = '预算'
    left join by_phase as final_
        on final_.unit_name = keys.unit_name and final_.fiscal_year = keys.fiscal_year
        and final_.function_code = keys.function_code and final_.phase = '决算'
    left join documents as budget_doc
        on budget_doc.unit_name = keys.unit_name and budget_doc.fiscal_year = keys.fiscal_year
        and budget_doc.phase = '预算'
    left join documents as final_doc
        on final_doc.unit_name = keys.unit_name and final_doc.fiscal_year = keys.fiscal_year
        and final_doc.phase = '决算'

),

final as (

    select
        *,
        final_wan_yuan - budget_wan_yuan as difference_wan_yuan,
        case
            when budget_wan_yuan is null or final_wan_yuan is null then 'indeterminate'
            when abs(final_wan_yuan - budget_wan_yuan) <= allowed_wan_yuan then 'pass'
            else 'warning'
        end as status
    from compared

)

select * from final

-- Per unit, year and 功能分类 项: the 财政拨款 the budget approved (预算, Y05: 一般公共预算支出表, or a
-- university's 财政拨款支出预算表), the 年初预算 the 决算's 情况说明 quotes for the 项, and what the
-- 决算 reports spent (公开05表), side by side, and whether budget and 决算 agree within rounding. A
-- difference is information, not an error (the catalogue's B.item_appropriation, severity info):
-- mid-year additions, cuts and last year's carry-over change what is spent after the 预算 was
-- published. Indeterminate when the other document is not loaded: never a zero. The quoted 年初预算
-- is null where the 决算 quotes none for the 项.
with rows as (

    select * from {{ ref('fct_function_budget_and_final') }}
    where is_item
        -- a budget's 财政拨款支出表 stands in for its 一般公共预算支出表 only when it prints none
        -- (江苏 prints both; a university only the first): the catalogue's B.item_appropriation,
        -- `instead=Y10`
        and (table_code <> 'Y10' or report_id not in (
            select report_id from {{ ref('fct_function_budget_and_final') }}
            where table_code = 'Y05'))

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

-- the 年初预算 the 决算's 情况说明 quotes per 项 (matched to its code), general budget only
quoted as (

    select
        reports.unit_name,
        reports.fiscal_year,
        quoted.matched_function_code as function_code,
        arg_min(cast(quoted.initial_budget_wan_yuan as decimal(24, 6)), quoted.first_fact_id)
            as initial_budget_wan_yuan,
        arg_min(quoted.source_location, quoted.first_fact_id) as initial_budget_location
    from {{ ref('int_narrative_items_matched_to_codes') }} as quoted
    inner join {{ ref('stg_raw__reports') }} as reports
        on reports.report_id = quoted.report_id
        and reports.is_current
        and reports.phase = '决算'
    where quoted.fund_type = 'general_budget'
        and quoted.matched_function_code is not null
        and quoted.match_occurrence = 1
        and quoted.initial_budget_wan_yuan is not null
    group by all

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
        quoted.initial_budget_wan_yuan,
        coalesce(budget.half_width_wan_yuan, 0) + coalesce(final_.half_width_wan_yuan, 0)
            as allowed_wan_yuan,
        budget.source_location as budget_location,
        final_.source_location as final_location,
        quoted.initial_budget_location
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
    left join quoted
        on quoted.unit_name = keys.unit_name and quoted.fiscal_year = keys.fiscal_year
        and quoted.function_code = keys.function_code

),

final as (

    select
        *,
        final_wan_yuan - budget_wan_yuan as difference_wan_yuan,
        case
            when budget_wan_yuan is null or final_wan_yuan is null then 'indeterminate'
            when abs(final_wan_yuan - budget_wan_yuan) <= allowed_wan_yuan then 'pass'
            else 'info'
        end as status
    from compared

)

select * from final

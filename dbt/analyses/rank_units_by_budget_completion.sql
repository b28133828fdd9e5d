-- Rank units by how far their 一般公共预算财政拨款支出 决算 strays from the 年初预算 (completion
-- furthest from 100% first), and list each unit's 项 with the largest gaps.
-- 按年初预算完成率偏离100%的程度对单位排名。
with summary as (

    select * from {{ ref('fct_unit_year_summary') }}

),

items as (

    select * from {{ ref('fct_appropriations') }}
    where is_current
        and row_kind = 'function'
        and initial_budget_wan_yuan is not null

),

largest_item_gap as (

    select
        report_id,
        arg_max(function_name, abs(final_wan_yuan - initial_budget_wan_yuan)) as largest_gap_item,
        max(abs(final_wan_yuan - initial_budget_wan_yuan)) as largest_gap_wan_yuan,
        count(*) filter (where computed_completion_pct < 90) as items_under_90_pct,
        count(*) filter (where computed_completion_pct > 110) as items_over_110_pct
    from items
    group by report_id

),

final as (

    select
        summary.fiscal_year,
        rank() over (
            partition by summary.fiscal_year
            order by abs(summary.computed_completion_pct - 100) desc nulls last
        ) as deviation_rank,
        summary.unit_name,
        summary.initial_budget_wan_yuan,
        summary.general_budget_final_wan_yuan,
        summary.stated_completion_pct,
        summary.computed_completion_pct,
        largest_item_gap.largest_gap_item,
        largest_item_gap.largest_gap_wan_yuan,
        largest_item_gap.items_under_90_pct,
        largest_item_gap.items_over_110_pct
    from summary
    left join largest_item_gap
        on summary.report_id = largest_item_gap.report_id

)

select * from final
order by fiscal_year, deviation_rank, unit_name

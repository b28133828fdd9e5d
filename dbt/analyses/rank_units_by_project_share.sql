-- Rank units by the share of 项目支出 in 本年支出合计, within each fiscal year.
-- 按项目支出占比对单位排名（每个年度内）。
with summary as (

    select * from {{ ref('fct_unit_year_summary') }}

),

final as (

    select
        fiscal_year,
        rank() over (partition by fiscal_year order by project_share_pct desc nulls last)
            as project_share_rank,
        unit_name,
        expenditure_total_wan_yuan,
        basic_wan_yuan,
        project_wan_yuan,
        project_share_pct,
        count(*) over (partition by fiscal_year) as units_in_year
    from summary

)

select * from final
order by fiscal_year, project_share_rank, unit_name

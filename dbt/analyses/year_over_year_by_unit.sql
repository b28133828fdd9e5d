-- Year over year per unit: each year's totals next to the previous loaded year, and next to the
-- prior-year total the 情况说明 implies by its stated change (they differ when a unit restated or
-- when the previous report is not loaded). 单位逐年对比。
with summary as (

    select * from {{ ref('fct_unit_year_summary') }}

),

with_previous as (

    select
        *,
        lag(fiscal_year) over unit_years as previous_fiscal_year,
        lag(expenditure_total_wan_yuan) over unit_years as previous_expenditure_total_wan_yuan,
        lag(project_wan_yuan) over unit_years as previous_project_wan_yuan,
        lag(personnel_wan_yuan) over unit_years as previous_personnel_wan_yuan,
        lag(three_public_final_wan_yuan) over unit_years as previous_three_public_final_wan_yuan
    from summary
    window unit_years as (partition by unit_name order by fiscal_year)

),

final as (

    select
        unit_name,
        fiscal_year,
        previous_fiscal_year,
        expenditure_total_wan_yuan,
        previous_expenditure_total_wan_yuan,
        expenditure_total_wan_yuan - previous_expenditure_total_wan_yuan
            as expenditure_change_wan_yuan,
        case
            when previous_expenditure_total_wan_yuan <> 0
                then cast(round(
                    (expenditure_total_wan_yuan - previous_expenditure_total_wan_yuan) * 100
                    / previous_expenditure_total_wan_yuan, 2) as decimal(12, 2))
        end as expenditure_change_pct,
        prior_year_expenditure_implied_wan_yuan,
        stated_expenditure_change_wan_yuan,
        stated_expenditure_change_pct,
        previous_expenditure_total_wan_yuan - prior_year_expenditure_implied_wan_yuan
            as loaded_vs_implied_prior_year_wan_yuan,
        project_wan_yuan,
        previous_project_wan_yuan,
        personnel_wan_yuan,
        previous_personnel_wan_yuan,
        three_public_final_wan_yuan,
        previous_three_public_final_wan_yuan
    from with_previous

)

select * from final
order by unit_name, fiscal_year

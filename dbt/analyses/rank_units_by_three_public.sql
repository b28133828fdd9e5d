-- Rank units by “三公”经费: the amount, and per 10,000 of total expenditure (the comparable one),
-- with each item of 公开09表. 按“三公”经费（绝对额与每万元支出）对单位排名。
with summary as (

    select * from {{ ref('fct_unit_year_summary') }}

),

three_public as (

    select * from {{ ref('fct_three_public_expenses') }}
    where is_current

),

items as (

    select
        report_id,
        max(final_wan_yuan) filter (where item_key = 'outbound') as outbound_wan_yuan,
        max(final_wan_yuan) filter (where item_key = 'vehicle_purchase') as vehicle_purchase_wan_yuan,
        max(final_wan_yuan) filter (where item_key = 'vehicle_operation')
            as vehicle_operation_wan_yuan,
        max(final_wan_yuan) filter (where item_key = 'reception') as reception_wan_yuan
    from three_public
    group by report_id

),

final as (

    select
        summary.fiscal_year,
        rank() over (
            partition by summary.fiscal_year
            order by summary.three_public_per_10k_expenditure desc nulls last
        ) as per_10k_rank,
        rank() over (
            partition by summary.fiscal_year
            order by summary.three_public_final_wan_yuan desc nulls last
        ) as amount_rank,
        summary.unit_name,
        summary.three_public_budget_wan_yuan,
        summary.three_public_final_wan_yuan,
        summary.three_public_per_10k_expenditure,
        summary.expenditure_total_wan_yuan,
        items.outbound_wan_yuan,
        items.vehicle_purchase_wan_yuan,
        items.vehicle_operation_wan_yuan,
        items.reception_wan_yuan
    from summary
    left join items
        on summary.report_id = items.report_id

)

select * from final
order by fiscal_year, per_10k_rank, unit_name

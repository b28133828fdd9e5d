-- fct_appropriations has one fund_total row per report for each of the four 财政拨款 fund types.
-- 每份报告在 fct_appropriations 中有四种财政拨款资金性质的合计行。
with reports as (

    select * from {{ ref('dim_reports') }}

),

fund_totals as (

    select report_id, count(*) as fund_total_rows
    from {{ ref('fct_appropriations') }}
    where row_kind = 'fund_total'
    group by report_id

),

final as (

    select reports.report_id, coalesce(fund_totals.fund_total_rows, 0) as fund_total_rows
    from reports
    left join fund_totals
        on reports.report_id = fund_totals.report_id
    where coalesce(fund_totals.fund_total_rows, 0) <> 4

)

select * from final

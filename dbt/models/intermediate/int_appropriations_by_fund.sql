-- 财政拨款 totals per report × fund: income, carry-overs and 本年支出 of 公开04表, the 合计 row of the
-- fund's own table (05/07/08: basic / project), and the fund's 年初预算 and completion stated in the
-- 情况说明 ("一般公共预算财政拨款支出年初预算为…，支出决算为…，完成年初预算的…%").
with fund_types as (

    select * from {{ ref('int_fund_types') }}
    where fund_type <> 'all_funds'

),

reports as (

    select * from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }}

),

cells as (

    select * from {{ ref('int_table_cells_joined_to_reports') }}
    where {{ in_rebuild() }}
        and row_key is not null

),

narrative as (

    select * from {{ ref('stg_raw__narrative_facts') }}
    where {{ in_rebuild() }}
        and fact_kind = 'budget_completion'

),

report_funds as (

    select
        reports.report_id,
        reports.unit_name,
        reports.fiscal_year,
        reports.is_current,
        fund_types.*
    from reports
    cross join fund_types

),

table_04 as (

    select
        report_funds.report_id,
        report_funds.fund_type,
        max(cells.value_wan_yuan) filter (
            where cells.column_group = 0
                and cells.row_key = report_funds.table_04_income_row_key
        ) as income_wan_yuan,
        max(cells.value_wan_yuan) filter (
            where cells.column_group = 0
                and cells.row_key = case
                    when report_funds.fund_type = 'fiscal_appropriation' then 'carryover_begin'
                    else 'carryover_begin_' || report_funds.fund_type
                end
        ) as carryover_begin_wan_yuan,
        max(cells.value_wan_yuan) filter (
            where cells.column_group = 1
                and cells.row_key = 'expenditure_total'
                and cells.column_key = report_funds.table_04_column_key
        ) as expenditure_wan_yuan,
        arg_min(cells.source_location, cells.line_no) filter (
            where cells.column_group = 1
                and cells.row_key = 'expenditure_total'
                and cells.column_key = report_funds.table_04_column_key
        ) as expenditure_source_location,
        min(cells.decimals) filter (
            where cells.column_group = 1
                and cells.row_key = 'expenditure_total'
                and cells.column_key = report_funds.table_04_column_key
        ) as expenditure_decimals,
        max(cells.unit_divisor) filter (where cells.table_code = '04') as unit_divisor,
        -- 年末结转和结余: the fund's own line; its amount sits in the fund's column (or 小计)
        coalesce(
            max(cells.value_wan_yuan) filter (
                where cells.column_group = 1
                    and cells.row_key = case
                        when report_funds.fund_type = 'fiscal_appropriation' then 'carryover_end'
                        else 'carryover_end_' || report_funds.fund_type
                    end
                    and cells.column_key = report_funds.table_04_column_key
            ),
            max(cells.value_wan_yuan) filter (
                where cells.column_group = 1
                    and cells.row_key = 'carryover_end_' || report_funds.fund_type
                    and cells.column_key = 'total'
            )
        ) as carryover_end_wan_yuan
    from report_funds
    inner join cells
        on report_funds.report_id = cells.report_id
        and cells.table_code = '04'
    group by report_funds.report_id, report_funds.fund_type

),

detail_totals as (

    select
        report_funds.report_id,
        report_funds.fund_type,
        max(cells.table_status) as detail_table_status,
        max(cells.value_wan_yuan) filter (where cells.column_key = 'total') as total_wan_yuan,
        max(cells.value_wan_yuan) filter (where cells.column_key = 'basic') as basic_wan_yuan,
        max(cells.value_wan_yuan) filter (where cells.column_key = 'project') as project_wan_yuan,
        max(cells.value_wan_yuan) filter (where cells.column_key = 'carryover_begin')
            as carryover_begin_wan_yuan,
        max(cells.value_wan_yuan) filter (where cells.column_key = 'income') as income_wan_yuan,
        max(cells.value_wan_yuan) filter (where cells.column_key = 'carryover_end')
            as carryover_end_wan_yuan,
        min(cells.decimals) as decimals,
        arg_min(cells.source_location, cells.line_no) as source_location,
        min(cells.line_no) as line_no,
        min(cells.page_no) as page_no
    from report_funds
    inner join cells
        on report_funds.report_id = cells.report_id
        and report_funds.detail_table_code = cells.table_code
        and cells.row_key = 'total'
    group by report_funds.report_id, report_funds.fund_type

),

stated as (

    select
        narrative.report_id,
        case
            when narrative.subject like '%政府性基金%' then 'gov_fund'
            when narrative.subject like '%国有资本经营%' then 'soe_capital'
            when narrative.subject like '%一般公共预算%' then 'general_budget'
        end as fund_type,
        arg_min(narrative.amount_wan_yuan, narrative.fact_id) filter (
            where narrative.metric = 'initial_budget') as initial_budget_wan_yuan,
        arg_min(narrative.decimals, narrative.fact_id) filter (
            where narrative.metric = 'initial_budget') as initial_budget_decimals,
        arg_min(narrative.amount_wan_yuan, narrative.fact_id) filter (
            where narrative.metric = 'final') as stated_final_wan_yuan,
        arg_min(narrative.percent, narrative.fact_id) filter (
            where narrative.metric = 'completion_pct') as stated_completion_pct,
        arg_min(narrative.source_location, narrative.fact_id) as narrative_source_location,
        min(narrative.line_no) as narrative_line_no
    from narrative
    group by all
    having fund_type is not null

),

final as (

    select
        report_funds.report_id || '|' || report_funds.fund_type as report_fund_id,
        report_funds.report_id,
        report_funds.unit_name,
        report_funds.fiscal_year,
        report_funds.is_current,
        report_funds.fund_type,
        report_funds.fund_type_name,
        report_funds.detail_table_code,
        detail_totals.detail_table_status,
        table_04.income_wan_yuan as table_04_income_wan_yuan,
        table_04.carryover_begin_wan_yuan as table_04_carryover_begin_wan_yuan,
        table_04.expenditure_wan_yuan as table_04_final_wan_yuan,
        table_04.carryover_end_wan_yuan as table_04_carryover_end_wan_yuan,
        detail_totals.total_wan_yuan as detail_final_wan_yuan,
        detail_totals.basic_wan_yuan,
        detail_totals.project_wan_yuan,
        detail_totals.carryover_begin_wan_yuan as detail_carryover_begin_wan_yuan,
        detail_totals.income_wan_yuan as detail_income_wan_yuan,
        detail_totals.carryover_end_wan_yuan as detail_carryover_end_wan_yuan,
        stated.initial_budget_wan_yuan,
        stated.initial_budget_decimals,
        stated.stated_final_wan_yuan,
        stated.stated_completion_pct,
        coalesce(detail_totals.decimals, table_04.expenditure_decimals) as decimals,
        table_04.unit_divisor,
        coalesce(detail_totals.source_location, table_04.expenditure_source_location)
            as source_location,
        detail_totals.line_no,
        detail_totals.page_no,
        table_04.expenditure_source_location as table_04_source_location,
        stated.narrative_source_location,
        stated.narrative_line_no
    from report_funds
    left join table_04
        on report_funds.report_id = table_04.report_id
        and report_funds.fund_type = table_04.fund_type
    left join detail_totals
        on report_funds.report_id = detail_totals.report_id
        and report_funds.fund_type = detail_totals.fund_type
    left join stated
        on report_funds.report_id = stated.report_id
        and report_funds.fund_type = stated.fund_type

)

select * from final

-- One row per report: the summary lines of the tables (合计 / 总计 / 人员经费合计 …), the
-- report-level numbers of the 情况说明 (totals, stated change on last year, 机关运行经费) side by
-- side. Blank cells stay null here; the summary mart treats them as zero.
with reports as (

    select * from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }}

),

cells as (

    select * from {{ ref('int_table_cells_joined_to_reports') }}
    where {{ in_rebuild() }}
        and row_key is not null
        and row_key <> 'function_class'

),

narrative as (

    select * from {{ ref('stg_raw__narrative_facts') }}
    where {{ in_rebuild() }}

),

economic_rows as (

    select * from {{ ref('int_economic_rows_classified') }}
    where {{ in_rebuild() }}

),

table_totals as (

    select
        report_id,
        max(value_wan_yuan) filter (
            where table_code = '01' and row_key = 'income_total' and column_group = 0
        ) as t01_income_total_wan_yuan,
        max(value_wan_yuan) filter (
            where table_code = '01' and row_key = 'expenditure_total' and column_group = 1
        ) as t01_expenditure_total_wan_yuan,
        max(value_wan_yuan) filter (
            where table_code = '01' and row_key = 'grand_total' and column_group = 0
        ) as t01_grand_total_wan_yuan,
        max(value_wan_yuan) filter (
            where table_code = '02' and row_key = 'total' and column_key = 'total'
        ) as t02_total_wan_yuan,
        max(value_wan_yuan) filter (
            where table_code = '02' and row_key = 'total' and column_key = 'fiscal_appropriation'
        ) as t02_fiscal_appropriation_wan_yuan,
        max(value_wan_yuan) filter (
            where table_code = '03' and row_key = 'total' and column_key = 'total'
        ) as t03_total_wan_yuan,
        max(value_wan_yuan) filter (
            where table_code = '03' and row_key = 'total' and column_key = 'basic'
        ) as t03_basic_wan_yuan,
        max(value_wan_yuan) filter (
            where table_code = '03' and row_key = 'total' and column_key = 'project'
        ) as t03_project_wan_yuan,
        max(value_wan_yuan) filter (
            where table_code = '04' and row_key = 'income_total' and column_group = 0
        ) as t04_income_total_wan_yuan,
        max(value_wan_yuan) filter (
            where table_code = '05' and row_key = 'total' and column_key = 'total'
        ) as t05_total_wan_yuan,
        max(value_wan_yuan) filter (
            where table_code = '05' and row_key = 'total' and column_key = 'basic'
        ) as t05_basic_wan_yuan,
        max(value_wan_yuan) filter (
            where table_code = '06' and row_key = 'personnel_total'
        ) as t06_personnel_total_wan_yuan,
        max(value_wan_yuan) filter (
            where table_code = '06' and row_key = 'public_total'
        ) as t06_public_total_wan_yuan,
        arg_min(source_location, line_no) filter (
            where table_code = '01' and row_key = 'income_total' and column_group = 0
        ) as t01_income_total_source_location,
        arg_min(source_location, line_no) filter (
            where table_code = '03' and row_key = 'total' and column_key = 'total'
        ) as t03_total_source_location
    from cells
    group by report_id

),

economic_sums as (

    select
        report_id,
        sum(amount_wan_yuan) filter (where cost_group = '人员经费' and economic_level = 1)
            as t06_personnel_class_sum_wan_yuan,
        sum(amount_wan_yuan) filter (where cost_group = '公用经费' and economic_level = 1)
            as t06_public_class_sum_wan_yuan
    from economic_rows
    group by report_id

),

stated as (

    select
        report_id,
        arg_min(amount_wan_yuan, fact_id) filter (
            where fact_kind = 'total' and subject = '收入合计' and metric = 'amount'
        ) as stated_income_total_wan_yuan,
        arg_min(amount_wan_yuan, fact_id) filter (
            where fact_kind = 'total' and subject = '支出合计' and metric = 'amount'
        ) as stated_expenditure_total_wan_yuan,
        arg_min(
            case direction
                when 'decrease' then -amount_wan_yuan
                when 'flat' then 0
                else amount_wan_yuan
            end, fact_id
        ) filter (
            where fact_kind = 'total' and subject = '收入合计' and metric = 'change_amount'
        ) as stated_income_change_wan_yuan,
        arg_min(
            case direction
                when 'decrease' then -amount_wan_yuan
                when 'flat' then 0
                else amount_wan_yuan
            end, fact_id
        ) filter (
            where fact_kind = 'total' and subject = '支出合计' and metric = 'change_amount'
        ) as stated_expenditure_change_wan_yuan,
        arg_min(
            case direction when 'decrease' then -percent when 'flat' then 0 else percent end,
            fact_id
        ) filter (
            where fact_kind = 'total' and subject = '支出合计' and metric = 'change_pct'
        ) as stated_expenditure_change_pct,
        arg_min(reason, fact_id) filter (
            where fact_kind = 'total' and subject = '支出合计' and metric = 'change_amount'
        ) as stated_expenditure_change_reason,
        arg_min(amount_wan_yuan, fact_id) filter (
            where fact_kind = 'basic_split' and subject = '人员经费' and metric = 'amount'
        ) as stated_personnel_wan_yuan,
        arg_min(amount_wan_yuan, fact_id) filter (
            where fact_kind = 'basic_split' and subject = '公用经费' and metric = 'amount'
        ) as stated_public_wan_yuan,
        arg_min(amount_wan_yuan, fact_id) filter (
            where fact_kind = 'operating_cost' and metric = 'amount'
        ) as stated_operating_cost_wan_yuan,
        arg_min(source_location, fact_id) filter (
            where fact_kind = 'operating_cost' and metric = 'amount'
        ) as operating_cost_source_location
    from narrative
    group by report_id

),

final as (

    select
        reports.report_id,
        table_totals.* exclude (report_id),
        economic_sums.* exclude (report_id),
        stated.* exclude (report_id)
    from reports
    left join table_totals
        on reports.report_id = table_totals.report_id
    left join economic_sums
        on reports.report_id = economic_sums.report_id
    left join stated
        on reports.report_id = stated.report_id

)

select * from final

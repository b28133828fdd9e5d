with reports as (

    select * from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }}
        and is_current
        and phase = '决算'  -- one 决算 per unit and year; budgets are in fct_budget_vs_final_by_function

),

report_totals as (

    select * from {{ ref('int_report_totals') }}
    where {{ in_rebuild() }}

),

appropriations as (

    select * from {{ ref('int_appropriations_by_fund') }}
    where {{ in_rebuild() }}
        and fund_type = 'general_budget'

),

three_public as (

    select * from {{ ref('int_three_public_expenses') }}
    where {{ in_rebuild() }}
        and item_key = 'total'

),

report_tables as (

    select * from {{ ref('stg_raw__report_tables') }}
    where {{ in_rebuild() }}

),

-- A blank cell of a table that was read is 0; a table not printed or not read says nothing,
-- so its figures stay null (the views show —), never 0.
tables_read as (

    select
        report_id,
        bool_or(is_read) filter (where table_code = '01') as t01_read,
        bool_or(is_read) filter (where table_code = '02') as t02_read,
        bool_or(is_read) filter (where table_code = '03') as t03_read,
        bool_or(is_read) filter (where table_code = '04') as t04_read,
        bool_or(is_read) filter (where table_code = '05') as t05_read,
        bool_or(is_read) filter (where table_code = '06') as t06_read
    from report_tables
    group by report_id

),

findings as (

    select * from {{ ref('int_findings_by_report') }}
    where {{ in_rebuild() }}

),

findings_by_severity as (

    select
        report_id,
        sum(finding_count) filter (where severity = 'error') as error_count,
        sum(finding_count) filter (where severity = 'warning') as warning_count,
        sum(finding_count) filter (where severity = 'info') as info_count,
        sum(finding_count) filter (where severity = 'indeterminate') as indeterminate_count
    from findings
    group by report_id

),

amounts as (

    select
        reports.unit_name || '|' || reports.fiscal_year as unit_year_id,
        reports.report_id,
        reports.unit_name,
        reports.fiscal_year,
        reports.report_kind,
        reports.revision,
        -- table figures first, the 情况说明 only where the table is absent; a blank cell of a
        -- read table = 0, a table not read = null
        coalesce(
            report_totals.t01_income_total_wan_yuan,
            report_totals.t02_total_wan_yuan,
            report_totals.stated_income_total_wan_yuan,
            case when tables_read.t01_read or tables_read.t02_read then 0 end
        ) as income_total_wan_yuan,
        coalesce(
            report_totals.t02_fiscal_appropriation_wan_yuan,
            report_totals.t04_income_total_wan_yuan,
            case when tables_read.t02_read or tables_read.t04_read then 0 end
        ) as fiscal_appropriation_income_wan_yuan,
        coalesce(
            report_totals.t03_total_wan_yuan,
            report_totals.t01_expenditure_total_wan_yuan,
            report_totals.stated_expenditure_total_wan_yuan,
            case when tables_read.t03_read or tables_read.t01_read then 0 end
        ) as expenditure_total_wan_yuan,
        coalesce(
            report_totals.t03_basic_wan_yuan, case when tables_read.t03_read then 0 end
        ) as basic_wan_yuan,
        coalesce(
            report_totals.t03_project_wan_yuan, case when tables_read.t03_read then 0 end
        ) as project_wan_yuan,
        coalesce(
            report_totals.t05_total_wan_yuan, case when tables_read.t05_read then 0 end
        ) as general_budget_expenditure_wan_yuan,
        coalesce(
            report_totals.t06_personnel_total_wan_yuan,
            report_totals.t06_personnel_class_sum_wan_yuan,
            report_totals.stated_personnel_wan_yuan,
            case when tables_read.t06_read then 0 end
        ) as personnel_wan_yuan,
        coalesce(
            report_totals.t06_public_total_wan_yuan,
            report_totals.t06_public_class_sum_wan_yuan,
            report_totals.stated_public_wan_yuan,
            case when tables_read.t06_read then 0 end
        ) as public_wan_yuan,
        case
            when three_public.table_status in ('present', 'declared_empty')
                then coalesce(three_public.budget_wan_yuan, 0)
            else three_public.stated_budget_wan_yuan
        end as three_public_budget_wan_yuan,
        case
            when three_public.table_status in ('present', 'declared_empty')
                then coalesce(three_public.final_wan_yuan, 0)
            else three_public.stated_final_wan_yuan
        end as three_public_final_wan_yuan,
        three_public.table_status as three_public_table_status,
        report_totals.stated_operating_cost_wan_yuan as operating_cost_wan_yuan,
        appropriations.initial_budget_wan_yuan,
        coalesce(
            appropriations.table_04_final_wan_yuan,
            appropriations.detail_final_wan_yuan
        ) as general_budget_final_wan_yuan,
        appropriations.stated_completion_pct,
        report_totals.stated_expenditure_total_wan_yuan,
        report_totals.stated_expenditure_change_wan_yuan,
        report_totals.stated_expenditure_change_pct,
        report_totals.stated_expenditure_change_reason,
        report_totals.stated_expenditure_total_wan_yuan
            - report_totals.stated_expenditure_change_wan_yuan
            as prior_year_expenditure_implied_wan_yuan,
        report_totals.stated_income_change_wan_yuan,
        coalesce(
            report_totals.stated_income_total_wan_yuan,
            report_totals.t01_income_total_wan_yuan
        ) - report_totals.stated_income_change_wan_yuan as prior_year_income_implied_wan_yuan,
        cast(coalesce(findings_by_severity.error_count, 0) as integer) as error_count,
        cast(coalesce(findings_by_severity.warning_count, 0) as integer) as warning_count,
        cast(coalesce(findings_by_severity.info_count, 0) as integer) as info_count,
        cast(coalesce(findings_by_severity.indeterminate_count, 0) as integer) as indeterminate_count,
        report_totals.t01_income_total_source_location as income_source_location,
        report_totals.t03_total_source_location as expenditure_source_location,
        report_totals.operating_cost_source_location
    from reports
    left join report_totals
        on reports.report_id = report_totals.report_id
    left join appropriations
        on reports.report_id = appropriations.report_id
    left join three_public
        on reports.report_id = three_public.report_id
    left join tables_read
        on reports.report_id = tables_read.report_id
    left join findings_by_severity
        on reports.report_id = findings_by_severity.report_id

),

final as (

    select
        *,
        case
            when initial_budget_wan_yuan <> 0 and general_budget_final_wan_yuan is not null
                then cast(round(
                    general_budget_final_wan_yuan * 100 / initial_budget_wan_yuan, 4
                ) as decimal(12, 4))
        end as computed_completion_pct,
        case
            when expenditure_total_wan_yuan <> 0
                then cast(round(project_wan_yuan * 100 / expenditure_total_wan_yuan, 4)
                    as decimal(12, 4))
        end as project_share_pct,
        case
            when expenditure_total_wan_yuan <> 0
                then cast(round(basic_wan_yuan * 100 / expenditure_total_wan_yuan, 4)
                    as decimal(12, 4))
        end as basic_share_pct,
        case
            when expenditure_total_wan_yuan <> 0
                then cast(round(personnel_wan_yuan * 100 / expenditure_total_wan_yuan, 4)
                    as decimal(12, 4))
        end as personnel_share_pct,
        case
            when personnel_wan_yuan + public_wan_yuan <> 0
                then cast(round(
                    personnel_wan_yuan * 100 / (personnel_wan_yuan + public_wan_yuan), 4
                ) as decimal(12, 4))
        end as personnel_share_of_basic_pct,
        case
            when expenditure_total_wan_yuan <> 0 and three_public_final_wan_yuan is not null
                then cast(round(
                    three_public_final_wan_yuan * 10000 / expenditure_total_wan_yuan, 4
                ) as decimal(14, 4))
        end as three_public_per_10k_expenditure
    from amounts

)

select * from final

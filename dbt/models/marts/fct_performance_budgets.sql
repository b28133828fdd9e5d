with evaluations as (

    select * from {{ ref('stg_raw__performance_evaluations') }}
    where {{ in_rebuild() }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }}

),

narrative as (

    select * from {{ ref('stg_raw__narrative_facts') }}
    where {{ in_rebuild() }}
        and fact_kind = 'project_evaluation'

),

stated_projects as (

    select
        report_id,
        subject,
        regexp_replace(subject, '[\s\x{3000}]+', '', 'g') as subject_normalized,
        arg_min(amount_wan_yuan, fact_id) filter (where metric = 'budget') as budget_wan_yuan,
        arg_min(amount_wan_yuan, fact_id) filter (where metric = 'executed') as executed_wan_yuan,
        arg_min(percent, fact_id) filter (where metric = 'rate_pct') as rate_pct,
        arg_min(source_location, fact_id) as source_location
    from narrative
    group by report_id, subject

),

-- the 情况说明 names a project by its short name ("职工服务") where the self-evaluation table prints
-- the full one ("职工服务经费"): match on equality or on one name starting with the other,
-- the longest shared name first
matched as (

    select
        evaluations.evaluation_id,
        arg_max(stated_projects.subject, length(stated_projects.subject_normalized))
            as narrative_subject,
        arg_max(stated_projects.budget_wan_yuan, length(stated_projects.subject_normalized))
            as narrative_budget_wan_yuan,
        arg_max(stated_projects.executed_wan_yuan, length(stated_projects.subject_normalized))
            as narrative_executed_wan_yuan,
        arg_max(stated_projects.rate_pct, length(stated_projects.subject_normalized))
            as narrative_rate_pct,
        arg_max(stated_projects.source_location, length(stated_projects.subject_normalized))
            as narrative_source_location
    from evaluations
    inner join stated_projects
        on evaluations.report_id = stated_projects.report_id
        and evaluations.evaluation_kind = '项目'
        and (
            starts_with(evaluations.project_name_normalized, stated_projects.subject_normalized)
            or starts_with(stated_projects.subject_normalized, evaluations.project_name_normalized)
        )
    group by evaluations.evaluation_id

),

final as (

    select
        evaluations.evaluation_id,
        evaluations.report_id,
        reports.unit_name,
        reports.fiscal_year,
        reports.is_current,
        -- 决算: a 绩效自评表 (targets and results); 预算: a budget's 绩效目标表 (targets only)
        reports.phase,
        evaluations.evaluation_index,
        evaluations.evaluation_kind,
        evaluations.project_name,
        evaluations.budget_wan_yuan,
        evaluations.executed_wan_yuan,
        evaluations.stated_rate_pct,
        case
            when evaluations.budget_wan_yuan <> 0 and evaluations.executed_wan_yuan is not null
                then cast(round(
                    evaluations.executed_wan_yuan * 100 / evaluations.budget_wan_yuan, 4
                ) as decimal(12, 4))
        end as computed_rate_pct,
        evaluations.basic_total_wan_yuan,
        evaluations.project_total_wan_yuan,
        evaluations.initial_budget_wan_yuan,
        evaluations.funds_total_label,
        evaluations.funds_total_wan_yuan,
        evaluations.fiscal_wan_yuan,
        evaluations.carryover_wan_yuan,
        evaluations.other_wan_yuan,
        evaluations.deviation_reason,
        matched.narrative_subject,
        matched.narrative_budget_wan_yuan,
        matched.narrative_executed_wan_yuan,
        matched.narrative_rate_pct,
        evaluations.budget_decimals,
        evaluations.executed_decimals,
        evaluations.rate_decimals,
        evaluations.basic_total_decimals,
        evaluations.project_total_decimals,
        evaluations.source_location,
        evaluations.line_no,
        evaluations.page_no,
        matched.narrative_source_location
    from evaluations
    inner join reports
        on evaluations.report_id = reports.report_id
    left join matched
        on evaluations.evaluation_id = matched.evaluation_id

)

select * from final

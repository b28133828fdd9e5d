-- grain: one row per number the audit can use as a term: a narrative fact (N) or a field of a
-- 绩效自评表 (P), with its rounding half-width. Table cells are in int_audit__cells.
with narrative as (

    select * from {{ ref('stg_raw__narrative_facts') }}
    where {{ in_rebuild() }}

),

evaluations as (

    select * from {{ ref('stg_raw__performance_evaluations') }}
    where {{ in_rebuild() }}

),

current_reports as (

    select report_id, phase from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }} and not is_superseded

),

narrative_values as (

    select
        report_id,
        'N' as source,
        fact_kind as kind,
        subject,
        metric,
        concat_ws('|', 'N', report_id, fact_id) as value_id,
        cast(coalesce(amount_wan_yuan, percent, count_value) as decimal(24, 6)) as value0,
        case when count_value is not null then cast(0 as decimal(24, 12))
             else {{ half_width('decimals') }} end as half_width,
        case when amount_wan_yuan is not null then '万元'
             when percent is not null then '%' else 'count' end as value_unit,
        printed_text,
        source_location,
        direction,
        reason,
        -- the unit the amount was stated in (万元 or 元), for what D.unit_of_measure says
        amount_unit
    from narrative

),

evaluation_fields as (

    -- one row per printed field of an evaluation: its value, decimals and unit (the funds lines
    -- are what P.funds_split compares, a budget's 绩效目标表 too)
    select
        report_id, evaluation_kind, project_name, evaluation_index, source_location, field,
        value, decimals, case field when 'stated_rate' then '%' else '万元' end as unit
    from (
        select
            report_id, evaluation_kind, project_name, evaluation_index, source_location,
            budget_wan_yuan, budget_decimals, executed_wan_yuan, executed_decimals,
            cast(stated_rate_pct as decimal(20, 6)) as stated_rate_pct, rate_decimals,
            basic_total_wan_yuan, basic_total_decimals,
            project_total_wan_yuan, project_total_decimals,
            funds_total_wan_yuan, funds_total_decimals, fiscal_wan_yuan, fiscal_decimals,
            carryover_wan_yuan, carryover_decimals, other_wan_yuan, other_decimals
        from evaluations
    )
    -- include nulls: a part printed blank is 0 with null decimals, and must stay
    unpivot include nulls ((value, decimals) for field in (
        (budget_wan_yuan, budget_decimals) as 'budget',
        (executed_wan_yuan, executed_decimals) as 'executed',
        (stated_rate_pct, rate_decimals) as 'stated_rate',
        (basic_total_wan_yuan, basic_total_decimals) as 'basic_total',
        (project_total_wan_yuan, project_total_decimals) as 'project_total',
        (funds_total_wan_yuan, funds_total_decimals) as 'funds_total',
        (fiscal_wan_yuan, fiscal_decimals) as 'fiscal',
        (carryover_wan_yuan, carryover_decimals) as 'carryover',
        (other_wan_yuan, other_decimals) as 'other'))

),

performance_values as (

    select
        report_id,
        'P' as source,
        evaluation_kind as kind,
        project_name as subject,
        field as metric,
        concat_ws('|', 'P', report_id, evaluation_index, field) as value_id,
        cast(value as decimal(24, 6)) as value0,
        {{ half_width('decimals') }} as half_width,
        unit as value_unit,
        cast(value as varchar) as printed_text,
        source_location,
        cast(null as varchar) as direction,
        cast(null as varchar) as reason,
        cast(null as varchar) as amount_unit
    from evaluation_fields
    where value is not null

),

final as (

    -- a budget's facts too: what its prose says of last year's budget (kind prior_year)
    select * from narrative_values
    where report_id in (select report_id from current_reports)
    union all
    select * from performance_values
    where report_id in (select report_id from current_reports where phase = '决算')

)

select * from final

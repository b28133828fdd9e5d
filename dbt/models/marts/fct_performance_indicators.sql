with indicators as (

    select * from {{ ref('int_performance_indicators_parsed') }}
    where {{ in_rebuild() }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }}

),

final as (

    select
        indicators.indicator_id,
        indicators.evaluation_id,
        indicators.report_id,
        reports.unit_name,
        reports.fiscal_year,
        reports.is_current,
        -- 决算: a 绩效自评表 (targets and results); 预算: a budget's 绩效目标表 (targets only)
        reports.phase,
        indicators.evaluation_index,
        indicators.indicator_index,
        indicators.evaluation_kind,
        indicators.project_name,
        indicators.goal,
        indicators.level1,
        indicators.level2,
        indicators.level3_indicator,
        indicators.target_text,
        indicators.actual_text,
        indicators.target_value,
        indicators.actual_value,
        indicators.value_unit,
        indicators.target_unit,
        indicators.actual_unit,
        indicators.comparator,
        indicators.comparator_source,
        indicators.is_comparable,
        indicators.is_achieved,
        indicators.deviation_reason,
        indicators.source_location,
        indicators.line_no,
        indicators.page_no
    from indicators
    inner join reports
        on indicators.report_id = reports.report_id

)

select * from final

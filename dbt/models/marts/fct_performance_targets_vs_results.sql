-- Per indicator of a budget's 绩效目标表 (项目, or 部门整体 matched to the 部门整体 自评表): the
-- target the budget set (预算), matched to the same indicator of the same project in the
-- 绩效自评表 of the 决算 of the same unit and year, with the
-- 年度指标值 the 决算 restates and what it reports achieved. Matched by unit, year, project and
-- indicator name: names normalised (spaces, quotes, brackets, dashes and a leading project code
-- dropped); a project matches on equality or on one name starting with the other (a 决算 prints
-- "职工服务" for "职工服务经费"), the longest shared name first; an indicator on equality.
-- match_status says why a target has no result: the 决算 is not loaded (unknown, never "not
-- achieved"), its 自评表 does not evaluate the project, or evaluates it without this indicator.
with indicators as (

    select * from {{ ref('fct_performance_indicators') }}
    where is_current

),

normalised as (

    select
        *,
        regexp_replace(regexp_replace(project_name, '[\s\x{3000}“”"''‘’（）()〔〕\[\]【】<>《》\-—－_·]', '', 'g'),
                       '^\d+', '') as project_key,
        regexp_replace(level3_indicator, '[\s\x{3000}“”"''‘’（）()\-—－_·：:]', '', 'g')
            as indicator_key
    from indicators

),

targets as (

    select * from normalised where phase = '预算'

),

results as (

    select * from normalised where phase = '决算'

),

finals_loaded as (

    select distinct unit_name, fiscal_year
    from {{ ref('stg_raw__reports') }}
    where not is_superseded and phase = '决算'

),

-- each budget project's 决算 project: the longest name shared
project_pairs as (

    select
        t.report_id,
        t.evaluation_index,
        arg_max(r.report_id || '|' || r.evaluation_index, length(r.project_key))
            as result_evaluation_id
    from (select distinct report_id, evaluation_index, evaluation_kind, unit_name, fiscal_year,
                          project_key
          from targets) as t
    inner join (select distinct report_id, evaluation_index, evaluation_kind, unit_name,
                                fiscal_year, project_key
                from results) as r
        on r.unit_name = t.unit_name and r.fiscal_year = t.fiscal_year
        and r.evaluation_kind = t.evaluation_kind
        and r.project_key <> '' and t.project_key <> ''
        and (starts_with(r.project_key, t.project_key) or starts_with(t.project_key, r.project_key))
    group by all

),

matched as (

    select
        t.indicator_id,
        arg_min(r.indicator_id, r.indicator_index) as result_indicator_id
    from targets as t
    inner join project_pairs as p
        on p.report_id = t.report_id and p.evaluation_index = t.evaluation_index
    inner join results as r
        on r.report_id || '|' || r.evaluation_index = p.result_evaluation_id
        and r.indicator_key = t.indicator_key
    group by all

),

final as (

    select
        t.indicator_id as target_indicator_id,
        t.report_id,
        t.unit_name,
        t.fiscal_year,
        t.evaluation_kind,
        t.project_name,
        t.level1,
        t.level2,
        t.level3_indicator,
        t.target_text as budget_target_text,
        t.target_value as budget_target_value,
        t.target_unit as budget_target_unit,
        t.comparator as budget_comparator,
        f.fiscal_year is not null as final_loaded,
        m.result_indicator_id,
        r.project_name as final_project_name,
        r.target_text as final_target_text,
        r.target_value as final_target_value,
        r.actual_text,
        r.actual_value,
        r.is_achieved,
        -- the 决算 restates a different target than the budget set (both numbers, same unit)
        case when r.indicator_id is not null and t.target_value is not null
                  and r.target_value is not null
                  and coalesce(t.target_unit, '') = coalesce(r.target_unit, '')
             then t.target_value <> r.target_value end as target_changed,
        case
            when f.fiscal_year is null then 'final_not_loaded'
            when m.result_indicator_id is not null then 'matched'
            when p.result_evaluation_id is not null then 'indicator_not_evaluated'
            else 'project_not_evaluated'
        end as match_status,
        t.source_location as budget_location,
        r.source_location as final_location
    from targets as t
    left join finals_loaded as f
        on f.unit_name = t.unit_name and f.fiscal_year = t.fiscal_year
    left join project_pairs as p
        on p.report_id = t.report_id and p.evaluation_index = t.evaluation_index
    left join matched as m on m.indicator_id = t.indicator_id
    left join results as r on r.indicator_id = m.result_indicator_id

)

select * from final

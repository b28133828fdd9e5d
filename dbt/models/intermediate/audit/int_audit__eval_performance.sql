-- grain: one row per current report × rule × instance for the 绩效 templates:
--   evaluation_rate      each self-evaluation: stated 执行率 = B / A
--   project_text         each 项目 the 情况说明 summarises: its A and B = the 项目自评表
--   indicator_target     each quantitative indicator that missed its target: a reason is given
--   indicator_duplicate  the same indicator in two tables: the same achieved value
--   adjustment_claim     "调整率低于X%" against |决算 - 年初预算| / 年初预算
--   funds_split          each 绩效目标表 or 自评表 printing a funds total and its parts (of either
--                        phase): 资金总额 = 财政拨款 + 上年结转 + 其他资金
--   targets_total        a budget's 项目 target tables together: Σ 预算数 = 支出总表 项目支出 (info:
--                        many budgets print target tables for some projects only, or for funds
--                        the department manages but does not spend)
with evaluations as (

    select * from {{ ref('stg_raw__performance_evaluations') }}
    where {{ in_rebuild() }}

),

indicators as (

    select * from {{ ref('stg_raw__performance_indicators') }}
    where {{ in_rebuild() }}

),

reports as (

    select report_id from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }} and not is_superseded and phase = '决算'

),

-- a budget's 绩效目标表 prints its funds lines as a 自评表 does: the split is checked on both
current_reports as (

    select report_id from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }} and not is_superseded

),

facts as (

    select * from {{ ref('int_audit__values') }}
    where {{ in_rebuild() }}
        and source = 'N'

),

current_evaluations as (

    select e.*,
           {{ half_width('e.budget_decimals') }} as budget_half,
           {{ half_width('e.executed_decimals') }} as executed_half,
           {{ half_width('e.rate_decimals') }} as rate_half
    from evaluations as e
    inner join reports on reports.report_id = e.report_id

),

rates as (

    select
        report_id, 'P.exec_rate' as rule_id, project_name as instance_key, '%' as value_unit,
        stated_rate_pct as lhs_value,
        {{ pct_of('executed_wan_yuan', 'budget_wan_yuan') }} as rhs_value,
        {{ pct_of('greatest(executed_wan_yuan - executed_half, 0)', 'budget_wan_yuan + budget_half') }}
            - rate_half - {{ pct_of('executed_wan_yuan', 'budget_wan_yuan') }} as allowed_low,
        {{ pct_of('executed_wan_yuan + executed_half', 'budget_wan_yuan - budget_half') }}
            + rate_half - {{ pct_of('executed_wan_yuan', 'budget_wan_yuan') }} as allowed_high,
        budget_wan_yuan - budget_half <= 0 as missing_cells,
        project_name as row_label, '执行率（B/A）' as column_label, source_location,
        [concat_ws('|', 'P', report_id, evaluation_index, 'stated_rate'),
         concat_ws('|', 'P', report_id, evaluation_index, 'executed'),
         concat_ws('|', 'P', report_id, evaluation_index, 'budget')] as participants,
        '执行数 ' || {{ fmt_num('executed_wan_yuan') }} || ' / 预算数 '
            || {{ fmt_num('budget_wan_yuan') }} as detail
    from current_evaluations
    where stated_rate_pct is not null and executed_wan_yuan is not null
      and budget_wan_yuan is not null

),

project_text_facts as (

    select report_id, subject, metric, value0, half_width, value_id, source_location
    from facts
    where kind = 'project_evaluation' and metric in ('budget', 'executed')

),

project_texts as (

    select
        f.report_id, 'P.project_text_vs_table' as rule_id, f.subject || '/' || f.metric as instance_key,
        '万元' as value_unit,
        f.value0 as lhs_value,
        coalesce(case f.metric when 'budget' then e.budget_wan_yuan else e.executed_wan_yuan end, 0)
            as rhs_value,
        -(f.half_width + coalesce(case f.metric when 'budget' then e.budget_half
                                               else e.executed_half end, 0)) as allowed_low,
        f.half_width + coalesce(case f.metric when 'budget' then e.budget_half
                                              else e.executed_half end, 0) as allowed_high,
        e.evaluation_index is null as missing_cells,
        f.subject as row_label, case f.metric when 'budget' then '预算数（A）' else '执行数（B）' end
            as column_label, f.source_location,
        [f.value_id, concat_ws('|', 'P', f.report_id, e.evaluation_index, f.metric)] as participants,
        case when e.evaluation_index is null then '没有名为“' || f.subject || '”的项目自评表' end as detail
    from project_text_facts as f
    left join current_evaluations as e
        on e.report_id = f.report_id and e.evaluation_kind = '项目'
        and starts_with(e.project_name, f.subject)

),

parsed_indicators as (

    select
        i.*,
        e.project_name,
        e.deviation_reason as evaluation_reason,
        regexp_extract(i.target_text, '^\s*([≥≧>＞≤≦<＜=＝]*)\s*(\d+(?:\.\d+)?)\s*(\S*)\s*$', 1)
            as target_comparator,
        try_cast(regexp_extract(i.target_text, '^\s*[≥≧>＞≤≦<＜=＝]*\s*(\d+(?:\.\d+)?)\s*\S*\s*$', 1)
                 as decimal(24, 6)) as target_value,
        regexp_extract(i.target_text, '^\s*[≥≧>＞≤≦<＜=＝]*\s*\d+(?:\.\d+)?\s*(\S*)\s*$', 1)
            as target_unit,
        try_cast(regexp_extract(i.actual_text, '^\s*[≥≧>＞≤≦<＜=＝]*\s*(\d+(?:\.\d+)?)\s*\S*\s*$', 1)
                 as decimal(24, 6)) as actual_value,
        regexp_extract(i.actual_text, '^\s*[≥≧>＞≤≦<＜=＝]*\s*\d+(?:\.\d+)?\s*(\S*)\s*$', 1)
            as actual_unit
    from indicators as i
    inner join current_evaluations as e
        on e.report_id = i.report_id and e.evaluation_index = i.evaluation_index

),

targets as (

    select
        report_id, 'P.target_missed_without_reason' as rule_id,
        project_name || '/' || level3 as instance_key, target_unit as value_unit,
        actual_value as lhs_value, target_value as rhs_value,
        -- a missed target is fine when a reason is given
        case when coalesce(nullif(deviation_reason, '无'), nullif(evaluation_reason, '无')) is not null
             then -1e9 else 0 end as allowed_low,
        1e9 as allowed_high,
        false as missing_cells,
        level3 as row_label, '实际完成值' as column_label, source_location,
        [concat_ws('|', 'I', report_id, evaluation_index, indicator_index)] as participants,
        project_name || '：目标 ' || target_text || '，实际 ' || actual_text
            || '，偏差原因：' || coalesce(deviation_reason, evaluation_reason, '（空）') as detail
    from parsed_indicators
    where target_value is not null and actual_value is not null
      and target_unit = actual_unit
      -- a ceiling (≤) target is met from below; every other quantitative target from above
      and target_comparator not in ('≤', '≦', '<', '＜')

),

normalised as (

    select
        *,
        regexp_replace(regexp_replace(level3, '^(开展|组织|完成|举办)', ''),
                       '\d+(\.\d+)?\s*\S{0,2}$', '') as indicator_name
    from parsed_indicators

),

duplicates as (

    select
        a.report_id, 'P.same_indicator_values' as rule_id,
        a.indicator_name || '/' || a.project_name || '~' || b.project_name as instance_key,
        a.target_unit as value_unit,
        a.actual_value as lhs_value, b.actual_value as rhs_value,
        0 as allowed_low, 0 as allowed_high,
        false as missing_cells,
        a.level3 as row_label, '实际完成值' as column_label, a.source_location,
        [concat_ws('|', 'I', a.report_id, a.evaluation_index, a.indicator_index),
         concat_ws('|', 'I', b.report_id, b.evaluation_index, b.indicator_index)] as participants,
        '“' || a.level3 || '”（' || a.project_name || '）实际 ' || a.actual_text || '；“' || b.level3
            || '”（' || b.project_name || '，' || b.source_location || '）实际 ' || b.actual_text
            as detail
    from normalised as a
    inner join normalised as b
        on a.report_id = b.report_id
        and a.evaluation_index < b.evaluation_index
        and a.indicator_name = b.indicator_name
        and a.indicator_name <> ''
        and a.target_value = b.target_value
        and a.target_unit = b.target_unit
    where a.actual_value is not null and b.actual_value is not null

),

claims as (

    select
        c.report_id, c.value0 as claim, c.half_width as claim_half, c.direction, c.value_id,
        c.source_location,
        f.value0 as final, f.half_width as final_half, f.value_id as final_id,
        i.value0 as initial, i.half_width as initial_half, i.value_id as initial_id
    from facts as c
    inner join facts as f
        on f.report_id = c.report_id and f.kind = 'budget_completion'
        and f.subject = '一般公共预算财政拨款支出' and f.metric = 'final'
    inner join facts as i
        on i.report_id = c.report_id and i.kind = 'budget_completion'
        and i.subject = '一般公共预算财政拨款支出' and i.metric = 'initial_budget'
    where c.kind = 'performance' and c.metric = 'adjustment_rate_claim'

),

adjustments as (

    select
        report_id, 'P.adjustment_claim' as rule_id, '调整率' as instance_key, '%' as value_unit,
        {{ pct_of('abs(final - initial)', 'initial') }} as lhs_value,
        claim as rhs_value,
        -- "below X%" is a bound, not a rounded figure: it is contradicted when even the most
        -- favourable rounding of 决算 and 年初预算 gives an adjustment of X% or more
        -1e9 as allowed_low,
        {{ pct_of('abs(final - initial)', 'initial') }}
            - {{ pct_of('greatest(abs(final - initial) - final_half - initial_half, 0)',
                        'initial + initial_half') }} as allowed_high,
        initial <= 0 as missing_cells,
        '部门整体支出绩效自评' as row_label, '调整率' as column_label, source_location,
        [value_id, final_id, initial_id] as participants,
        '决算 ' || {{ fmt_num('final') }} || '，年初预算 ' || {{ fmt_num('initial') }}
            || '（调整率按 |决算 - 年初预算| / 年初预算 计算）' as detail
    from claims
    where direction = 'below'

),

funded as (

    select
        e.*,
        {{ half_width('e.funds_total_decimals') }} as total_half,
        {{ half_width('e.fiscal_decimals') }} + {{ half_width('e.carryover_decimals') }}
            + {{ half_width('e.other_decimals') }} as parts_half,
        (e.fiscal_wan_yuan is not null)::int + (e.carryover_wan_yuan is not null)::int
            + (e.other_wan_yuan is not null)::int as parts_printed
    from evaluations as e
    inner join current_reports on current_reports.report_id = e.report_id

),

-- A part whose label is printed with no figure is 0 (the reader records 0 with no decimals: it
-- stands for nothing, exactly); a part not printed is simply not in the sum. A table printing
-- a total with no part (杭州's 金额) has no split to check, nor one part alone (重庆's
-- 当年财政拨款预算金额); two parts or more without their total are unknown.
funds as (

    select
        report_id, 'P.funds_split' as rule_id,
        evaluation_index || '/' || project_name as instance_key, '万元' as value_unit,
        funds_total_wan_yuan as lhs_value,
        coalesce(fiscal_wan_yuan, 0) + coalesce(carryover_wan_yuan, 0)
            + coalesce(other_wan_yuan, 0) as rhs_value,
        -(total_half + parts_half) as allowed_low,
        total_half + parts_half as allowed_high,
        -- no total printed, or a figure among the funds lines the registry does not name
        funds_total_wan_yuan is null or funds_unnamed_lines > 0 as missing_cells,
        project_name as row_label, coalesce(funds_total_label, '资金总额') as column_label,
        source_location,
        [concat_ws('|', 'P', report_id, evaluation_index, 'funds_total'),
         concat_ws('|', 'P', report_id, evaluation_index, 'fiscal'),
         concat_ws('|', 'P', report_id, evaluation_index, 'carryover'),
         concat_ws('|', 'P', report_id, evaluation_index, 'other')] as participants,
        coalesce(funds_total_label, '资金总额') || ' '
            || coalesce({{ fmt_num('funds_total_wan_yuan') }}, '（未印）') || '；'
            || concat_ws(' + ',
                   '财政拨款 ' || {{ fmt_num('fiscal_wan_yuan') }},
                   '上年结转 ' || {{ fmt_num('carryover_wan_yuan') }},
                   '其他资金 ' || {{ fmt_num('other_wan_yuan') }})
            || case when funds_unnamed_lines > 0
                    then '；资金行中有 ' || funds_unnamed_lines || ' 行的名称未识别' else '' end
            as detail
    from funded
    where (funds_total_wan_yuan is not null and parts_printed >= 1)
        -- parts without their total: unknown, if any of them prints a figure (an empty form,
        -- 西安's 专项资金总体绩效目标表 printed with no figure at all, states nothing)
        or (parts_printed >= 2 and coalesce(fiscal_decimals, carryover_decimals, other_decimals)
            is not null)

),

budget_reports as (

    select report_id from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }} and not is_superseded and phase = '预算'

),

project_cells as (

    select * from {{ ref('int_audit__cells') }}
    where {{ in_rebuild() }}
        and table_code = 'Y03' and row_key = 'total' and column_key = 'project'

),

project_targets as (

    select
        e.report_id,
        sum(e.budget_wan_yuan) as targets_total,
        sum({{ half_width('e.budget_decimals') }}) as targets_half,
        count(*) as projects,
        count(*) filter (where e.budget_wan_yuan is null) as without_budget,
        arg_min(e.source_location, e.evaluation_index) as source_location
    from evaluations as e
    inner join budget_reports on budget_reports.report_id = e.report_id
    where e.evaluation_kind = '项目'
    group by e.report_id

),

-- A project table whose year's 预算数 is not read (西安's 实施期资金总额, 重庆's 财政拨款 alone)
-- leaves the sum unknown; so does a 支出总表 not read.
targets_totals as (

    select
        t.report_id, 'P.targets_project_total' as rule_id, '项目' as instance_key,
        '万元' as value_unit,
        t.targets_total as lhs_value,
        c.value0 as rhs_value,
        -(t.targets_half + coalesce(c.half_width, 0)) as allowed_low,
        t.targets_half + coalesce(c.half_width, 0) as allowed_high,
        c.cell_id is null or t.without_budget > 0 as missing_cells,
        '项目绩效目标表合计' as row_label, '预算数' as column_label, t.source_location,
        [c.cell_id] as participants,
        t.projects || ' 张项目绩效目标表，预算数合计 ' || coalesce({{ fmt_num('t.targets_total') }}, '—')
            || case when t.without_budget > 0
                    then '（其中 ' || t.without_budget || ' 张未读出当年预算数）' else '' end
            || '；支出总表 项目支出 ' || coalesce({{ fmt_num('c.value0') }}, '（未读出）') as detail
    from project_targets as t
    left join project_cells as c on c.report_id = t.report_id

),

unioned as (

    select * from rates
    union all select * from project_texts
    union all select * from targets
    union all select * from duplicates
    union all select * from adjustments
    union all select * from funds
    union all select * from targets_totals

),

final as (

    select
        report_id,
        rule_id,
        instance_key,
        value_unit,
        cast(lhs_value as decimal(24, 6)) as lhs_value,
        cast(rhs_value as decimal(24, 6)) as rhs_value,
        cast(lhs_value - rhs_value as decimal(24, 6)) as difference,
        cast(allowed_low as decimal(24, 6)) as allowed_low,
        cast(allowed_high as decimal(24, 6)) as allowed_high,
        case when missing_cells then null else cast(greatest(
            allowed_low - (lhs_value - rhs_value), (lhs_value - rhs_value) - allowed_high, 0)
            as decimal(24, 6)) end as excess,
        case
            when missing_cells then 'indeterminate'
            when lhs_value = rhs_value then 'pass'
            -- a one-sided comparison (an open end at ±1e9) that holds on its open side holds
            -- outright: only a difference that needs the rounding slack is a rounding one
            when (lhs_value - rhs_value) between allowed_low and allowed_high
                then case when value_unit = '%'
                               and {{ needs_rounding('lhs_value - rhs_value', 'allowed_low',
                                                     'allowed_high') }}
                          then 'rounding'
                          -- amounts: any difference inside the printed figures' intervals
                          when rule_id in ('P.funds_split', 'P.targets_project_total')
                              then 'rounding'
                          else 'pass' end
            else 'fail'
        end as status,
        cast(null as varchar) as table_code,
        cast(null as varchar) as row_code,
        row_label,
        column_label,
        source_location,
        participants,
        detail
    from unioned

)

select * from final

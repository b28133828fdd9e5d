-- grain: one row per current report × rule × instance for the narrative templates:
--   narrative_class_share  each 类 the 情况说明 lists: amount = its 05 row; share = row / 合计
--   narrative_item         each 项 sentence: 决算 = its 05 row; 完成率 = 决算 / 年初预算; a reason
--                          is given when they differ; the stated direction agrees
--   yoy                    each stated change on last year (totals, the 三公 total, 机关运行经费):
--                          percent = change / last year's amount
--   comparison words       (N.item_direction, issue 14) a 三公 part's 决算 said to be above /
--                          below / equal to its 预算 agrees with 公开09表; a change on last year
--                          stated as an amount and a rate says the same direction twice
-- With 公开05表 missing or unreadable, every amount and share compared with it is indeterminate
-- and says why (its class and item rows are unknown, not absent).
with rules as (

    select * from {{ ref('stg_reference__audit_rules') }}

),

facts as (

    select * from {{ ref('int_audit__values') }}
    where {{ in_rebuild() }}
        and source = 'N'

),

cells as (

    select * from {{ ref('int_audit__cells') }}
    where {{ in_rebuild() }}
        and table_code = '05'

),

gap_05 as (

    select report_id, gap_reason from {{ ref('int_audit__tables') }}
    where {{ in_rebuild() }}
        and table_code = '05' and not is_read

),

-- class shares ------------------------------------------------------------------------------
class_facts as (

    select
        report_id,
        subject,
        max(case when metric = 'amount' then value0 end) as amount,
        max(case when metric = 'amount' then half_width end) as amount_half,
        max(case when metric = 'share_pct' then value0 end) as share,
        max(case when metric = 'share_pct' then half_width end) as share_half,
        max(case when metric = 'amount' then value_id end) as amount_id,
        max(case when metric = 'share_pct' then value_id end) as share_id,
        min(source_location) as source_location
    from facts
    where kind = 'class_share'
    group by report_id, subject

),

class_rows as (

    select report_id, row_label, value0, half_width, cell_id, row_code, column_label,
           source_location
    from cells
    where code_level = 1 and column_key = 'total'

),

totals_05 as (

    select report_id, value0, half_width, cell_id
    from cells
    where row_key = 'total' and column_key = 'total'

),

class_joined as (

    select
        f.*,
        r.value0 as row_value, r.half_width as row_half, r.cell_id as row_cell,
        r.row_code, r.column_label, r.source_location as row_location,
        t.value0 as total_value, t.half_width as total_half, t.cell_id as total_cell,
        g.gap_reason
    from class_facts as f
    left join class_rows as r on r.report_id = f.report_id and r.row_label = f.subject
    left join totals_05 as t on t.report_id = f.report_id
    left join gap_05 as g on g.report_id = f.report_id

),

class_amounts as (

    select
        report_id, 'N.class_share' as rule_id, subject as instance_key, '万元' as value_unit,
        amount as lhs_value, coalesce(row_value, 0) as rhs_value,
        -(amount_half + coalesce(row_half, 0)) as allowed_low,
        amount_half + coalesce(row_half, 0) as allowed_high,
        row_cell is null as missing_cells,
        '05' as table_code, row_code, subject as row_label, column_label, source_location,
        [amount_id, row_cell] as participants,
        case when row_cell is null
             then coalesce(gap_reason, '公开05表没有名为“' || subject || '”的类') end as detail
    from class_joined
    where amount is not null

),

class_shares as (

    select
        report_id, 'R.class_share' as rule_id, subject as instance_key, '%' as value_unit,
        share as lhs_value,
        {{ pct_of('row_value', 'total_value') }} as rhs_value,
        {{ pct_of('greatest(row_value - row_half, 0)', 'total_value + total_half') }}
            - share_half - {{ pct_of('row_value', 'total_value') }} as allowed_low,
        {{ pct_of('row_value + row_half', 'total_value - total_half') }}
            + share_half - {{ pct_of('row_value', 'total_value') }} as allowed_high,
        row_cell is null or total_cell is null or total_value - total_half <= 0 as missing_cells,
        '05' as table_code, row_code, subject as row_label, column_label, source_location,
        [share_id, row_cell, total_cell] as participants,
        case when row_cell is null or total_cell is null then coalesce(
                 gap_reason,
                 case when row_cell is null then '公开05表没有名为“' || subject || '”的类'
                      else '公开05表没有合计行' end) end as detail
    from class_joined
    where share is not null

),

-- items -------------------------------------------------------------------------------------
item_facts as (

    select
        report_id,
        subject as function_path,
        max(case when metric = 'initial_budget' then value0 end) as initial_budget,
        max(case when metric = 'initial_budget' then half_width end) as initial_half,
        max(case when metric = 'final' then value0 end) as final,
        max(case when metric = 'final' then half_width end) as final_half,
        max(case when metric = 'completion_pct' then value0 end) as completion,
        max(case when metric = 'completion_pct' then half_width end) as completion_half,
        max(case when metric = 'final' then value_id end) as final_id,
        max(case when metric = 'initial_budget' then value_id end) as initial_id,
        max(case when metric = 'completion_pct' then value_id end) as completion_id,
        max(direction) as direction,
        max(reason) as reason,
        min(source_location) as source_location
    from facts
    where kind = 'item'
    group by report_id, subject

),

item_rows as (

    -- a 项 row of 05 with the names of its 款 and 类, to match the sentence's path
    select
        item.report_id,
        concat_ws('/', cls.row_label, kuan.row_label, item.row_label) as function_path,
        item.row_label as item_name,
        item.row_code, item.value0, item.half_width, item.cell_id, item.column_label,
        item.source_location
    from cells as item
    left join cells as kuan
        on kuan.report_id = item.report_id and kuan.row_code = left(item.row_code, 5)
        and kuan.column_key = 'total'
    left join cells as cls
        on cls.report_id = item.report_id and cls.row_code = left(item.row_code, 3)
        and cls.column_key = 'total'
    where item.code_level = 3 and item.column_key = 'total'

),

-- a 项 renamed between text and table ('归口管理的行政单位离退休' / '行政单位离退休'): one name
-- ends with the other, and only one row of the table fits
item_suffix_matches as (

    select
        f.report_id,
        f.function_path,
        any_value(r.row_code) as row_code,
        any_value(r.value0) as value0,
        any_value(r.half_width) as half_width,
        any_value(r.cell_id) as cell_id,
        any_value(r.column_label) as column_label
    from item_facts as f
    inner join item_rows as r
        on r.report_id = f.report_id
        and least(length(r.item_name), length(split_part(f.function_path, '/', 3))) >= 4
        and (ends_with(split_part(f.function_path, '/', 3), r.item_name)
            or ends_with(r.item_name, split_part(f.function_path, '/', 3)))
    group by f.report_id, f.function_path
    having count(*) = 1

),

item_joined as (

    select
        f.*,
        coalesce(exact.row_code, by_name.row_code, by_suffix.row_code) as row_code,
        coalesce(exact.value0, by_name.value0, by_suffix.value0) as row_value,
        coalesce(exact.half_width, by_name.half_width, by_suffix.half_width) as row_half,
        coalesce(exact.cell_id, by_name.cell_id, by_suffix.cell_id) as row_cell,
        coalesce(exact.column_label, by_name.column_label, by_suffix.column_label) as column_label,
        g.gap_reason
    from item_facts as f
    left join gap_05 as g on g.report_id = f.report_id
    left join item_rows as exact
        on exact.report_id = f.report_id and exact.function_path = f.function_path
    -- the table may print the 类/款 names differently: fall back to a unique 项 name
    left join (
        select * from item_rows
        qualify count(*) over (partition by report_id, item_name) = 1
    ) as by_name
        on by_name.report_id = f.report_id
        and by_name.item_name = split_part(f.function_path, '/', 3)
        and exact.cell_id is null
    left join item_suffix_matches as by_suffix
        on by_suffix.report_id = f.report_id
        and by_suffix.function_path = f.function_path
        and exact.cell_id is null
        and by_name.cell_id is null

),

item_finals as (

    select
        report_id, 'N.item_final' as rule_id, function_path as instance_key, '万元' as value_unit,
        final as lhs_value, coalesce(row_value, 0) as rhs_value,
        -(final_half + coalesce(row_half, 0)) as allowed_low,
        final_half + coalesce(row_half, 0) as allowed_high,
        row_cell is null as missing_cells,
        '05' as table_code, row_code, function_path as row_label, column_label, source_location,
        [final_id, row_cell] as participants,
        case when row_cell is null
             then coalesce(gap_reason, '公开05表中找不到该项：' || function_path) end as detail
    from item_joined
    where final is not null

),

item_completions as (

    select
        report_id, 'R.item_completion' as rule_id, function_path as instance_key, '%' as value_unit,
        completion as lhs_value,
        {{ pct_of('final', 'initial_budget') }} as rhs_value,
        {{ pct_of('greatest(final - final_half, 0)', 'initial_budget + initial_half') }}
            - completion_half - {{ pct_of('final', 'initial_budget') }} as allowed_low,
        {{ pct_of('final + final_half', 'initial_budget - initial_half') }}
            + completion_half - {{ pct_of('final', 'initial_budget') }} as allowed_high,
        initial_budget - initial_half <= 0 as missing_cells,
        '05' as table_code, row_code, function_path as row_label, column_label, source_location,
        [completion_id, final_id, initial_id] as participants,
        case when initial_budget - initial_half <= 0 then '年初预算为0，完成率无法计算' end as detail
    from item_joined
    where completion is not null and final is not null and initial_budget is not null
        -- a rate stated from a 年初预算 of 0 is N.completion_zero_budget's finding
        and initial_budget <> 0

),

item_reasons as (

    select
        report_id, 'N.item_reason' as rule_id, function_path as instance_key, '万元' as value_unit,
        final as lhs_value, initial_budget as rhs_value,
        -- a reason answers any difference beyond rounding
        case when reason is null then -(final_half + initial_half) else -1e9 end as allowed_low,
        case when reason is null then final_half + initial_half else 1e9 end as allowed_high,
        false as missing_cells,
        '05' as table_code, row_code, function_path as row_label, column_label, source_location,
        [final_id, initial_id] as participants,
        case when reason is null then '决算与年初预算不同，但未说明原因' end as detail
    from item_joined
    where final is not null and initial_budget is not null

),

item_directions as (

    select
        report_id, 'N.item_direction' as rule_id, function_path as instance_key, '万元' as value_unit,
        final as lhs_value, initial_budget as rhs_value,
        -- 大于 / 小于: beyond rounding on that side; 等于 / 持平: within rounding; 基本持平:
        -- within rounding plus the tolerance the catalogue states (condition flat_tolerance_pct)
        case direction when 'above' then final_half + initial_half
                       when 'below' then -1e9
                       when 'equal' then -(final_half + initial_half)
                       else -(final_half + initial_half
                              + abs(initial_budget) * flat.tolerance_pct / 100) end as allowed_low,
        case direction when 'below' then -(final_half + initial_half)
                       when 'above' then 1e9
                       when 'equal' then final_half + initial_half
                       else final_half + initial_half
                            + abs(initial_budget) * flat.tolerance_pct / 100 end as allowed_high,
        false as missing_cells,
        '05' as table_code, row_code, function_path as row_label, column_label, source_location,
        [final_id, initial_id] as participants,
        '表述为“支出决算数' || case direction when 'above' then '大于' when 'below' then '小于'
                                  when 'equal' then '等于' else '基本持平于（容差 '
                                  || {{ fmt_num('flat.tolerance_pct') }} || '%）' end
            || '年初预算数”' as detail
    from item_joined
    cross join (
        select coalesce(try_cast(regexp_extract(condition, 'flat_tolerance_pct=([0-9.]+)', 1)
                                 as decimal(10, 4)), 0) as tolerance_pct
        from rules where rule_id = 'N.item_direction'
    ) as flat
    where direction in ('above', 'below', 'equal', 'about') and final is not null
        and initial_budget is not null

),

-- comparison words beyond the items (issue 14) ----------------------------------------------
flat as (

    select coalesce(try_cast(regexp_extract(condition, 'flat_tolerance_pct=([0-9.]+)', 1)
                             as decimal(10, 4)), 0) as tolerance_pct
    from rules where rule_id = 'N.item_direction'

),

comparisons as (

    select
        f.report_id, f.subject, f.metric, f.direction, f.printed_text, f.sentence,
        f.source_location, f.fact_id, concat_ws('|', 'N', f.report_id, f.fact_id) as value_id
    from {{ ref('stg_raw__narrative_facts') }} as f
    where {{ in_rebuild('f.report_id') }}
        and f.fact_kind = 'comparison'

),

cells_09 as (

    -- one 预算数 and one 决算数 cell per part (total, outbound, …): the columns name the part
    select
        report_id,
        regexp_extract(column_key, '^(?:budget|final)_(.+)$', 1) as part,
        max(case when starts_with(column_key, 'budget_') then value0 end) as budget,
        max(case when starts_with(column_key, 'budget_') then half_width end) as budget_half,
        max(case when starts_with(column_key, 'budget_') then cell_id end) as budget_cell,
        max(case when starts_with(column_key, 'final_') then value0 end) as final,
        max(case when starts_with(column_key, 'final_') then half_width end) as final_half,
        max(case when starts_with(column_key, 'final_') then cell_id end) as final_cell
    from {{ ref('int_audit__cells') }}
    where {{ in_rebuild() }}
        and table_code = '09'
        and (starts_with(column_key, 'budget_') or starts_with(column_key, 'final_'))
    group by all
    having count(*) filter (where starts_with(column_key, 'budget_')) = 1
        and count(*) filter (where starts_with(column_key, 'final_')) = 1

),

three_public_directions as (

    select
        c.report_id, 'N.item_direction' as rule_id, '三公/' || c.subject || '@' || c.fact_id as instance_key, '万元' as value_unit,
        t.final as lhs_value, t.budget as rhs_value,
        case c.direction when 'above' then t.final_half + t.budget_half
                         when 'below' then -1e9
                         when 'equal' then -(t.final_half + t.budget_half)
                         else -(t.final_half + t.budget_half
                                + abs(t.budget) * flat.tolerance_pct / 100) end as allowed_low,
        case c.direction when 'below' then -(t.final_half + t.budget_half)
                         when 'above' then 1e9
                         when 'equal' then t.final_half + t.budget_half
                         else t.final_half + t.budget_half
                              + abs(t.budget) * flat.tolerance_pct / 100 end as allowed_high,
        t.report_id is null as missing_cells,
        '09' as table_code, cast(null as varchar) as row_code, c.printed_text as row_label,
        '“三公”经费决算数与预算数' as column_label, c.source_location,
        [c.value_id, t.final_cell, t.budget_cell] as participants,
        case when t.report_id is null
             then coalesce(gap.gap_reason, '公开09表中找不到该项的预算数和决算数')
             else '表述为“' || c.printed_text || '”，公开09表：决算数 ' || {{ fmt_num('t.final') }}
                  || '万元，预算数 ' || {{ fmt_num('t.budget') }} || '万元' end as detail
    from comparisons as c
    cross join flat
    left join cells_09 as t on t.report_id = c.report_id and t.part = c.subject
    left join (
        select report_id, gap_reason from {{ ref('int_audit__tables') }}
        where {{ in_rebuild() }} and table_code = '09' and not is_read
    ) as gap on gap.report_id = c.report_id
    where c.metric = 'vs_budget'

),

rate_directions as (

    -- words against words: the amount's direction and the rate's are the same
    select
        report_id, 'N.item_direction' as rule_id, '较上年@' || fact_id as instance_key, 'text' as value_unit,
        case when split_part(direction, '/', 1) = split_part(direction, '/', 2) then 0 else 1 end
            as lhs_value,
        0 as rhs_value, 0 as allowed_low, 0 as allowed_high, false as missing_cells,
        cast(null as varchar) as table_code, cast(null as varchar) as row_code,
        printed_text as row_label, '较上年增减' as column_label, source_location,
        [value_id] as participants,
        '同一变动的金额与百分比方向相反：“' || printed_text || '”' as detail
    from comparisons
    where metric = 'amount_vs_rate'

),

-- change on last year -------------------------------------------------------------------------
changes as (

    -- a total's, the 三公 total's (this year's figure is its 决算) or 机关运行经费's change
    select
        report_id,
        subject,
        max(case when metric in ('amount', 'final') then value0 end) as amount,
        max(case when metric in ('amount', 'final') then half_width end) as amount_half,
        max(case when metric = 'change_amount' then value0 end) as change,
        max(case when metric = 'change_amount' then half_width end) as change_half,
        max(case when metric = 'change_pct' then value0 end) as pct,
        max(case when metric = 'change_pct' then half_width end) as pct_half,
        max(case when metric = 'change_amount' then direction end) as direction,
        list(value_id order by value_id) as participants,
        min(case when metric = 'change_pct' then source_location end) as source_location
    from facts
    where (kind = 'total'
           or (kind = 'three_public' and subject = '三公经费合计')
           or (kind = 'operating_cost' and subject = '机关运行经费'))
        and metric in ('amount', 'final', 'change_amount', 'change_pct')
    group by report_id, kind, subject

),

prior as (

    select
        *,
        case direction when 'decrease' then amount + change else amount - change end as prior_value,
        amount_half + change_half as prior_half
    from changes
    where amount is not null and change is not null and pct is not null

),

yoy as (

    select
        report_id, 'R.yoy_change' as rule_id, subject as instance_key, '%' as value_unit,
        pct as lhs_value,
        {{ pct_of('change', 'prior_value') }} as rhs_value,
        {{ pct_of('greatest(change - change_half, 0)', 'prior_value + prior_half') }}
            - pct_half - {{ pct_of('change', 'prior_value') }} as allowed_low,
        {{ pct_of('change + change_half', 'prior_value - prior_half') }}
            + pct_half - {{ pct_of('change', 'prior_value') }} as allowed_high,
        prior_value - prior_half <= 0 as missing_cells,
        cast(null as varchar) as table_code, cast(null as varchar) as row_code,
        subject as row_label, '较上年增减%' as column_label, source_location,
        participants,
        '上年数 = ' || {{ fmt_num('prior_value') }} || '万元' as detail
    from prior

),

unioned as (

    select * from class_amounts
    union all select * from class_shares
    union all select * from item_finals
    union all select * from item_completions
    union all select * from item_reasons
    union all select * from item_directions
    union all select * from three_public_directions
    union all select * from rate_directions
    union all select * from yoy

),

final as (

    select
        u.report_id,
        u.rule_id,
        u.instance_key,
        u.value_unit,
        cast(u.lhs_value as decimal(24, 6)) as lhs_value,
        cast(u.rhs_value as decimal(24, 6)) as rhs_value,
        cast(u.lhs_value - u.rhs_value as decimal(24, 6)) as difference,
        cast(greatest(u.allowed_low, -1e9) as decimal(24, 6)) as allowed_low,
        cast(least(u.allowed_high, 1e9) as decimal(24, 6)) as allowed_high,
        case when u.missing_cells then null else cast(greatest(
            u.allowed_low - (u.lhs_value - u.rhs_value),
            (u.lhs_value - u.rhs_value) - u.allowed_high, 0) as decimal(24, 6)) end as excess,
        case
            when u.missing_cells then 'indeterminate'
            -- equal figures are never 大于/小于 (exact zeros included: their interval is
            -- one-sided and closed at 0); 等于/持平/基本持平 allow them
            when u.lhs_value = u.rhs_value and u.rule_id = 'N.item_direction'
                then case when (u.allowed_low < 0 and u.allowed_high > 0)
                               or (u.allowed_low = 0 and u.allowed_high = 0) then 'pass'
                          else 'fail' end
            when u.lhs_value = u.rhs_value then 'pass'
            when (u.lhs_value - u.rhs_value) between u.allowed_low and u.allowed_high
                then case when u.rule_id in ('N.item_reason', 'N.item_direction')
                               or not {{ needs_rounding('u.lhs_value - u.rhs_value', 'u.allowed_low',
                                                        'u.allowed_high') }}
                          then 'pass' else 'rounding' end
            else 'fail'
        end as status,
        u.table_code,
        u.row_code,
        u.row_label,
        u.column_label,
        u.source_location,
        list_filter(u.participants, lambda x: x is not null) as participants,
        u.detail
    from unioned as u
    inner join rules on rules.rule_id = u.rule_id

)

select * from final

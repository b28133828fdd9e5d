-- grain: one row per finding: a failed identity (error / warning by the rule's severity), an
-- indeterminate one, or one `info` line per report × table rolling up differences within
-- rounding. A cell common to several failed identities is named as the likely wrong cell.
with evaluations as (

    select * from {{ ref('int_audit__evaluations') }}
    where {{ in_rebuild() }}

),

rules as (

    select * from {{ ref('stg_reference__audit_rules') }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }}

),

cells as (

    select * from {{ ref('int_audit__cells') }}

),

term_values as (

    select * from {{ ref('int_audit__values') }}

),

failed as (

    select * from evaluations where status = 'fail'

),

participation as (

    select report_id, evaluation_id, unnest(participants) as participant_id
    from failed

),

participant_counts as (

    select report_id, participant_id, count(distinct evaluation_id) as failures
    from participation
    group by all

),

suspects as (

    -- per failed evaluation, the participant in more failures than any other of its terms
    select p.evaluation_id, p.participant_id, c.failures
    from participation as p
    inner join participant_counts as c
        on c.report_id = p.report_id and c.participant_id = p.participant_id
    where c.failures >= 2
    qualify rank() over (partition by p.evaluation_id order by c.failures desc) = 1
        and count(*) over (partition by p.evaluation_id, c.failures) = 1

),

described as (

    select cell_id as participant_id,
           {{ table_label('table_code') }} || ' ' || coalesce(row_code || ' ', '')
               || coalesce(row_label, '') || ' / ' || coalesce(column_label, '')
               || ' = ' || coalesce(nullif(printed_text, ''), '（空）') as description,
           source_location
    from cells
    where cell_id in (select participant_id from suspects)
    union all
    select value_id,
           case source when 'N' then '情况说明 ' else '绩效自评表 ' end || subject || ' / ' || metric
               || ' = ' || printed_text,
           source_location
    from term_values
    where value_id in (select participant_id from suspects)

),

errors_and_warnings as (

    select
        e.*,
        e.rule_severity as severity,
        s.participant_id as likely_wrong_id,
        d.description as likely_wrong_cell,
        d.source_location as likely_wrong_location,
        s.failures as likely_wrong_failures,
        1 as evaluation_count
    from failed as e
    left join suspects as s on s.evaluation_id = e.evaluation_id
    left join described as d on d.participant_id = s.participant_id

),

indeterminate as (

    select e.*, 'indeterminate' as severity, cast(null as varchar) as likely_wrong_id,
           cast(null as varchar) as likely_wrong_cell, cast(null as varchar) as likely_wrong_location,
           cast(null as bigint) as likely_wrong_failures, 1 as evaluation_count
    from evaluations as e
    where e.status = 'indeterminate'

),

rounding_rollup as (

    select
        md5(concat_ws('|', report_id, 'ROUNDING', coalesce(table_code, 'text'))) as evaluation_id,
        report_id,
        'ROUNDING' as rule_id,
        'rounding' as rule_family,
        'info' as rule_severity,
        coalesce(table_code, 'text') as instance_key,
        max(value_unit) as value_unit,
        cast(null as decimal(24, 6)) as lhs_value,
        cast(null as decimal(24, 6)) as rhs_value,
        -- the widest difference (ties: the greatest evaluation id, so every rebuild agrees)
        max_by(difference, struct_pack(d := abs(difference), id := evaluation_id)) as difference,
        max_by(allowed_low, struct_pack(d := abs(difference), id := evaluation_id))
            as allowed_low,
        max_by(allowed_high, struct_pack(d := abs(difference), id := evaluation_id))
            as allowed_high,
        cast(0 as decimal(24, 6)) as excess,
        'rounding' as status,
        table_code,
        cast(null as varchar) as row_code,
        cast(null as varchar) as row_label,
        cast(null as varchar) as column_label,
        min(source_location) as source_location,
        cast([] as varchar[]) as participants,
        concat_ws('；',
            case when count(*) filter (where value_unit = '万元') > 0 then
                '金额 ' || count(*) filter (where value_unit = '万元') || ' 处，最大差 '
                || {{ fmt_num("max(abs(difference)) filter (where value_unit = '万元')") }} || ' 万元'
            end,
            case when count(*) filter (where value_unit = '%') > 0 then
                '百分比 ' || count(*) filter (where value_unit = '%') || ' 处，最大差 '
                || {{ fmt_num("max(abs(difference)) filter (where value_unit = '%')") }} || ' 个百分点'
            end,
            '规则 ' || string_agg(distinct rule_id, ', ' order by rule_id)) as detail,
        'info' as severity,
        cast(null as varchar) as likely_wrong_id,
        cast(null as varchar) as likely_wrong_cell,
        cast(null as varchar) as likely_wrong_location,
        cast(null as bigint) as likely_wrong_failures,
        count(*) as evaluation_count
    from evaluations
    where status = 'rounding'
    group by report_id, table_code

),

findings as (

    select * from errors_and_warnings
    union all by name
    select * from indeterminate
    union all by name
    select * from rounding_rollup

),

final as (

    select
        f.evaluation_id as finding_id,
        f.report_id,
        reports.unit_name,
        reports.fiscal_year,
        f.rule_id,
        f.rule_family,
        f.severity,
        f.value_unit,
        f.lhs_value as lhs_wan_yuan,
        f.rhs_value as rhs_wan_yuan,
        f.difference,
        f.allowed_low,
        f.allowed_high,
        f.excess,
        f.table_code,
        f.row_code,
        f.row_label,
        f.column_label,
        f.source_location,
        f.instance_key,
        f.evaluation_count,
        f.likely_wrong_cell,
        f.likely_wrong_location,
        case
            when f.rule_id = 'ROUNDING' then
                coalesce({{ table_label('f.table_code') }}, '情况说明') || '：' || f.evaluation_count
                || ' 处等式的差异在舍入范围内，不是错误（' || f.detail || '）'
            when f.severity = 'indeterminate' then
                coalesce(described_rule.description_zh, f.rule_id)
                || coalesce('（' || nullif(f.instance_key, '') || '）', '')
                || '：无法判断（' || coalesce(f.detail, '输入缺失') || '）'
            -- a statement in words (a name, a year, an empty table): what was compared, and where
            when f.value_unit = 'text' then
                described_rule.description_zh || '：' || coalesce(f.detail, '') || '。位置：'
                || coalesce(f.source_location, '—')
            else
                described_rule.description_zh || coalesce('（' || nullif(f.instance_key, '') || '）', '')
                || '：左边 ' || {{ fmt_num('f.lhs_value') }} || f.value_unit
                || '，右边 ' || {{ fmt_num('f.rhs_value') }} || f.value_unit
                || '，差 ' || {{ fmt_num('f.difference') }}
                || '，舍入允许 ' || {{ fmt_interval('f.allowed_low', 'f.allowed_high') }}
                || '，超出 ' || {{ fmt_num('f.excess') }} || '。位置：'
                || coalesce(f.source_location, '—')
                || coalesce('。' || f.detail, '')
                || coalesce('。可能出错的单元格：' || f.likely_wrong_cell || '（' || f.likely_wrong_location
                            || '，出现在 ' || f.likely_wrong_failures || ' 个不成立的等式中）', '')
        end as message
    from findings as f
    left join rules on rules.rule_id = f.rule_id
    inner join reports on reports.report_id = f.report_id
    -- a rule both phases share names a 决算's tables; on a budget it reads the budget's own
    -- (int_audit__rules): 公开05表 is then 预算05表
    cross join lateral (
        select case when reports.phase = '预算'
                        and rules.rule_family in ('within_table', 'across_tables')
                    then regexp_replace(rules.description_zh, '公开(\d\d)表', '预算\1表', 'g')
                    else rules.description_zh end as description_zh
    ) as described_rule

)

select * from final

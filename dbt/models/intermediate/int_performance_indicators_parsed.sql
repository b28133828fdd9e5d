-- 绩效自评表 indicators with their target and actual texts parsed into a number, a unit and the
-- comparator the target implies, so that an indicator can be judged achieved or not.
--   * explicit comparators (≥ ≧ >= 不低于 不少于 …以上 / ≤ ≦ <= 不高于 不超过 …以内 …以下 / = 等于)
--     win;
--   * a bare number ("10场", "95%") is a floor (≥), except under a 成本 (cost) indicator where it
--     is a ceiling (≤): comparator_source says 'inferred';
--   * a text without a number is qualitative: comparator 'qualitative', is_achieved null.
-- is_achieved is null when either side is not a number or the units differ.
with indicators as (

    select * from {{ ref('stg_raw__performance_indicators') }}
    where {{ in_rebuild() }}

),

evaluations as (

    select * from {{ ref('stg_raw__performance_evaluations') }}
    where {{ in_rebuild() }}

),

normalised as (

    select
        indicators.*,
        evaluations.evaluation_kind,
        evaluations.project_name,
        regexp_replace(
            translate(
                coalesce(indicators.target_text, ''),
                '０１２３４５６７８９．％≧≦＞＜＝（）',
                '0123456789.%≥≤><=()'),
            '[\s\x{3000},，]+', '', 'g') as target_normalized,
        regexp_replace(
            translate(
                coalesce(indicators.actual_text, ''),
                '０１２３４５６７８９．％≧≦＞＜＝（）',
                '0123456789.%≥≤><=()'),
            '[\s\x{3000},，]+', '', 'g') as actual_normalized
    from indicators
    left join evaluations
        on indicators.report_id = evaluations.report_id
        and indicators.evaluation_index = evaluations.evaluation_index

),

parsed as (

    select
        *,
        regexp_extract(
            target_normalized,
            '^(≥|≤|>=|<=|>|<|=|不低于|不少于|不高于|不超过|不多于|大于等于|小于等于|大于|小于|等于|高于|低于|至少|至多|达到)?'
            || '(-?\d+(?:\.\d+)?)([^\d<>=≥≤]{0,6}?)(及以上|及以下|以上|以下|以内)?$',
            ['prefix', 'number', 'unit', 'suffix']) as target_parts,
        regexp_extract(
            actual_normalized,
            '^(≥|≤|>=|<=|>|<|=|不低于|不少于|不高于|不超过|不多于|大于等于|小于等于|大于|小于|等于|高于|低于|至少|至多|达到)?'
            || '(-?\d+(?:\.\d+)?)([^\d<>=≥≤]{0,6}?)(及以上|及以下|以上|以下|以内)?$',
            ['prefix', 'number', 'unit', 'suffix']) as actual_parts
    from normalised

),

valued as (

    select
        *,
        cast(nullif(target_parts.number, '') as decimal(20, 4)) as target_value,
        cast(nullif(actual_parts.number, '') as decimal(20, 4)) as actual_value,
        nullif(target_parts.unit, '') as target_unit,
        nullif(actual_parts.unit, '') as actual_unit,
        case
            when target_parts.prefix in ('≥', '>=', '不低于', '不少于', '大于等于', '至少', '达到')
                or target_parts.suffix in ('以上', '及以上') then '≥'
            when target_parts.prefix in ('≤', '<=', '不高于', '不超过', '不多于', '小于等于', '至多')
                or target_parts.suffix in ('以下', '及以下', '以内') then '≤'
            when target_parts.prefix in ('>', '大于', '高于') then '>'
            when target_parts.prefix in ('<', '小于', '低于') then '<'
            when target_parts.prefix in ('=', '等于') then '='
        end as explicit_comparator
    from parsed

),

judged as (

    select
        *,
        case
            when target_value is null then 'qualitative'
            when explicit_comparator is not null then explicit_comparator
            when level2 like '%成本%' then '≤'
            else '≥'
        end as comparator,
        case
            when target_value is null then null
            when explicit_comparator is not null then 'explicit'
            else 'inferred'
        end as comparator_source,
        target_value is not null and actual_value is not null
            and (target_unit is not distinct from actual_unit
                or target_unit is null or actual_unit is null) as is_comparable
    from valued

),

final as (

    select
        indicator_id,
        evaluation_id,
        report_id,
        evaluation_index,
        indicator_index,
        evaluation_kind,
        project_name,
        goal,
        level1,
        level2,
        level3 as level3_indicator,
        target_text,
        actual_text,
        target_value,
        actual_value,
        coalesce(target_unit, actual_unit) as value_unit,
        target_unit,
        actual_unit,
        comparator,
        comparator_source,
        is_comparable,
        case
            when not is_comparable then null
            when comparator = '≥' then actual_value >= target_value
            when comparator = '≤' then actual_value <= target_value
            when comparator = '>' then actual_value > target_value
            when comparator = '<' then actual_value < target_value
            when comparator = '=' then actual_value = target_value
        end as is_achieved,
        deviation_reason,
        source_location,
        line_no,
        page_no
    from judged

)

select * from final

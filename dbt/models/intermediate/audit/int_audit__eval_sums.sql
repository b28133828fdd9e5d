-- grain: one row per current report × `cell_sum` or `ratio` rule that applies to it.
-- A rule applies when every narrative / 绩效 term it names is stated (an unstated fact is not an
-- identity); it is indeterminate when a table cell it needs is missing.
with term_values as (

    select * from {{ ref('int_audit__term_values') }}
    where {{ in_rebuild() }}

),

rules as (

    select * from {{ ref('stg_reference__audit_rules') }}
    where template in ('cell_sum', 'ratio')

),

ordered_terms as (

    -- one order for every term of a rule: left side first, then by position and part (a
    -- ratio's numerator and denominator share positions), so the first term is well defined
    select
        *,
        (case when side = 'lhs' then 0 else 1 end * 1000 + position) * 3
            + case part when 'num' then 1 when 'den' then 2 else 0 end as term_order
    from term_values

),

per_rule as (

    select
        term_values.report_id,
        term_values.rule_id,
        any_value(rules.template) as template,
        sum(case when side = 'lhs' then sign * value end) as lhs_value,
        sum(case when side = 'lhs' then half_width end) as lhs_half,
        sum(case when side = 'rhs' and part in ('sum', 'num') then sign * value end) as num_value,
        sum(case when side = 'rhs' and part in ('sum', 'num') then half_width end) as num_half,
        sum(case when side = 'rhs' and part = 'den' then sign * value end) as den_value,
        sum(case when side = 'rhs' and part = 'den' then half_width end) as den_half,
        bool_or(term_kind <> 'cell' and term_status = 'missing') as unstated,
        bool_or(term_kind = 'cell' and term_status = 'missing') as missing_cells,
        string_agg(case when term_status = 'missing' then term end, ', '
                   order by term_order) as missing_terms,
        -- each absent table or row once, in the rule's order: '公开03表 unreadable: …'
        list_distinct(list(missing_reason order by term_order)
                      filter (where term_kind = 'cell' and term_status = 'missing'))
            as missing_reasons,
        flatten(list(participants order by term_order)) as participants,
        min_by(table_code, term_order) as table_code,
        min_by(row_code, term_order) as row_code,
        min_by(row_label, term_order) as row_label,
        min_by(column_label, term_order) as column_label,
        min_by(source_location, case when source_location is null then 1 else 0 end * 100000
                                + term_order) as source_location
    from ordered_terms as term_values
    inner join rules on rules.rule_id = term_values.rule_id
    group by 1, 2

),

applicable as (

    select * from per_rule where not unstated

),

sums as (

    select
        report_id,
        rule_id,
        '万元' as value_unit,
        lhs_value,
        num_value as rhs_value,
        lhs_value - num_value as difference,
        -(lhs_half + num_half) as allowed_low,
        lhs_half + num_half as allowed_high,
        missing_cells,
        missing_terms,
        missing_reasons,
        participants, table_code, row_code, row_label, column_label, source_location
    from applicable
    where template = 'cell_sum'

),

ratio_bounds as (

    select
        *,
        {{ pct_of('num_value', 'den_value') }} as computed,
        {{ pct_of('greatest(num_value - num_half, 0)', 'den_value + den_half') }} as computed_low,
        case when den_value - den_half > 0
             then {{ pct_of('num_value + num_half', 'den_value - den_half') }} end as computed_high
    from applicable
    where template = 'ratio'

),

ratios as (

    select
        report_id,
        rule_id,
        '%' as value_unit,
        lhs_value,
        computed as rhs_value,
        lhs_value - computed as difference,
        computed_low - lhs_half - computed as allowed_low,
        computed_high + lhs_half - computed as allowed_high,
        -- 0.00% of nothing is a true statement; any other share of nothing is not computable.
        -- "0.00%" of a printed 0.00 is a true statement; any other share of nothing is not
        -- computable.
        missing_cells or (den_value - den_half <= 0
                          and not (num_value = 0 and lhs_value = 0)) as missing_cells,
        -- an absent input comes first: a denominator summed over a missing table is not zero
        case when not missing_cells and den_value - den_half <= 0 then 'denominator is zero'
             else missing_terms end as missing_terms,
        missing_reasons,
        participants, table_code, row_code, row_label, column_label, source_location
    from ratio_bounds

),

unioned as (

    select * from sums
    union all
    select
        report_id, rule_id, value_unit, lhs_value,
        coalesce(rhs_value, 0) as rhs_value,
        coalesce(difference, lhs_value) as difference,
        coalesce(allowed_low, 0) as allowed_low,
        coalesce(allowed_high, 0) as allowed_high,
        missing_cells, missing_terms, missing_reasons,
        participants, table_code, row_code, row_label, column_label, source_location
    from ratios

),

final as (

    select
        report_id,
        rule_id,
        '' as instance_key,
        value_unit,
        lhs_value,
        rhs_value,
        difference,
        allowed_low,
        allowed_high,
        case when missing_cells then null
             else greatest(allowed_low - difference, difference - allowed_high, 0) end as excess,
        case
            when missing_cells then 'indeterminate'
            when difference = 0 then 'pass'
            when difference between allowed_low and allowed_high then 'rounding'
            else 'fail'
        end as status,
        table_code,
        row_code,
        row_label,
        column_label,
        source_location,
        participants,
        case when missing_cells then
            concat_ws('; ', nullif(array_to_string(missing_reasons, '; '), ''),
                      'missing: ' || coalesce(missing_terms, ''))
        end as detail
    from unioned

)

select * from final

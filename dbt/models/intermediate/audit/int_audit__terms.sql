-- grain: one row per term of a `cell_sum` or `ratio` rule of the catalogue × document phase it
-- applies to (int_audit__rules: a rule about a table kind both phases print reads each phase's
-- own table).
-- A term is `TT/G/key:x|code:x|level:n/column` (cells of table TT, column group G or *),
-- `N/kind/subject/metric` (a narrative fact; subject * = all) or `P/kind/field` (a 绩效自评表
-- field); a trailing `?` makes a term optional (absent = 0). Sides are sums of terms joined by
-- ' + ' / ' - '; a ratio's right side is `numerator / denominator`.
with rules as (

    select * from {{ ref('int_audit__rules') }}
    where template in ('cell_sum', 'ratio')

),

sides as (

    select rule_id, phase, 'lhs' as side, 'sum' as part, lhs as expr from rules
    union all
    select rule_id, phase, 'rhs', case when template = 'ratio' then 'num' else 'sum' end,
           trim(string_split(rhs, ' / ')[1])
    from rules
    union all
    select rule_id, phase, 'rhs', 'den', trim(string_split(rhs, ' / ')[2])
    from rules
    where template = 'ratio'

),

tokens as (

    select
        rule_id,
        phase,
        side,
        part,
        unnest(string_split(expr, ' ')) as token,
        generate_subscripts(string_split(expr, ' '), 1) as position
    from sides

),

signed as (

    select
        *,
        lag(token) over (partition by rule_id, phase, side, part order by position) as previous_token
    from tokens

),

parsed as (

    select
        rule_id,
        phase,
        side,
        part,
        position,
        case when previous_token = '-' then -1 else 1 end as sign,
        ends_with(token, '?') as is_optional,
        rtrim(token, '?') as term,
        string_split(rtrim(token, '?'), '/') as pieces
    from signed
    where token not in ('+', '-', '')

),

final as (

    select
        rule_id,
        phase,
        side,
        part,
        position,
        sign,
        is_optional,
        term,
        case pieces[1] when 'N' then 'narrative' when 'P' then 'performance' else 'cell' end
            as term_kind,
        case when pieces[1] not in ('N', 'P') then pieces[1] end as table_code,
        case when pieces[1] not in ('N', 'P') then pieces[2] end as column_group,
        case when pieces[1] not in ('N', 'P') then split_part(pieces[3], ':', 1) end
            as selector_type,
        case when pieces[1] not in ('N', 'P') then split_part(pieces[3], ':', 2) end
            as selector_value,
        case when pieces[1] not in ('N', 'P') then pieces[4] end as column_key,
        case when pieces[1] in ('N', 'P') then pieces[2] end as value_kind,
        case when pieces[1] = 'N' then pieces[3] when pieces[1] = 'P' then '*' end
            as value_subject,
        case when pieces[1] = 'N' then pieces[4] when pieces[1] = 'P' then pieces[3] end
            as value_metric
    from parsed

)

select * from final

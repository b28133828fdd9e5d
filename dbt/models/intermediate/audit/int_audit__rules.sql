-- grain: one row per rule of the catalogue × document phase it applies to (rule_id, phase),
-- for the templates that read table cells (cell_sum, ratio, row_sum, hierarchy,
-- match_by_code), with the sides written in that phase's table codes.
-- A rule's own phase is the phase of the tables it names (seeds/reference/public_tables.csv:
-- 01…09 are a 决算's, Y01…Y09 a budget's; narrative and 绩效 terms are a 决算's). A rule
-- about a table kind both phases print (a 功能分类 table: 合计 = 基本 + 项目, 类 = Σ款 = Σ项)
-- also applies to the other phase when expectations/catalogue/audit_rule_phases.csv says so,
-- with the table codes it gives (05=Y05): one rule, one name, evaluated on both documents.
with rules as (

    select * from {{ ref('stg_reference__audit_rules') }}
    where template in ('cell_sum', 'ratio', 'row_sum', 'hierarchy', 'match_by_code')

),

registry as (

    select table_code, document_phase from {{ ref('public_tables') }}

),

other_phases as (

    select rule_id, document_phase as phase, tables
    from {{ ref('audit_rule_phases') }}

),

-- the tables a rule names: the first piece of every term (`05/0/total`, `Y06/1`)
named_tables as (

    select rule_id, unnest(regexp_extract_all(lhs || ' ' || rhs, '(?:^|\s)([^\s/?]+)/', 1))
        as table_code
    from rules

),

own_phase as (

    select
        named_tables.rule_id,
        -- a budget table makes it a budget rule; anything else (N, P, 01…09) a 决算's
        coalesce(max(case when registry.document_phase = '预算' then '预算' end), '决算')
            as phase
    from named_tables
    left join registry on registry.table_code = named_tables.table_code
    group by named_tables.rule_id

),

-- `05=Y05 03=Y03`: each of the rule's table codes and the other phase's table of that kind
code_map as (

    select
        rule_id,
        phase,
        split_part(pair, '=', 1) as from_code,
        split_part(pair, '=', 2) as to_code
    from (select rule_id, phase, unnest(string_split(tables, ' ')) as pair from other_phases)
    where pair <> ''

),

sides as (

    select rules.rule_id, other_phases.phase, 'lhs' as side, rules.lhs as expr
    from rules inner join other_phases on other_phases.rule_id = rules.rule_id
    union all
    select rules.rule_id, other_phases.phase, 'rhs', rules.rhs
    from rules inner join other_phases on other_phases.rule_id = rules.rule_id

),

tokens as (

    select
        rule_id, phase, side,
        unnest(string_split(expr, ' ')) as token,
        generate_subscripts(string_split(expr, ' '), 1) as position
    from sides

),

rewritten as (

    select
        tokens.rule_id,
        tokens.phase,
        tokens.side,
        string_agg(
            case when code_map.to_code is not null
                 then code_map.to_code || substr(tokens.token, length(code_map.from_code) + 1)
                 else tokens.token end,
            ' ' order by tokens.position) as expr
    from tokens
    left join code_map
        on code_map.rule_id = tokens.rule_id
        and code_map.phase = tokens.phase
        and split_part(tokens.token, '/', 1) = code_map.from_code
        and tokens.token like '%/%'
    group by all

),

final as (

    select
        rules.rule_id || '|' || own_phase.phase as rule_phase_id,
        rules.rule_id,
        own_phase.phase,
        rules.rule_family,
        rules.template,
        rules.severity,
        rules.lhs,
        rules.rhs,
        rules.condition
    from rules
    inner join own_phase on own_phase.rule_id = rules.rule_id
    union all
    select
        rules.rule_id || '|' || lhs.phase,
        rules.rule_id,
        lhs.phase,
        rules.rule_family,
        rules.template,
        rules.severity,
        lhs.expr as lhs,
        rhs.expr as rhs,
        rules.condition
    from rules
    inner join rewritten as lhs on lhs.rule_id = rules.rule_id and lhs.side = 'lhs'
    inner join rewritten as rhs
        on rhs.rule_id = rules.rule_id and rhs.side = 'rhs' and rhs.phase = lhs.phase

)

select * from final

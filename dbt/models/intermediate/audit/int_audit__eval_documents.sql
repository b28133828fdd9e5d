-- grain: one row per current budget report × across-documents rule × instance: a budget
-- checked against the 决算 of the same unit and year (the document that reports on it a year
-- later). Anchored on the budget: a budget whose 决算 is not loaded is one indeterminate
-- identity per rule (unknown, never compared with 0); a 决算 without its budget gets none.
--   document_cell  one cell of the budget = one cell of the 决算 (`Y09/0/key:total/budget_total`
--                  = `09/0/key:total/budget_total`: the 三公 budget against 公开09表's 预算数)
--   document_item  every 项 whose 年初预算 the 决算's 情况说明 quotes (matched to its code by
--                  int_narrative_items_matched_to_codes) = that code's row of the budget's table
--                  (`Y05/0/level:3/total`; a code the read table does not print is 0)
-- Severity is the catalogue's: how binding each comparison is.
with rules as (

    select * from {{ ref('stg_reference__audit_rules') }}
    where template in ('document_cell', 'document_item')

),

reports as (

    select report_id, unit_name, fiscal_year, report_kind, phase
    from {{ ref('stg_raw__reports') }}
    where not is_superseded

),

-- a budget and its unit-year's 决算 are rebuilt together (int_reports_to_rebuild: every report
-- of a queued unit and year)
budgets as (

    select * from reports
    where {{ in_rebuild() }} and phase = '预算'

),

pairs as (

    select
        budgets.report_id,
        budgets.unit_name,
        budgets.fiscal_year,
        -- a 部门预算 answers to the 部门决算, a 单位预算 to the 单位决算, when both are loaded
        arg_min(finals.report_id, case when left(finals.report_kind, 2)
                                            = left(budgets.report_kind, 2) then '0' else '1' end
                                   || finals.report_id) as final_report_id
    from budgets
    left join reports as finals
        on finals.unit_name = budgets.unit_name and finals.fiscal_year = budgets.fiscal_year
        and finals.phase = '决算'
    group by all

),

cells as (

    select * from {{ ref('int_audit__cells') }}
    where {{ in_rebuild() }}

),

tables as (

    select * from {{ ref('int_audit__tables') }}
    where {{ in_rebuild() }}

),

gaps as (

    select * from tables where not is_read

),

-- document_cell -----------------------------------------------------------------------------
cell_rules as (

    select
        rule_id,
        string_split(lhs, '/') as l,
        string_split(rhs, '/') as r
    from rules
    where template = 'document_cell'

),

cell_sides as (

    select
        p.report_id, m.rule_id, side.side,
        case side.side when 'lhs' then p.report_id else p.final_report_id end as side_report_id,
        case side.side when 'lhs' then m.l else m.r end as term
    from pairs as p
    cross join cell_rules as m
    cross join (values ('lhs'), ('rhs')) as side(side)
    where p.final_report_id is not null

),

cell_values as (

    select
        s.report_id, s.rule_id, s.side,
        s.term[1] as table_code,
        any_value(g.gap_reason) as gap_reason,
        -- a table the document declares empty is a real zero
        coalesce(bool_or(t.table_status = 'declared_empty'), false) as is_declared_empty,
        count(c.cell_id) as n_cells,
        sum(c.value0) as value,
        sum(c.half_width) as half_width,
        list(c.cell_id) filter (where c.cell_id is not null) as participants,
        any_value(c.source_location) as source_location,
        any_value(c.column_label) as column_label,
        any_value(c.row_label) as row_label
    from cell_sides as s
    left join gaps as g on g.report_id = s.side_report_id and g.table_code = s.term[1]
    left join tables as t on t.report_id = s.side_report_id and t.table_code = s.term[1]
    left join cells as c
        on c.report_id = s.side_report_id
        and c.table_code = s.term[1]
        and (s.term[2] = '*' or c.column_group = try_cast(s.term[2] as integer))
        and c.row_key = split_part(s.term[3], ':', 2)
        and c.column_key = s.term[4]
    group by all

),

cell_compared as (

    select
        l.report_id,
        l.rule_id,
        '' as instance_key,
        coalesce(l.value, 0) as lhs_value,
        coalesce(r.value, 0) as rhs_value,
        coalesce(l.half_width, 0) + coalesce(r.half_width, 0) as tolerance,
        coalesce(l.gap_reason, r.gap_reason) is not null
            or (l.n_cells = 0 and not l.is_declared_empty)
            or (r.n_cells = 0 and not r.is_declared_empty) as missing_cells,
        list_concat(coalesce(l.participants, []), coalesce(r.participants, [])) as participants,
        l.table_code,
        cast(null as varchar) as row_code,
        l.row_label,
        l.column_label,
        coalesce(l.source_location, r.source_location) as source_location,
        concat_ws('; ', l.gap_reason, r.gap_reason,
                  case when l.gap_reason is null and l.n_cells = 0 and not l.is_declared_empty
                       then {{ table_label('l.table_code') }} || ' has no such cell' end,
                  case when r.gap_reason is null and r.n_cells = 0 and not r.is_declared_empty
                       then '同年决算' || {{ table_label('r.table_code') }} || ' has no such cell'
                  end) as gap_detail
    from cell_values as l
    inner join cell_values as r
        on r.report_id = l.report_id and r.rule_id = l.rule_id and r.side = 'rhs'
    where l.side = 'lhs'

),

-- document_item -----------------------------------------------------------------------------
item_rules as (

    select
        rule_id,
        string_split(rhs, '/') as r
    from rules
    where template = 'document_item'

),

quoted as (

    select
        report_id,
        matched_function_code as function_code,
        cast(initial_budget_wan_yuan as decimal(24, 6)) as value0,
        {{ half_width('initial_budget_decimals') }} as half_width,
        'N|' || report_id || '|' || first_fact_id as value_id,
        source_location
    from {{ ref('int_narrative_items_matched_to_codes') }}
    where {{ in_rebuild() }}
        and fund_type = 'general_budget'
        and matched_function_code is not null
        and match_occurrence = 1
        and initial_budget_wan_yuan is not null

),

item_compared as (

    select
        p.report_id,
        m.rule_id,
        q.function_code as instance_key,
        coalesce(c.value0, 0) as lhs_value,
        q.value0 as rhs_value,
        coalesce(c.half_width, 0) + q.half_width as tolerance,
        g.report_id is not null as missing_cells,
        list_filter([c.cell_id, q.value_id], lambda x: x is not null) as participants,
        m.r[1] as table_code,
        q.function_code as row_code,
        c.row_label,
        c.column_label,
        coalesce(c.source_location, q.source_location) as source_location,
        g.gap_reason as gap_detail
    from pairs as p
    cross join item_rules as m
    inner join quoted as q on q.report_id = p.final_report_id
    left join gaps as g on g.report_id = p.report_id and g.table_code = m.r[1]
    left join cells as c
        on c.report_id = p.report_id
        and c.table_code = m.r[1]
        and c.row_code = q.function_code
        and c.column_key = m.r[4]

),

-- the 决算 of the year is not loaded: each rule is unknown for the budget
unpaired as (

    select
        p.report_id,
        rules.rule_id,
        'unpaired' as instance_key,
        cast(0 as decimal(24, 6)) as lhs_value,
        cast(0 as decimal(24, 6)) as rhs_value,
        cast(0 as decimal(24, 12)) as tolerance,
        true as missing_cells,
        cast([] as varchar[]) as participants,
        cast(null as varchar) as table_code,
        cast(null as varchar) as row_code,
        cast(null as varchar) as row_label,
        cast(null as varchar) as column_label,
        cast(null as varchar) as source_location,
        '同年决算未载入：' || p.unit_name || ' ' || p.fiscal_year || '年决算 is not loaded'
            as gap_detail
    from pairs as p
    cross join rules
    where p.final_report_id is null

),

unioned as (

    select * from cell_compared
    union all by name
    select * from item_compared
    union all by name
    select * from unpaired

),

final as (

    select
        report_id,
        rule_id,
        instance_key,
        '万元' as value_unit,
        lhs_value,
        rhs_value,
        lhs_value - rhs_value as difference,
        -tolerance as allowed_low,
        tolerance as allowed_high,
        case when missing_cells then null
             else greatest(abs(lhs_value - rhs_value) - tolerance, 0) end as excess,
        {{ evaluation_status('lhs_value - rhs_value', 'tolerance', 'missing_cells') }} as status,
        table_code,
        row_code,
        row_label,
        column_label,
        source_location,
        participants,
        case when missing_cells then nullif(gap_detail, '') end as detail
    from unioned

)

select * from final

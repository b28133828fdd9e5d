-- grain: one row per current budget report × across-documents rule × instance: a budget
-- checked against the 决算 that reports on it a year later (same unit and year), or, for its
-- 上年结转, against last year's 决算 (same unit, year N-1). Anchored on the budget: a budget
-- whose 决算 is not loaded is one indeterminate identity per rule (unknown, never compared with
-- 0); a 决算 without its budget gets none.
--   document_cell        one cell of the budget = one cell of the same year's 决算
--                        (`Y09/0/key:total/budget_total` = `09/0/key:total/budget_total`: the
--                        三公 budget against 公开09表's 预算数)
--   document_prior_cell  one cell of the budget = one cell of last year's 决算 (the budget's
--                        上年结转 `Y01/0/key:carryover_begin/amount` = 决算 N-1's 年末结转和结余
--                        `01/1/key:carryover_end/amount`)
--   document_item        every 项 whose 年初预算 the 决算's 情况说明 quotes (matched to its code by
--                        int_narrative_items_matched_to_codes) = that code's row of the budget's table
--                        (`Y05/0/level:3/total`; a code the read table does not print is 0)
--   document_rows        every 项 printed by either document's table = the same code's row of the
--                        other (`Y05/0/level:3/total` = `05/0/level:3/total`: the 财政拨款 per 项
--                        the budget approved against the 决算's spending; a 项 a read table does not
--                        print is 0 in it)
-- Severity is the catalogue's: how binding each comparison is.
with rules as (

    select * from {{ ref('stg_reference__audit_rules') }}
    where template in ('document_cell', 'document_prior_cell', 'document_item', 'document_rows')

),

reports as (

    select report_id, unit_name, fiscal_year, report_kind, phase
    from {{ ref('stg_raw__reports') }}
    where not is_superseded

),

-- a budget and its unit-year's 决算 are rebuilt together, and a budget with last year's
-- (int_reports_to_rebuild: every report of a queued unit and year, and of the year after)
budgets as (

    select * from reports
    where {{ in_rebuild() }} and phase = '预算'

),

-- a 部门预算 answers to the 部门决算, a 单位预算 to the 单位决算, when both are loaded
finals as (

    select
        budgets.report_id,
        finals.fiscal_year - budgets.fiscal_year as year_offset,
        arg_min(finals.report_id, case when left(finals.report_kind, 2)
                                            = left(budgets.report_kind, 2) then '0' else '1' end
                                   || finals.report_id) as final_report_id
    from budgets
    inner join reports as finals
        on finals.unit_name = budgets.unit_name and finals.phase = '决算'
        and finals.fiscal_year in (budgets.fiscal_year, budgets.fiscal_year - 1)
    group by all

),

pairs as (

    select
        budgets.report_id,
        budgets.unit_name,
        budgets.fiscal_year,
        same_year.final_report_id,
        prior_year.final_report_id as prior_final_report_id
    from budgets
    left join finals as same_year
        on same_year.report_id = budgets.report_id and same_year.year_offset = 0
    left join finals as prior_year
        on prior_year.report_id = budgets.report_id and prior_year.year_offset = -1

),

-- which 决算 each rule reads: the same year's, or last year's for a document_prior_cell rule
rule_pairs as (

    select
        pairs.*,
        rules.rule_id,
        rules.template,
        case rules.template when 'document_prior_cell' then pairs.prior_final_report_id
             else pairs.final_report_id end as other_report_id,
        case rules.template when 'document_prior_cell' then pairs.fiscal_year - 1
             else pairs.fiscal_year end as other_year
    from pairs
    cross join rules

),

-- every report's cells and tables, not only the rebuilt ones (last year's 决算 of a rebuilt
-- budget is not rebuilt with it): not materialized, so each use reads only the reports it
-- joins (as int_audit__eval_across)
cells as not materialized (

    select * from {{ ref('int_audit__cells') }}

),

tables as not materialized (

    select * from {{ ref('int_audit__tables') }}

),

gaps as (

    select * from tables where not is_read

),

-- the tables each report prints (present, declared empty or unreadable: not missing)
printed as (

    select report_id, table_code from tables where table_status <> 'missing'

),

-- the two sides of every rule whose sides are cells (document_cell, document_prior_cell,
-- document_rows): the budget's term and the other document's. A rule whose condition says
-- `instead=Y10` reads that table on the budget's side when the budget does not print the one
-- its lhs names (a university prints a 财政拨款支出表 and no 一般公共预算支出表).
term_sides as (

    select
        p.report_id, p.rule_id, p.template, side.side, p.other_year,
        case side.side when 'lhs' then p.report_id else p.other_report_id end as side_report_id,
        case when side.side = 'lhs' and stand_in.table_code is not null and own.table_code is null
             then list_concat([stand_in.table_code], string_split(rules.lhs, '/')[2:])
             else string_split(case side.side when 'lhs' then rules.lhs else rules.rhs end, '/')
        end as term,
        -- findings name the budget's table
        coalesce(case when own.table_code is null then stand_in.table_code end,
                 split_part(rules.lhs, '/', 1)) as budget_table_code
    from rule_pairs as p
    inner join rules on rules.rule_id = p.rule_id
    cross join (values ('lhs'), ('rhs')) as side(side)
    left join printed as own
        on own.report_id = p.report_id and own.table_code = split_part(rules.lhs, '/', 1)
    left join printed as stand_in
        on stand_in.report_id = p.report_id
        and stand_in.table_code = nullif(regexp_extract(rules.condition, 'instead=(\w+)', 1), '')
    where p.other_report_id is not null
        and p.template in ('document_cell', 'document_prior_cell', 'document_rows')

),

-- document_cell, document_prior_cell ---------------------------------------------------------
cell_sides as (

    select * from term_sides where template in ('document_cell', 'document_prior_cell')

),

cell_values as (

    select
        s.report_id, s.rule_id, s.side, s.other_year,
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
                       then r.other_year || '年决算' || {{ table_label('r.table_code') }}
                            || ' has no such cell'
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
    from rule_pairs as p
    inner join item_rules as m on m.rule_id = p.rule_id
    inner join quoted as q on q.report_id = p.other_report_id
    left join gaps as g on g.report_id = p.report_id and g.table_code = m.r[1]
    left join cells as c
        on c.report_id = p.report_id
        and c.table_code = m.r[1]
        and c.row_code = q.function_code
        and c.column_key = m.r[4]

),

-- document_rows -----------------------------------------------------------------------------
row_sides as (

    select * from term_sides where template = 'document_rows'

),

-- a table either side cannot read makes the whole comparison unknown: one identity per rule
row_gaps as (

    select
        s.report_id, s.rule_id,
        string_agg(case s.side when 'lhs' then g.gap_reason
                        else '同年决算' || g.gap_reason end, '; ') as gap_detail,
        any_value(s.budget_table_code) as table_code
    from row_sides as s
    inner join gaps as g on g.report_id = s.side_report_id and g.table_code = s.term[1]
    group by all

),

-- each side's amount per code at the rule's level (a code printed twice, a department's
-- section per unit, is summed)
row_values as (

    select
        s.report_id, s.rule_id, s.side, c.row_code,
        any_value(s.budget_table_code) as table_code,
        sum(c.value0) as value,
        sum(c.half_width) as half_width,
        list(c.cell_id) as participants,
        min(c.source_location) as source_location,
        any_value(c.row_label) as row_label,
        any_value(c.column_label) as column_label
    from row_sides as s
    inner join cells as c
        on c.report_id = s.side_report_id
        and c.table_code = s.term[1]
        and (s.term[2] = '*' or c.column_group = try_cast(s.term[2] as integer))
        and c.code_level = try_cast(split_part(s.term[3], ':', 2) as integer)
        and c.column_key = s.term[4]
    anti join row_gaps as g on g.report_id = s.report_id and g.rule_id = s.rule_id
    group by all

),

row_compared as (

    select
        coalesce(l.report_id, r.report_id) as report_id,
        coalesce(l.rule_id, r.rule_id) as rule_id,
        coalesce(l.row_code, r.row_code) as instance_key,
        -- both tables are read: a 项 one of them does not print is 0 in it
        coalesce(l.value, 0) as lhs_value,
        coalesce(r.value, 0) as rhs_value,
        coalesce(l.half_width, 0) + coalesce(r.half_width, 0) as tolerance,
        false as missing_cells,
        list_concat(coalesce(l.participants, []), coalesce(r.participants, [])) as participants,
        coalesce(l.table_code, r.table_code) as table_code,
        coalesce(l.row_code, r.row_code) as row_code,
        coalesce(l.row_label, r.row_label) as row_label,
        coalesce(l.column_label, r.column_label) as column_label,
        coalesce(l.source_location, r.source_location) as source_location,
        cast(null as varchar) as gap_detail
    from (select * from row_values where side = 'lhs') as l
    full outer join (select * from row_values where side = 'rhs') as r
        on r.report_id = l.report_id and r.rule_id = l.rule_id and r.row_code = l.row_code

),

-- unknown for the budget: the 决算 a rule reads is not loaded (one identity per rule), or a
-- document_rows table either side cannot read
unknown_inputs as (

    select
        report_id, rule_id, 'unpaired' as instance_key, cast(null as varchar) as table_code,
        case when other_year = fiscal_year then '同年决算未载入：' else '上年决算未载入：' end
            || unit_name || ' ' || other_year || '年决算 is not loaded' as gap_detail
    from rule_pairs
    where other_report_id is null
    union all
    select report_id, rule_id, 'table', table_code, gap_detail
    from row_gaps

),

unknown as (

    select
        report_id,
        rule_id,
        instance_key,
        cast(0 as decimal(24, 6)) as lhs_value,
        cast(0 as decimal(24, 6)) as rhs_value,
        cast(0 as decimal(24, 12)) as tolerance,
        true as missing_cells,
        cast([] as varchar[]) as participants,
        table_code,
        cast(null as varchar) as row_code,
        cast(null as varchar) as row_label,
        cast(null as varchar) as column_label,
        cast(null as varchar) as source_location,
        gap_detail
    from unknown_inputs

),

unioned as (

    select * from cell_compared
    union all by name
    select * from item_compared
    union all by name
    select * from row_compared
    union all by name
    select * from unknown

),

final as (

    select
        report_id,
        rule_id,
        instance_key,
        '万元' as value_unit,
        lhs_value,
        rhs_value,
        {{ symmetric_evaluation_columns() }},
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

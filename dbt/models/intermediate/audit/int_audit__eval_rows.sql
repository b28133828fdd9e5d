-- grain: one row per current report × rule × instance for the row-wise templates:
--   row_sum        every row of a table: a column = a signed sum of other columns of that row
--   hierarchy      every parent row × column: 合计 = Σ类, 类 = Σ款, 款 = Σ项 (by code prefix)
--   match_by_code  every code × column: the same amount in two tables
-- A table the audit cannot read (int_audit__tables) is never a table of zeros: a row-wise
-- rule over it is one indeterminate row naming the table and why; a code matched against it
-- is indeterminate, not compared with 0.
-- each rule once per document phase it applies to, in that phase's table codes (a budget's
-- 一般公共预算支出表 is Y05 where a 决算's is 05): a rule's tables decide which reports it reads
with rules as (

    select * from {{ ref('int_audit__rules') }}

),

-- Not materialized: the query reads cells 11 times, and DuckDB's temporary copy of it spilled
-- past the memory limit (at 10,000 reports: 6.0 GB written for this model, 3.4 GB without the
-- copy, the same rows; benchmarks/bench_dbt_writes.py, RESULTS "dbt's full build writes").
cells as not materialized (

    select * from {{ ref('int_audit__cells') }}
    where {{ in_rebuild() }}

),

gaps as (

    select * from {{ ref('int_audit__tables') }}
    where {{ in_rebuild() }}
        and not is_read

),

-- the canonical columns, to name a column a table does not print
table_columns as (

    select * from {{ ref('public_table_columns') }}

),

-- the table(s) each row-wise rule reads: a rule with one of them in a report's gaps cannot be
-- decided for that report
rule_tables as (

    select rule_id, template, split_part(lhs, '/', 1) as table_code
    from rules
    where template in ('row_sum', 'hierarchy', 'match_by_code')
    union
    select rule_id, template, split_part(rhs, '/', 1)
    from rules
    where template = 'match_by_code'

),

rule_gaps as (

    select
        gaps.report_id,
        rule_tables.rule_id,
        rule_tables.template,
        gaps.table_code,
        gaps.gap_reason
    from rule_tables
    inner join gaps on gaps.table_code = rule_tables.table_code

),

-- row_sum ---------------------------------------------------------------------------------
row_sum_rules as (

    select
        rule_id,
        split_part(lhs, '/', 1) as table_code,
        try_cast(split_part(lhs, '/', 2) as integer) as column_group,
        split_part(lhs, '/', 3) as lhs_column,
        string_split(rhs, ' ') as tokens
    from rules
    where template = 'row_sum'

),

row_sum_terms as (

    select
        rule_id, table_code, column_group, lhs_column,
        unnest(tokens) as token,
        generate_subscripts(tokens, 1) as position
    from row_sum_rules

),

-- a column written `name?` is one a table may leave out (then 0): a budget's 支出总表 prints
-- 经营支出 only where the unit has such spending
row_sum_signed as (

    select
        rule_id, table_code, column_group, lhs_column, rtrim(token, '?') as column_key,
        ends_with(token, '?') as is_optional,
        case when lag(token) over (partition by rule_id, table_code order by position) = '-'
             then -1 else 1 end
            as sign
    from row_sum_terms
    qualify token not in ('+', '-')

),

row_sum_parts as (

    select
        r.rule_id, c.report_id, c.row_index, r.column_group,
        c.column_key = r.lhs_column as is_lhs,
        r.sign, r.column_key as wanted_column, c.column_key,
        c.value0, c.half_width, c.cell_id, c.value_wan_yuan,
        c.table_code, c.row_code, c.row_label, c.column_label, c.source_location,
        r.is_optional
    from (select distinct rule_id, table_code, column_group, lhs_column, lhs_column as column_key,
                          1 as sign, false as is_optional from row_sum_signed
          union all
          select rule_id, table_code, column_group, lhs_column, column_key, sign, is_optional
          from row_sum_signed) as r
    inner join cells as c
        on c.table_code = r.table_code
        and c.column_group = r.column_group
        and c.column_key = r.column_key

),

-- grain: one row per report × row_sum rule whose table the report prints without one of the
-- rule's columns in any row (a 公开04表 without 国有资本经营, a 公开09表 without 小计): the
-- identity cannot be decided on any row, one indeterminate finding for the table, naming the
-- columns; its rows are not evaluated one by one
row_sum_unprinted as (

    select
        printed.report_id,
        wanted.rule_id,
        wanted.table_code,
        {{ table_label('wanted.table_code') }} || ' does not print the column '
            || string_agg(coalesce(table_columns.column_label_zh, wanted.column_key), '、'
                          order by wanted.column_key) as gap_reason
    from (select distinct report_id, table_code, column_group from cells) as printed
    inner join (select distinct rule_id, table_code, column_group, column_key
                from row_sum_signed
                where not is_optional
                union
                select rule_id, table_code, column_group, lhs_column
                from row_sum_signed) as wanted
        on wanted.table_code = printed.table_code
        and wanted.column_group = printed.column_group
    left join table_columns
        on table_columns.table_code = wanted.table_code
        and cast(table_columns.column_group as integer) = wanted.column_group
        and table_columns.column_key = wanted.column_key
    where not exists (
        select 1 from cells
        where cells.report_id = printed.report_id
            and cells.table_code = wanted.table_code
            and cells.column_group = wanted.column_group
            and cells.column_key = wanted.column_key
    )
    group by 1, 2, 3

),

row_sums as (

    select
        report_id,
        rule_id,
        concat(coalesce(max(row_code), max(row_label), cast(row_index as varchar)))
            as instance_key,
        '万元' as value_unit,
        sum(case when is_lhs then value0 end) as lhs_value,
        sum(case when not is_lhs then sign * value0 end) as rhs_value,
        sum(half_width) as tolerance,
        -- every row of the table has all the rule's columns unless the layout is not standard
        count(*) filter (where not is_optional) - 1
            < (select count(*) from row_sum_signed s
               where s.rule_id = p.rule_id and s.table_code = p.table_code
                   and not s.is_optional)
            as missing_cells,
        bool_or(value_wan_yuan is not null) as any_printed,
        list(cell_id order by cell_id) as participants,
        table_code,
        max(row_code) as row_code,
        max(row_label) as row_label,
        max(case when is_lhs then column_label end) as column_label,
        max(case when is_lhs then source_location end) as source_location
    from row_sum_parts as p
    -- (table_code: one per report and rule; grouped so the width above can name it)
    group by report_id, rule_id, row_index, table_code

),

-- hierarchy -------------------------------------------------------------------------------
hierarchy_rules as (

    select
        rule_id,
        split_part(lhs, '/', 1) as table_code,
        split_part(lhs, '/', 2) as parent_level,
        try_cast(split_part(rhs, '/', 2) as integer) as child_level
    from rules
    where template = 'hierarchy'

),

-- A code printed more than once in a table (a department's budget printing each unit's
-- section in turn, 烟台): its children are the rows under it, up to the next row of its level
-- or above, not every row of the table with its prefix. Only repeated codes are sectioned.
coded_rows as (

    select distinct report_id, table_code, column_group, row_index, row_code, code_level
    from cells
    where code_level is not null

),

repeated_codes as (

    select report_id, table_code, row_code
    from coded_rows
    group by all
    having count(distinct row_index) > 1

),

sections as (

    select
        r.report_id, r.table_code, r.column_group, r.row_index,
        coalesce((select min(n.row_index) from coded_rows as n
                  where n.report_id = r.report_id and n.table_code = r.table_code
                      and n.column_group = r.column_group and n.row_index > r.row_index
                      and n.code_level <= r.code_level), 2147483647) as section_end
    from coded_rows as r
    inner join repeated_codes as d
        on d.report_id = r.report_id and d.table_code = r.table_code
        and d.row_code = r.row_code

),

hierarchy_pairs as (

    select
        h.rule_id,
        parent.report_id,
        parent.cell_id as parent_id,
        parent.value0 as parent_value,
        parent.half_width as parent_half,
        parent.table_code, parent.row_code, parent.row_label, parent.column_label,
        parent.source_location,
        parent.column_key,
        child.cell_id as child_id,
        child.value0 as child_value,
        child.half_width as child_half
    from hierarchy_rules as h
    inner join cells as parent
        on parent.table_code = h.table_code
        and (h.parent_level = 'total' and parent.row_key = 'total'
             or parent.code_level = try_cast(h.parent_level as integer))
    inner join cells as child
        on child.report_id = parent.report_id
        and child.table_code = parent.table_code
        and coalesce(child.column_key, cast(child.column_index as varchar))
            = coalesce(parent.column_key, cast(parent.column_index as varchar))
        and child.code_level = h.child_level
        and (h.parent_level = 'total' or starts_with(child.row_code, parent.row_code))
        -- 06 prints its groups side by side; elsewhere parent and child share the group
        and (h.table_code = '06' or child.column_group = parent.column_group)
    left join sections
        on sections.report_id = parent.report_id and sections.table_code = parent.table_code
        and sections.column_group = parent.column_group
        and sections.row_index = parent.row_index
    where (sections.row_index is null
           or (child.row_index > parent.row_index and child.row_index < sections.section_end))

),

hierarchies as (

    select
        report_id,
        rule_id,
        concat(coalesce(any_value(row_code), any_value(row_label)), '/', any_value(column_key))
            as instance_key,
        '万元' as value_unit,
        any_value(parent_value) as lhs_value,
        sum(child_value) as rhs_value,
        any_value(parent_half) + sum(child_half) as tolerance,
        false as missing_cells,
        true as any_printed,
        list_prepend(any_value(parent_id), list(child_id order by child_id)) as participants,
        any_value(table_code) as table_code,
        any_value(row_code) as row_code,
        any_value(row_label) as row_label,
        any_value(column_label) as column_label,
        any_value(source_location) as source_location
    from hierarchy_pairs
    group by report_id, rule_id, parent_id

),

-- a read table with class rows but no 合计 row: 合计 = Σ类 has no left side to check (the
-- identity is not vacuous, its total is unparsed)
missing_totals as (

    select distinct
        c.report_id,
        h.rule_id,
        {{ table_label('h.table_code') }} || ' has no 合计 row' as gap_reason
    from hierarchy_rules as h
    inner join cells as c on c.table_code = h.table_code and c.code_level = h.child_level
    where h.parent_level = 'total'
        and not exists (
            select 1 from cells as t
            where t.report_id = c.report_id and t.table_code = h.table_code
              and t.row_key = 'total'
        )

),

-- match_by_code ---------------------------------------------------------------------------
match_rules as (

    select
        rule_id,
        condition,
        string_split(lhs, '/') as l,
        string_split(rhs, '/') as r
    from rules
    where template = 'match_by_code'

),

match_sides as (

    select
        m.rule_id, m.condition, side.side, c.report_id, c.row_code, c.column_key,
        c.value0, c.half_width, c.cell_id, c.table_code, c.row_label, c.column_label,
        c.source_location
    from match_rules as m
    cross join (values ('lhs'), ('rhs')) as side(side)
    inner join cells as c
        on c.table_code = (case side.side when 'lhs' then m.l else m.r end)[1]
        and ((case side.side when 'lhs' then m.l else m.r end)[2] = '*'
             or c.column_group = try_cast((case side.side when 'lhs' then m.l else m.r end)[2]
                                          as integer))
        and c.row_code is not null
        and (
            (case side.side when 'lhs' then m.l else m.r end)[3] = 'level:*'
            or (case side.side when 'lhs' then m.l else m.r end)[3] = 'key:' || coalesce(c.row_key, '')
            or (case side.side when 'lhs' then m.l else m.r end)[3] = 'level:' || c.code_level
        )
        and ((case side.side when 'lhs' then m.l else m.r end)[4] = '*'
             or c.column_key = (case side.side when 'lhs' then m.l else m.r end)[4])

),

general_budget_only as (

    -- Reports funded by the general budget alone: no other income source in 02 and no
    -- government-fund or SOE-capital expenditure in 04, so 03 and 05 must agree. (With 02 or
    -- 04 unread it is unknown: see condition_gaps.)
    select report_id
    from cells
    group by report_id
    having sum(case when table_code = '02' and row_key = 'total'
                     and column_key in ('upper_subsidy', 'business', 'operating',
                                        'affiliated_remit', 'other') then value0 else 0 end) = 0
       and sum(case when table_code = '04' and row_key = 'expenditure_total'
                     and column_key in ('gov_fund', 'soe_capital') then value0 else 0 end) = 0
       and sum(case when table_code = '03' and row_key = 'total'
                     and column_key in ('remit_upper', 'operating', 'subsidy_affiliated')
                     then value0 else 0 end) = 0

),

-- 02 and 04, read by the general_budget_only condition, unread in a report the read tables
-- show as funded by the general budget alone: whether the rule applies is then unknown, and so
-- is the identity (03 is a side of the rules itself)
condition_gaps as (

    select report_id, string_agg(gap_reason, '; ' order by table_code) as gap_reason
    from gaps
    where table_code in ('02', '04')
        and report_id in (select report_id from general_budget_only)
    group by report_id

),

-- the report × match rule pairs the rule applies to as far as the read tables tell
applicable_matches as (

    select distinct match_rules.rule_id, reports.report_id
    from match_rules
    cross join (select distinct report_id from gaps
                union select distinct report_id from cells) as reports
    where match_rules.condition is null
        or (match_rules.condition = 'general_budget_only'
            and reports.report_id in (select report_id from general_budget_only))

),

matched as (

    select
        report_id,
        rule_id,
        row_code || '/' || coalesce(max(case when side = 'lhs' then column_key end),
                                    max(column_key)) as instance_key,
        '万元' as value_unit,
        coalesce(sum(case when side = 'lhs' then value0 end), 0) as lhs_value,
        coalesce(sum(case when side = 'rhs' then value0 end), 0) as rhs_value,
        sum(half_width) as tolerance,
        false as missing_cells,
        bool_or(value0 <> 0) as any_printed,
        list(cell_id order by cell_id) as participants,
        coalesce(max(case when side = 'lhs' then table_code end),
                 max(table_code)) as table_code,
        row_code,
        coalesce(max(case when side = 'lhs' then row_label end), max(row_label)) as row_label,
        coalesce(max(case when side = 'lhs' then column_label end), max(column_label))
            as column_label,
        coalesce(max(case when side = 'lhs' then source_location end), max(source_location))
            as source_location
    from match_sides
    group by report_id, rule_id, row_code

),

-- per applicable report × match rule, why it cannot be decided: a side's table unread, or the
-- condition that decides whether it applies unknown
match_blockers as (

    select blockers.report_id, blockers.rule_id,
           string_agg(blockers.gap_reason, '; ' order by blockers.sort_key) as gap_reason
    from (
        select report_id, rule_id, gap_reason, table_code as sort_key
        from rule_gaps
        where template = 'match_by_code'
        union all
        select condition_gaps.report_id, match_rules.rule_id,
               'whether all funding is general-budget appropriation is unknown: '
                   || condition_gaps.gap_reason,
               'z'
        from match_rules
        inner join condition_gaps on match_rules.condition = 'general_budget_only'
    ) as blockers
    inner join applicable_matches as a
        on a.report_id = blockers.report_id and a.rule_id = blockers.rule_id
    group by blockers.report_id, blockers.rule_id

),

matches as (

    -- a code on one side only, with the other side's table unread, is indeterminate: the
    -- absent side is unknown, not 0
    select
        matched.* exclude (missing_cells),
        match_blockers.report_id is not null as missing_cells,
        match_blockers.gap_reason
    from matched
    inner join applicable_matches as a
        on a.report_id = matched.report_id and a.rule_id = matched.rule_id
    left join match_blockers
        on match_blockers.report_id = matched.report_id
        and match_blockers.rule_id = matched.rule_id

),

-- a rule over an unread table with no instance to show (its table, or both, unread) is still
-- one indeterminate identity, keyed by the rule
blocked_rules as (

    select
        report_id,
        rule_id,
        'unread' as instance_key,
        '万元' as value_unit,
        cast(0 as decimal(24, 6)) as lhs_value,
        cast(0 as decimal(24, 6)) as rhs_value,
        cast(0 as decimal(24, 12)) as tolerance,
        true as missing_cells,
        true as any_printed,
        cast([] as varchar[]) as participants,
        cast(null as varchar) as table_code,
        cast(null as varchar) as row_code,
        cast(null as varchar) as row_label,
        cast(null as varchar) as column_label,
        cast(null as varchar) as source_location,
        gap_reason
    from (
        select report_id, rule_id, string_agg(gap_reason, '; ' order by table_code) as gap_reason
        from rule_gaps
        where template in ('row_sum', 'hierarchy')
        group by report_id, rule_id
        union all
        select report_id, rule_id, gap_reason
        from missing_totals
        union all
        select report_id, rule_id, gap_reason
        from match_blockers
    ) as blocked
    where not exists (
        select 1 from matches
        where matches.report_id = blocked.report_id and matches.rule_id = blocked.rule_id
          and matches.any_printed
    )

),

-- one indeterminate identity per report × row_sum rule its table cannot decide (above), when
-- a row of the table prints any of the rule's amounts
row_sum_unprinted_rules as (

    select
        u.report_id,
        u.rule_id,
        u.table_code || '/*' as instance_key,
        '万元' as value_unit,
        cast(0 as decimal(24, 6)) as lhs_value,
        cast(0 as decimal(24, 6)) as rhs_value,
        cast(0 as decimal(24, 12)) as tolerance,
        true as missing_cells,
        true as any_printed,
        cast([] as varchar[]) as participants,
        u.table_code,
        cast(null as varchar) as row_code,
        cast(null as varchar) as row_label,
        cast(null as varchar) as column_label,
        min(s.source_location) as source_location,
        u.gap_reason
    from row_sum_unprinted as u
    inner join row_sums as s on s.report_id = u.report_id and s.rule_id = u.rule_id
    where s.any_printed
    group by all

),

unioned as (

    select *, cast(null as varchar) as gap_reason from row_sums
    anti join row_sum_unprinted as u
        on u.report_id = row_sums.report_id and u.rule_id = row_sums.rule_id
    where any_printed
    union all by name
    select * from row_sum_unprinted_rules
    union all by name
    select *, cast(null as varchar) as gap_reason from hierarchies
    union all by name
    select * from matches where any_printed
    union all by name
    select * from blocked_rules

),

final as (

    select
        report_id,
        rule_id,
        instance_key,
        value_unit,
        lhs_value,
        rhs_value,
        {{ symmetric_evaluation_columns() }},
        table_code,
        row_code,
        row_label,
        column_label,
        source_location,
        participants,
        case when missing_cells then
            coalesce(gap_reason, 'a column of the identity is not in the table') end as detail
    from unioned

)

select * from final

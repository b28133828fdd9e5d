-- grain: one row per current report × rule × instance for the row-wise templates:
--   row_sum        every row of a table: a column = a signed sum of other columns of that row
--   hierarchy      every parent row × column: 合计 = Σ类, 类 = Σ款, 款 = Σ项 (by code prefix)
--   match_by_code  every code × column: the same amount in two tables
with rules as (

    select * from {{ ref('stg_reference__audit_rules') }}

),

cells as (

    select * from {{ ref('int_audit__cells') }}
    where {{ in_rebuild() }}

),

report_tables as (

    select * from {{ ref('stg_raw__report_tables') }}
    where {{ in_rebuild() }}

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

row_sum_signed as (

    select
        rule_id, table_code, column_group, lhs_column, token as column_key,
        case when lag(token) over (partition by rule_id order by position) = '-' then -1 else 1 end
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
        c.table_code, c.row_code, c.row_label, c.column_label, c.source_location
    from (select distinct rule_id, table_code, column_group, lhs_column, lhs_column as column_key,
                          1 as sign from row_sum_signed
          union all
          select rule_id, table_code, column_group, lhs_column, column_key, sign
          from row_sum_signed) as r
    inner join cells as c
        on c.table_code = r.table_code
        and c.column_group = r.column_group
        and c.column_key = r.column_key

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
        count(*) - 1 < (select count(*) from row_sum_signed s where s.rule_id = p.rule_id)
            as missing_cells,
        bool_or(value_wan_yuan is not null) as any_printed,
        list(cell_id order by cell_id) as participants,
        max(table_code) as table_code,
        max(row_code) as row_code,
        max(row_label) as row_label,
        max(case when is_lhs then column_label end) as column_label,
        max(case when is_lhs then source_location end) as source_location
    from row_sum_parts as p
    group by report_id, rule_id, row_index

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
    -- government-fund or SOE-capital expenditure in 04, so 03 and 05 must agree.
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
            as source_location,
        any_value(condition) as condition
    from match_sides
    group by report_id, rule_id, row_code

),

matches as (

    select * exclude (condition)
    from matched
    where condition is null
       or (condition = 'general_budget_only'
           and report_id in (select report_id from general_budget_only))

),

unioned as (

    select * from row_sums where any_printed
    union all
    select * from hierarchies
    union all
    select * from matches where any_printed

),

final as (

    select
        report_id,
        rule_id,
        instance_key,
        value_unit,
        lhs_value,
        rhs_value,
        lhs_value - rhs_value as difference,
        -tolerance as allowed_low,
        tolerance as allowed_high,
        case when missing_cells then null
             else greatest(abs(lhs_value - rhs_value) - tolerance, 0) end as excess,
        case
            when missing_cells then 'indeterminate'
            when lhs_value = rhs_value then 'pass'
            when abs(lhs_value - rhs_value) <= tolerance then 'rounding'
            else 'fail'
        end as status,
        table_code,
        row_code,
        row_label,
        column_label,
        source_location,
        participants,
        case when missing_cells then 'a column of the identity is not in the table' end as detail
    from unioned

)

select * from final

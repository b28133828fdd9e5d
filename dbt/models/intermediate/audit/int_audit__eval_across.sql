-- grain: one row per current report × rule × instance for identities across reports:
--   prior_year     year N against year N-1 of the same unit and document kind: what N's text
--                  says of last year (a 决算's 收支总计, 三公 total, 机关运行经费; a budget's
--                  statements the registry names) against N-1's printed figure, and the
--                  carry-over; indeterminate when N-1 is not loaded
--   consolidation  a department's consolidated report = 本级 + Σ its units (seeds/reference/
--                  unit_hierarchy.csv names the members), table by table, line by line
-- A 公开01表 of either year, or a table of the department or a member, that is missing or
-- unreadable makes the identities reading it indeterminate, naming the report and the reason;
-- its absent amounts are never summed as 0.
-- Every report's cells, not only the rebuilt ones (last year's, the members'): not
-- materialized, so each use below reads only the cells it filters for (materialized, the CTE
-- copied all 5.7 million cells of 10,000 reports on every incremental build).
with cells as not materialized (

    select * from {{ ref('int_audit__cells') }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }} where not is_superseded and phase = '决算'

),

documents as (

    select * from {{ ref('stg_raw__reports') }} where not is_superseded

),

facts as (

    select * from {{ ref('int_audit__values') }}
    where {{ in_rebuild() }}
        and source = 'N'

),

hierarchy as (

    select * from {{ ref('stg_reference__unit_hierarchy') }}

),

-- every report's tables and gaps, not only the rebuilt ones' (last year's, the members')
tables as (

    select * from {{ ref('int_audit__tables') }}

),

gaps as (

    select * from tables
    where not is_read

),

-- a unit's document of year N and the same kind's of N-1 (决算 and 决算, budget and budget)
pairs as (

    select this.report_id, this.unit_name, this.fiscal_year, prev.report_id as prior_report_id
    from documents as this
    inner join documents as prev
        on prev.unit_name = this.unit_name and prev.fiscal_year = this.fiscal_year - 1
        and prev.phase = this.phase
    where {{ in_rebuild('this.report_id') }}

),

-- the statements on last year a budget's prose words as the registry says, and where last
-- year's budget prints each figure (seeds/reference/prior_year_statements.csv)
statement_registry as (

    select * from {{ ref('prior_year_statements') }}

),

-- what this year's text says of last year, for each figure last year's report prints: the
-- change on it (收支总计 and the 三公 total on 公开01表/公开09表, 机关运行经费 in its text) or
-- last year's figure itself ('上年决算数为…'); the change decides when both are stated
stated as (

    select
        report_id,
        kind,
        subject,
        max(case when metric in ('amount', 'final') then value0 end) as amount,
        max(case when metric in ('amount', 'final') then half_width end) as amount_half,
        max(case when metric = 'change_amount' then value0 end) as change,
        max(case when metric = 'change_amount' then half_width end) as change_half,
        max(case when metric = 'change_amount' then direction end) as direction,
        max(case when metric = 'prior_amount' then value0 end) as prior_amount,
        max(case when metric = 'prior_amount' then half_width end) as prior_amount_half,
        list(value_id order by value_id) as participants,
        min(source_location) filter (where metric in ('change_amount', 'prior_amount'))
            as source_location
    from facts
    where ((kind = 'total' and subject = '收支总计')
           or (kind = 'three_public' and subject = '三公经费合计')
           or (kind = 'operating_cost' and subject = '机关运行经费')
           or kind = 'prior_year')
        and metric in ('amount', 'final', 'change_amount', 'prior_amount')
    group by report_id, kind, subject
    having count(*) filter (where metric in ('change_amount', 'prior_amount')) > 0

),

stated_prior as (

    select
        s.*,
        r.fiscal_year,
        r.phase,
        p.prior_report_id,
        case when s.change is not null and s.amount is not null
             then case s.direction when 'decrease' then s.amount + s.change
                                   else s.amount - s.change end
             else s.prior_amount end as prior_value,
        case when s.change is not null and s.amount is not null
             then s.amount_half + s.change_half else s.prior_amount_half end as prior_half,
        case when s.change is not null and s.amount is not null
             then '本年说明：' || {{ fmt_num('s.amount') }} || '万元，较上年'
                  || case s.direction when 'decrease' then '减少'
                                      when 'flat' then '持平（增减' else '增加' end
                  || {{ fmt_num('s.change') }} || '万元'
                  || case when s.direction = 'flat' then '）' else '' end
             else '本年说明：上年 ' || {{ fmt_num('s.prior_amount') }} || '万元' end as stated_text,
        case s.kind when 'total' then '01' when 'three_public' then '09'
                    when 'prior_year' then reg.table_code end as table_code
    from stated as s
    inner join documents as r on r.report_id = s.report_id
    left join pairs as p on p.report_id = s.report_id
    left join statement_registry as reg
        on s.kind = 'prior_year' and reg.subject = s.subject and reg.document_phase = r.phase
    where (s.change is not null and s.amount is not null) or s.prior_amount is not null

),

-- last year's printed figure: 公开01表's 总计, 公开09表's 决算数 合计, the 机关运行经费 its text
-- states (every report's, not only the rebuilt ones')
prior_figures as (

    select
        c.report_id, '收支总计' as subject, c.value0, c.half_width, c.cell_id as value_id,
        c.column_label, c.source_location
    from cells as c
    where c.table_code = '01' and c.row_key = 'grand_total' and c.column_group = 0
    union all
    select c.report_id, '三公经费合计', c.value0, c.half_width, c.cell_id, c.column_label,
           c.source_location
    from cells as c
    where c.table_code = '09' and c.column_key = 'final_total'
    union all
    select v.report_id, v.subject, v.value0, v.half_width, v.value_id, '机关运行经费',
           v.source_location
    from {{ ref('int_audit__values') }} as v
    where v.source = 'N' and v.kind = 'operating_cost' and v.subject = '机关运行经费'
        and v.metric = 'amount'
    qualify row_number() over (partition by v.report_id order by v.value_id) = 1
    union all
    -- a budget's figure the registry names (a blank cell is not 0 here: indeterminate)
    select c.report_id, reg.subject, c.value0, c.half_width, c.cell_id, c.column_label,
           c.source_location
    from cells as c
    inner join statement_registry as reg
        on reg.table_code = c.table_code and reg.row_key = c.row_key
        and reg.column_key = c.column_key and reg.column_group = c.column_group

),

prior_totals as (

    select
        s.report_id, 'Y.prior_total' as rule_id,
        s.subject || '/' || cast(s.fiscal_year - 1 as varchar) as instance_key,
        s.prior_value as lhs_value,
        -- a 公开09表 printed blank (no 三公 spending, declared empty) says 0
        coalesce(c.value0, 0) as rhs_value,
        s.prior_half + coalesce(c.half_width, 0) as tolerance,
        s.table_code,
        cast(null as varchar) as row_code,
        case s.kind when 'total' then '总计' when 'three_public' then '“三公”经费决算数合计'
                    else s.subject end || '（上年）' as row_label,
        c.column_label, s.source_location,
        list_filter(list_append(s.participants, c.value_id), lambda x: x is not null)
            as participants,
        s.prior_report_id is null or g.report_id is not null
            or (c.value_id is null and s.kind <> 'three_public') as missing_cells,
        case
            when s.prior_report_id is null then
                '上年（' || (s.fiscal_year - 1) || '年度）' || s.phase || '未加载'
            when g.report_id is not null then '上年报告：' || g.gap_reason
            when c.value_id is null and s.kind = 'total' then '上年报告：公开01表 has no 总计 row'
            when c.value_id is null and s.kind = 'operating_cost'
                then '上年报告：情况说明未写机关运行经费支出'
            when c.value_id is null and s.kind = 'prior_year'
                then '上年报告：' || coalesce(s.table_code, '') || ' 未印“' || s.subject || '”'
            else
                s.stated_text || '；上年报告' || case s.kind when 'total' then '总计 '
                                                        when 'three_public' then '“三公”经费决算数 '
                                                        else s.subject || ' ' end
                || {{ fmt_num('coalesce(c.value0, 0)') }} || '万元（'
                || coalesce(c.source_location, '公开09表无金额') || '）'
        end as detail
    from stated_prior as s
    left join prior_figures as c
        on c.report_id = s.prior_report_id and c.subject = s.subject
    left join gaps as g
        on g.report_id = s.prior_report_id and g.table_code = s.table_code

),

carryovers as (

    select
        p.report_id, 'Y.carryover' as rule_id, cast(p.fiscal_year - 1 as varchar) as instance_key,
        coalesce(this.value0, 0) as lhs_value,
        coalesce(prev.value0, 0) as rhs_value,
        coalesce(this.half_width, 0) + coalesce(prev.half_width, 0) as tolerance,
        '01' as table_code, cast(null as varchar) as row_code,
        coalesce(this.row_label, '年初结转和结余') as row_label,
        this.column_label, this.source_location,
        list_filter([this.cell_id, prev.cell_id], lambda x: x is not null) as participants,
        this.cell_id is null or prev.cell_id is null as missing_cells,
        case
            when this.cell_id is null or prev.cell_id is null then concat_ws('; ',
                case when this.cell_id is null then
                    '本年报告：' || coalesce(this_gap.gap_reason, '公开01表 has no 年初结转和结余 row')
                end,
                case when prev.cell_id is null then
                    '上年报告：' || coalesce(prev_gap.gap_reason, '公开01表 has no 年末结转和结余 row')
                end)
            else
                '上年年末结转和结余 ' || {{ fmt_num('prev.value0') }} || '万元（' || prev.source_location
                || '）'
        end as detail
    from pairs as p
    left join cells as this
        on this.report_id = p.report_id and this.table_code = '01'
        and this.row_key = 'carryover_begin' and this.column_group = 0
    left join cells as prev
        on prev.report_id = p.prior_report_id and prev.table_code = '01'
        and prev.row_key = 'carryover_end' and prev.column_group = 1
    left join gaps as this_gap on this_gap.report_id = p.report_id and this_gap.table_code = '01'
    left join gaps as prev_gap
        on prev_gap.report_id = p.prior_report_id and prev_gap.table_code = '01'
    -- both rows printed, or one of them with the other's table unread; neither: nothing to check
    where (this.cell_id is not null and prev.cell_id is not null)
        or (this.cell_id is not null and prev_gap.report_id is not null)
        or (prev.cell_id is not null and this_gap.report_id is not null)
        or (this_gap.report_id is not null and prev_gap.report_id is not null)

),

members as (

    select
        dept.report_id as department_report_id,
        dept.fiscal_year,
        h.member_unit_name,
        member.report_id as member_report_id
    from hierarchy as h
    inner join reports as dept on dept.unit_name = h.department_unit_name
    left join reports as member
        on member.unit_name = h.member_unit_name and member.fiscal_year = dept.fiscal_year
    where {{ in_rebuild('dept.report_id') }}

),

complete_departments as (

    select department_report_id
    from members
    group by 1
    having count(*) = count(member_report_id)

),

-- every report a complete department's consolidation reads: the department itself (no
-- member name) and each of its members
parties as (

    select department_report_id, department_report_id as report_id,
           cast(null as varchar) as member_unit_name
    from complete_departments
    union all
    select m.department_report_id, m.member_report_id, m.member_unit_name
    from members as m
    inner join complete_departments as c on c.department_report_id = m.department_report_id

),

-- A line is what a cell states, never where the layout prints it: its table, its row (the
-- code, else the row key, else the label), its side (the income or expenditure side of
-- 公开01/04表; the column groups of 公开06表 are only how many code columns a page holds) and
-- its column (the column key). So 30101 is one line whether a report prints it in the first
-- group of three or the second of two.
line_key as (

    select
        *,
        concat_ws('/', table_code, row_id, side, column_id) as line,
        concat_ws('/', table_code, '*', side, column_id) as column_line
    from (
        select
            *,
            coalesce(row_code, row_key, row_label) as row_id,
            case when table_code in ('01', '04') then column_group else 0 end as side,
            coalesce(column_key, column_label, cast(column_index as varchar)) as column_id
        from cells
        where report_id in (select report_id from parties)
    ) as keyed

),

-- grain: one row per report × line it prints (a line printed twice is summed)
printed_lines as (

    select
        report_id,
        line,
        sum(value0) as value,
        sum(half_width) as half_width,
        bool_or(value_wan_yuan is not null) as has_value,
        list(cell_id order by cell_id) as participants,
        min(row_code) as row_code,
        min(row_label) as row_label,
        min(column_label) as column_label,
        min(source_location) as source_location
    from line_key
    group by 1, 2

),

-- grain: one row per report × table × side × column it prints (in any row)
printed_columns as (

    select distinct report_id, table_code, column_line
    from line_key

),

-- grain: one row per complete department × line printed by it or by any of its members
lines as (

    select
        p.department_report_id,
        l.line,
        any_value(l.column_line) as column_line,
        any_value(l.table_code) as table_code,
        any_value(l.row_id) as row_id,
        min(l.column_label) as column_label,
        bool_or(l.row_code is not null) as is_coded
    from parties as p
    inner join line_key as l on l.report_id = p.report_id
    group by 1, 2

),

-- per complete department × table, why its consolidation cannot be checked: the table is
-- unread in the department's report or in a member's (a member's unread table summed as 0
-- would make every line of it look wrong)
table_blockers as (

    select report_id, table_code, string_agg(reason, '; ' order by sort_key) as gap_reason
    from (
        select g.report_id, g.table_code, '' as sort_key, g.gap_reason as reason
        from gaps as g
        inner join complete_departments as c on c.department_report_id = g.report_id
        union all
        select m.department_report_id, g.table_code, m.member_unit_name,
               '所属单位' || m.member_unit_name || '：' || g.gap_reason
        from members as m
        inner join complete_departments as c on c.department_report_id = m.department_report_id
        inner join gaps as g on g.report_id = m.member_report_id
    ) as blockers
    group by report_id, table_code

),

-- grain: one row per complete department × line × party (the department or a member): what
-- the party contributes, or why it cannot. A line the party does not print is 0 when its table
-- is declared empty or the line is a coded row (a code without amounts is left out); it is
-- unknown when the party's table does not print the column at all (公开09表 without 小计,
-- 公开04表 without 国有资本经营) or the row is a totals row it does not print.
contributions as (

    select
        l.department_report_id,
        l.line,
        l.column_line,
        l.table_code,
        p.member_unit_name,
        v.line is not null as is_printed,
        coalesce(v.value, 0) as value,
        coalesce(v.half_width, 0) as half_width,
        coalesce(v.has_value, false) as has_value,
        coalesce(v.participants, []) as participants,
        v.row_code, v.row_label, v.column_label, v.source_location,
        case
            when v.line is not null or t.table_status = 'declared_empty' then null
            when pc.column_line is null then 'column'
            when not l.is_coded then 'row'
        end as gap_kind,
        coalesce('所属单位' || p.member_unit_name || '：', '') || '公开' || l.table_code || '表'
            as party_table
    from lines as l
    inner join parties as p on p.department_report_id = l.department_report_id
    left join printed_lines as v on v.report_id = p.report_id and v.line = l.line
    left join printed_columns as pc
        on pc.report_id = p.report_id and pc.column_line = l.column_line
    left join tables as t on t.report_id = p.report_id and t.table_code = l.table_code
    anti join table_blockers as b
        on b.report_id = l.department_report_id and b.table_code = l.table_code

),

-- grain: one row per complete department × column some party does not print: the whole
-- column is indeterminate (one finding), when the department prints it or a member prints an
-- amount in it
unprinted_columns as (

    select
        c.department_report_id as report_id,
        c.column_line,
        c.table_code,
        min(c.column_label) as column_label,
        bool_or(c.member_unit_name is null and c.gap_kind is null) as department_prints,
        bool_or(c.member_unit_name is not null and c.value <> 0) as members_state_amount,
        string_agg(distinct case when c.gap_kind = 'column' then c.party_table end, '; ')
            as gap_parties,
        min(case when c.member_unit_name is null then c.source_location end)
            as source_location,
        flatten(list(c.participants)) as participants
    from contributions as c
    group by 1, 2, 3
    having bool_or(c.gap_kind = 'column')

),

column_findings as (

    select
        report_id, 'U.consolidation' as rule_id, column_line as instance_key,
        cast(0 as decimal(24, 6)) as lhs_value, cast(0 as decimal(24, 6)) as rhs_value,
        cast(0 as decimal(24, 12)) as tolerance,
        table_code, cast(null as varchar) as row_code, cast(null as varchar) as row_label,
        column_label, source_location, list_distinct(participants) as participants,
        gap_parties || ' does not print the column ' || coalesce(column_label, column_line)
            as detail
    from unprinted_columns
    where department_prints or members_state_amount

),

-- grain: one row per complete department × line whose columns every party prints
line_sums as (

    select
        c.department_report_id as report_id,
        c.line,
        c.table_code,
        sum(case when c.member_unit_name is null then c.value end) as lhs_value,
        coalesce(sum(case when c.member_unit_name is not null then c.value end), 0) as rhs_value,
        sum(c.half_width) as tolerance,
        bool_or(c.member_unit_name is null and c.has_value) as department_has_value,
        coalesce(sum(case when c.member_unit_name is not null then c.value end), 0) <> 0
            as members_have_value,
        string_agg(case when c.gap_kind = 'row' then c.party_table end, '; '
                   order by c.member_unit_name nulls first) as gap_parties,
        flatten(list(c.participants order by c.member_unit_name nulls first)) as participants,
        coalesce(min(case when c.member_unit_name is null then c.row_code end),
                 min(c.row_code)) as row_code,
        coalesce(min(case when c.member_unit_name is null then c.row_label end),
                 min(c.row_label)) as row_label,
        coalesce(min(case when c.member_unit_name is null then c.column_label end),
                 min(c.column_label)) as column_label,
        coalesce(min(case when c.member_unit_name is null then c.source_location end),
                 min(c.source_location)) as source_location
    from contributions as c
    anti join unprinted_columns as u
        on u.report_id = c.department_report_id and u.column_line = c.column_line
    group by 1, 2, 3

),

consolidations as (

    select
        s.report_id, 'U.consolidation' as rule_id, s.line as instance_key,
        coalesce(s.lhs_value, 0) as lhs_value,
        s.rhs_value,
        s.tolerance,
        s.table_code, s.row_code, s.row_label, s.column_label, s.source_location,
        s.participants,
        s.gap_parties is not null as missing_cells,
        case
            when s.gap_parties is not null then
                s.gap_parties || ' has no row ' || coalesce(s.row_label, s.line)
            else '所属单位合计 ' || {{ fmt_num('s.rhs_value') }} || '万元'
        end as detail
    from line_sums as s
    -- a line all blank and zero has nothing to check
    where s.department_has_value or s.members_have_value

),

blocked_tables as (

    select
        report_id, 'U.consolidation' as rule_id, table_code || '/*' as instance_key,
        cast(0 as decimal(24, 6)) as lhs_value, cast(0 as decimal(24, 6)) as rhs_value,
        cast(0 as decimal(24, 12)) as tolerance,
        table_code, cast(null as varchar) as row_code,
        cast(null as varchar) as row_label, cast(null as varchar) as column_label,
        cast(null as varchar) as source_location, cast([] as varchar[]) as participants,
        gap_reason as detail
    from table_blockers

),
incomplete as (

    select
        department_report_id as report_id, 'U.consolidation' as rule_id,
        'members' as instance_key,
        cast(0 as decimal(24, 6)) as lhs_value, cast(0 as decimal(24, 6)) as rhs_value,
        cast(0 as decimal(24, 12)) as tolerance,
        cast(null as varchar) as table_code, cast(null as varchar) as row_code,
        cast(null as varchar) as row_label, cast(null as varchar) as column_label,
        cast(null as varchar) as source_location, cast([] as varchar[]) as participants,
        '所属单位报告未全部加载：' || string_agg(case when member_report_id is null
                                                  then member_unit_name end, '、'
                                                  order by member_unit_name) as detail
    from members
    where department_report_id not in (select department_report_id from complete_departments)
    group by department_report_id

),

unioned as (

    select * from prior_totals
    union all by name select * from carryovers
    union all by name select * from consolidations
    union all by name select *, true as missing_cells from column_findings
    union all by name select *, true as missing_cells from blocked_tables
    union all by name select *, true as missing_cells from incomplete

),

final as (

    select
        report_id,
        rule_id,
        instance_key,
        '万元' as value_unit,
        cast(lhs_value as decimal(24, 6)) as lhs_value,
        cast(rhs_value as decimal(24, 6)) as rhs_value,
        cast(lhs_value - rhs_value as decimal(24, 6)) as difference,
        cast(-tolerance as decimal(24, 6)) as allowed_low,
        cast(tolerance as decimal(24, 6)) as allowed_high,
        case when missing_cells then null
             else cast(greatest(abs(lhs_value - rhs_value) - tolerance, 0) as decimal(24, 6))
        end as excess,
        {{ evaluation_status('lhs_value - rhs_value', 'tolerance', 'missing_cells') }} as status,
        table_code,
        row_code,
        row_label,
        column_label,
        source_location,
        participants,
        detail
    from unioned

)

select * from final

-- What a 功能分类 × 经济分类 pair table (北京's 支出总表) supports, per current budget: its pairs
-- summed (1) over the whole table against its own 合计 row, and (2) per 功能分类 类 against the
-- 收支总表's (Y01) line of that 类, which counts every fund as the pair table does; and (3)
-- `row_split`: on every pair row 合计 = 基本支出 + 项目支出 (the 其中 columns, 事业单位经营支出 …,
-- are parts of these, not added), one check per table: its worst row. The rounding
-- model is the audit's: each printed figure stands for ± half its last digit, so a difference
-- within the sum of those half-widths is `rounding`, beyond it `fail`. Where the other figure is
-- absent (收支总表 unreadable or not printed, no line for the 类) the check is `indeterminate`,
-- with the reason: never compared with 0.
with pairs as (

    select * from {{ ref('int_budget_function_economic_pairs') }}
    where {{ in_rebuild() }}

),

reports as (

    select report_id, unit_name, fiscal_year
    from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }} and is_current

),

cells as (

    select * from {{ ref('stg_raw__table_cells') }}
    where {{ in_rebuild() }}

),

report_tables as (

    select * from {{ ref('stg_raw__report_tables') }}
    where {{ in_rebuild() }}

),

-- the pair table's own 合计 row
table_totals as (

    select report_id, table_code, value_wan_yuan, rounding_half_width_wan_yuan, source_location
    from cells
    where row_key = 'total' and column_key = 'total'
        and table_code in (select table_code from {{ ref('table_grains') }})

),

-- the 收支总表's 支出 line of each 功能分类 类 (column group 1)
summary_classes as (

    select report_id, row_code, value_or_zero_wan_yuan as value_wan_yuan,
           coalesce(rounding_half_width_wan_yuan, 0) as half_width_wan_yuan, source_location
    from cells
    where table_code = 'Y01' and column_group = 1 and row_key = 'function_class'

),

summary_status as (

    select report_id, status, status_reason from report_tables where table_code = 'Y01'

),

by_table as (

    select report_id, table_code, 'total' as check_key, cast(null as varchar) as function_class_code,
           sum(coalesce(total_wan_yuan, 0)) as pairs_wan_yuan,
           sum(total_half_width_wan_yuan) as pairs_half_width_wan_yuan, count(*) as pair_rows,
           min_by(source_location, row_index) as first_pair_location
    from pairs
    group by report_id, table_code

),

by_class as (

    select report_id, table_code, 'class:' || left(function_code, 3) as check_key,
           left(function_code, 3) as function_class_code,
           sum(coalesce(total_wan_yuan, 0)) as pairs_wan_yuan,
           sum(total_half_width_wan_yuan) as pairs_half_width_wan_yuan, count(*) as pair_rows,
           min_by(source_location, row_index) as first_pair_location
    from pairs
    group by report_id, table_code, left(function_code, 3)

),

-- every pair row's 合计 against 基本支出 + 项目支出, within the rounding of its three figures
row_splits as (

    select
        c.report_id, c.table_code, c.row_index,
        max(case when c.column_key = 'total' then c.value_or_zero_wan_yuan end)
            - sum(case when c.column_key in ('basic', 'project') then c.value_or_zero_wan_yuan
                       else 0 end) as difference_wan_yuan,
        sum(case when c.column_key in ('total', 'basic', 'project')
                 then coalesce(c.rounding_half_width_wan_yuan, 0) else 0 end) as allowed_wan_yuan,
        max(case when c.column_key = 'total' then c.value_or_zero_wan_yuan end) as total_wan_yuan,
        max(case when c.column_key = 'total' then c.source_location end) as source_location
    from cells as c
    inner join pairs as p
        on p.report_id = c.report_id and p.table_code = c.table_code
        and p.row_index = c.row_index
    group by c.report_id, c.table_code, c.row_index

),

by_row_split as (

    select report_id, table_code, 'row_split' as check_key,
           cast(null as varchar) as function_class_code,
           sum(total_wan_yuan) as pairs_wan_yuan,
           sum(total_wan_yuan) - sum(difference_wan_yuan) as other_wan_yuan,
           count(*) as pair_rows,
           -- the worst row: the largest difference beyond its allowance
           arg_max(difference_wan_yuan, abs(difference_wan_yuan) - allowed_wan_yuan)
               as worst_difference_wan_yuan,
           arg_max(allowed_wan_yuan, abs(difference_wan_yuan) - allowed_wan_yuan)
               as worst_allowed_wan_yuan,
           arg_max(source_location, abs(difference_wan_yuan) - allowed_wan_yuan)
               as worst_location
    from row_splits
    group by report_id, table_code

),

compared as (

    select
        t.*, tt.value_wan_yuan as other_wan_yuan,
        coalesce(tt.rounding_half_width_wan_yuan, 0) as other_half_width_wan_yuan,
        tt.source_location as other_location,
        case when tt.report_id is null then 'the table prints no 合计 row' end as gap_reason
    from by_table as t
    left join table_totals as tt on tt.report_id = t.report_id and tt.table_code = t.table_code

    union all

    select
        c.*, sc.value_wan_yuan,
        coalesce(sc.half_width_wan_yuan, 0),
        sc.source_location,
        case
            when ss.report_id is null then '收支总表(Y01) not in the document'
            when ss.status = 'unreadable' then '收支总表(Y01) unreadable: '
                || coalesce(ss.status_reason, '')
            when ss.status <> 'present' then '收支总表(Y01) ' || ss.status
            when sc.report_id is null then '收支总表(Y01) prints no line for 类 '
                || c.function_class_code
        end
    from by_class as c
    left join summary_status as ss on ss.report_id = c.report_id
    left join summary_classes as sc
        on sc.report_id = c.report_id and sc.row_code = c.function_class_code
        and ss.status = 'present'

),

-- row_split: judged on its worst row
row_split_checks as (

    select
        report_id, table_code, check_key, function_class_code, pair_rows, pairs_wan_yuan,
        other_wan_yuan, worst_difference_wan_yuan as difference_wan_yuan,
        worst_allowed_wan_yuan as allowed_wan_yuan,
        {{ evaluation_status('worst_difference_wan_yuan', 'worst_allowed_wan_yuan', 'false') }}
            as status,
        cast(null as varchar) as gap_reason,
        worst_location as first_pair_location,
        worst_location as other_location
    from by_row_split

),

sums_checks as (

    select
        c.report_id, c.table_code, c.check_key, c.function_class_code, c.pair_rows,
        c.pairs_wan_yuan, c.other_wan_yuan,
        c.pairs_wan_yuan - c.other_wan_yuan as difference_wan_yuan,
        c.pairs_half_width_wan_yuan + c.other_half_width_wan_yuan as allowed_wan_yuan,
        {{ evaluation_status(
            'c.pairs_wan_yuan - c.other_wan_yuan',
            'c.pairs_half_width_wan_yuan + c.other_half_width_wan_yuan',
            'c.gap_reason is not null') }} as status,
        c.gap_reason,
        c.first_pair_location,
        c.other_location
    from compared as c

),

checks as (

    select * from sums_checks
    union all
    select * from row_split_checks

),

final as (

    select
        c.report_id || '|' || c.table_code || '|' || c.check_key as check_id,
        c.report_id,
        r.unit_name,
        r.fiscal_year,
        c.table_code,
        c.check_key,
        c.function_class_code,
        c.pair_rows,
        c.pairs_wan_yuan,
        c.other_wan_yuan,
        c.difference_wan_yuan,
        c.allowed_wan_yuan,
        c.status,
        c.gap_reason,
        c.first_pair_location,
        c.other_location
    from checks as c
    inner join reports as r on r.report_id = c.report_id

)

select * from final

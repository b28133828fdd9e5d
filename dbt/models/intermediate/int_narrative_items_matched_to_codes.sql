-- Each 项-level sentence of the 情况说明 matched to a 功能分类 code by its names, best evidence first:
--   1 table_path      the 类/款/项 names printed in the same report's table of that fund (05/07/08)
--   2 table_03_path   the same names in the report's 公开03表 (all funds)
--   3 registry_path   the names of the 功能分类 registry
--   4 table_leaf      the 项 (or 款) name alone, in the fund's table of the same report
--   5 registry_leaf   the 项 (or 款) name alone, in the registry under the same 类 name
--   6 table_leaf_suffix  one 项 name ends with the other (a renamed 项), in the fund's table, same 类
-- A rule only counts when it yields exactly one code. Sentences that match nothing are kept with a
-- null function_code; two sentences matching the same code keep the first and flag the second.
with items as (

    select * from {{ ref('int_narrative_items_pivoted') }}
    where {{ in_rebuild() }}

),

table_rows as (

    select * from {{ ref('int_function_rows_classified') }}
    where {{ in_rebuild() }}
        and function_code is not null
        and code_occurrence = 1

),

registry as (

    select * from {{ ref('stg_reference__function_codes') }}

),

fund_tables as (

    select * from (
        values
            ('general_budget', '05'),
            ('gov_fund', '07'),
            ('soe_capital', '08')
    ) as t (fund_type, table_code)

),

table_paths as (

    select
        leaf.report_id,
        leaf.table_code,
        leaf.function_code,
        leaf.function_level,
        leaf.function_name_normalized as leaf_name_normalized,
        class_row.function_name_normalized as class_name_normalized,
        case leaf.function_level
            when 1 then leaf.function_name_normalized
            when 2 then class_row.function_name_normalized || '/' || leaf.function_name_normalized
            when 3 then class_row.function_name_normalized
                || '/' || kuan_row.function_name_normalized
                || '/' || leaf.function_name_normalized
        end as path_normalized
    from table_rows as leaf
    left join table_rows as class_row
        on leaf.report_id = class_row.report_id
        and leaf.table_code = class_row.table_code
        and leaf.class_code = class_row.function_code
    left join table_rows as kuan_row
        on leaf.report_id = kuan_row.report_id
        and leaf.table_code = kuan_row.table_code
        and leaf.kuan_code = kuan_row.function_code

),

registry_paths as (

    select
        leaf.function_code,
        leaf.function_level,
        leaf.function_name_normalized as leaf_name_normalized,
        class_entry.function_name_normalized as class_name_normalized,
        case leaf.function_level
            when 1 then leaf.function_name_normalized
            when 2 then class_entry.function_name_normalized || '/' || leaf.function_name_normalized
            when 3 then class_entry.function_name_normalized
                || '/' || kuan_entry.function_name_normalized
                || '/' || leaf.function_name_normalized
        end as path_normalized
    from registry as leaf
    left join registry as class_entry
        on left(leaf.function_code, 3) = class_entry.function_code
    left join registry as kuan_entry
        on left(leaf.function_code, 5) = kuan_entry.function_code

),

candidates as (

    select items.report_id, items.fund_type, items.function_path_normalized,
        1 as priority, 'table_path' as match_method, table_paths.function_code
    from items
    inner join fund_tables on items.fund_type = fund_tables.fund_type
    inner join table_paths
        on items.report_id = table_paths.report_id
        and fund_tables.table_code = table_paths.table_code
        and items.function_path_normalized = table_paths.path_normalized

    union all

    select items.report_id, items.fund_type, items.function_path_normalized,
        2, 'table_03_path', table_paths.function_code
    from items
    inner join table_paths
        on items.report_id = table_paths.report_id
        and table_paths.table_code = '03'
        and items.function_path_normalized = table_paths.path_normalized

    union all

    select items.report_id, items.fund_type, items.function_path_normalized,
        3, 'registry_path', registry_paths.function_code
    from items
    inner join registry_paths
        on items.function_path_normalized = registry_paths.path_normalized

    union all

    select items.report_id, items.fund_type, items.function_path_normalized,
        4, 'table_leaf', table_paths.function_code
    from items
    inner join fund_tables on items.fund_type = fund_tables.fund_type
    inner join table_paths
        on items.report_id = table_paths.report_id
        and fund_tables.table_code = table_paths.table_code
        and items.leaf_name_normalized = table_paths.leaf_name_normalized
        and items.path_depth = table_paths.function_level

    union all

    select items.report_id, items.fund_type, items.function_path_normalized,
        5, 'registry_leaf', registry_paths.function_code
    from items
    inner join registry_paths
        on items.leaf_name_normalized = registry_paths.leaf_name_normalized
        and items.path_depth = registry_paths.function_level
        and items.class_name_normalized = registry_paths.class_name_normalized

    union all

    -- a 项 renamed in the text or the table ('归口管理的行政单位离退休' for '行政单位离退休'): one
    -- name ends with the other, in the fund's table of the same report, under the same 类
    select items.report_id, items.fund_type, items.function_path_normalized,
        6, 'table_leaf_suffix', table_paths.function_code
    from items
    inner join fund_tables on items.fund_type = fund_tables.fund_type
    inner join table_paths
        on items.report_id = table_paths.report_id
        and fund_tables.table_code = table_paths.table_code
        and items.path_depth = table_paths.function_level
        and left(table_paths.function_code, 3) = (
            select min(class_paths.function_code) from table_paths as class_paths
            where class_paths.report_id = items.report_id
                and class_paths.function_level = 1
                and starts_with(class_paths.leaf_name_normalized, items.class_name_normalized)
        )
        and least(length(items.leaf_name_normalized), length(table_paths.leaf_name_normalized)) >= 4
        and (ends_with(items.leaf_name_normalized, table_paths.leaf_name_normalized)
            or ends_with(table_paths.leaf_name_normalized, items.leaf_name_normalized))

),

unambiguous as (

    select
        report_id,
        fund_type,
        function_path_normalized,
        priority,
        any_value(match_method) as match_method,
        any_value(function_code) as function_code
    from candidates
    group by report_id, fund_type, function_path_normalized, priority
    having count(distinct function_code) = 1

),

best as (

    select
        report_id,
        fund_type,
        function_path_normalized,
        arg_min(function_code, priority) as function_code,
        arg_min(match_method, priority) as match_method
    from unambiguous
    group by report_id, fund_type, function_path_normalized

),

matched as (

    select
        items.*,
        best.function_code as matched_function_code,
        coalesce(best.match_method, 'unmatched') as match_method,
        row_number() over (
            partition by items.report_id, items.fund_type, best.function_code
            order by items.first_fact_id
        ) as match_occurrence
    from items
    left join best
        on items.report_id = best.report_id
        and items.fund_type = best.fund_type
        and items.function_path_normalized = best.function_path_normalized

),

final as (

    select
        *,
        -- the key used to line the sentence up with the table rows of its fund
        case
            when matched_function_code is not null and match_occurrence = 1
                then matched_function_code
            else 'path:' || function_path_normalized
        end as function_row_key,
        matched_function_code is not null and match_occurrence > 1 as is_duplicate_match
    from matched

)

select * from final

-- 财政拨款“三公”经费 per current report × item, with the document phase: a budget's 三公 table
-- (Y09: the 年初预算 approved in spring, and 机关运行经费 where the budget prints it beside 三公)
-- and a 决算's 公开09表 (预算数 - the adjusted full-year budget, its footnote says - and 决算数).
-- The two budgets are not the same figure: `budget_basis` says which one a row holds, so a
-- query comparing them (fct_* or int_audit__eval_documents, B.three_public_budget) knows that a
-- difference is a mid-year adjustment, not necessarily an error.
with registry as (

    select table_code, document_phase
    from {{ ref('public_tables') }}
    where table_code in ('09', 'Y09')

),

tables as (

    select report_id, table_code, status
    from {{ ref('stg_raw__report_tables') }}
    where {{ in_rebuild() }}
        and table_code in (select table_code from registry)

),

reports as (

    select report_id, unit_name, fiscal_year, report_kind, phase
    from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }} and not is_superseded

),

cells as (

    select cells.*
    from {{ ref('int_table_cells_joined_to_reports') }} as cells
    inner join registry on registry.table_code = cells.table_code
    where {{ in_rebuild() }}
        and cells.is_current
        and (cells.column_key like 'budget\_%' escape '\'
             or cells.column_key like 'final\_%' escape '\')

),

items as (

    select
        report_id,
        table_code,
        regexp_replace(column_key, '^(budget|final)_', '') as item_key,
        max(value_wan_yuan) filter (where column_key like 'budget\_%' escape '\')
            as budget_wan_yuan,
        max(value_wan_yuan) filter (where column_key like 'final\_%' escape '\')
            as final_wan_yuan,
        max(rounding_half_width_wan_yuan) filter (where column_key like 'budget\_%' escape '\')
            as budget_half_width_wan_yuan,
        arg_min(source_location, column_index) as source_location
    from cells
    group by all

),

final as (

    select
        items.report_id || '|' || items.table_code || '|' || items.item_key as three_public_id,
        items.report_id,
        reports.unit_name,
        reports.fiscal_year,
        reports.report_kind,
        reports.phase,
        items.table_code,
        items.item_key,
        tables.status as table_status,
        items.budget_wan_yuan,
        case reports.phase when '预算' then '年初预算' else '调整后全年预算' end as budget_basis,
        items.budget_half_width_wan_yuan,
        -- a budget has no 决算数: unknown, not 0
        case when reports.phase = '决算' then items.final_wan_yuan end as final_wan_yuan,
        items.source_location
    from items
    inner join reports on reports.report_id = items.report_id
    left join tables
        on tables.report_id = items.report_id and tables.table_code = items.table_code

)

select * from final

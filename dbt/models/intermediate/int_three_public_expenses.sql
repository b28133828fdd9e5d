-- 财政拨款“三公”经费 per report × item: 预算数 and 决算数 of 公开09表 next to the amounts and vehicle
-- counts stated in the 情况说明 (section 九). Items are the standard columns of 公开09表, with the
-- two subtotals (合计, 公务用车购置及运行维护费) flagged.
with items as (

    select * from (
        values
            ('total', '三公经费合计', '三公经费合计', cast(null as varchar), true, 0),
            ('outbound', '因公出国（境）费', '因公出国（境）费', 'total', false, 1),
            ('vehicle_total', '公务用车购置及运行维护费', '公务用车购置及运行维护费', 'total', true, 2),
            ('vehicle_purchase', '公务用车购置费', '公务用车购置费', 'vehicle_total', false, 3),
            ('vehicle_operation', '公务用车运行维护费', '公务用车运行维护费', 'vehicle_total', false, 4),
            ('reception', '公务接待费', '公务接待费', 'total', false, 5)
    ) as t (item_key, item_name, narrative_subject, parent_item_key, is_subtotal, sort_order)

),

reports as (

    select * from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }}

),

report_tables as (

    select * from {{ ref('stg_raw__report_tables') }}
    where {{ in_rebuild() }}
        and table_code = '09'

),

cells as (

    select * from {{ ref('int_table_cells_joined_to_reports') }}
    where {{ in_rebuild() }}
        and table_code = '09'

),

narrative as (

    select * from {{ ref('stg_raw__narrative_facts') }}
    where {{ in_rebuild() }}
        and fact_kind = 'three_public'

),

table_values as (

    select
        cells.report_id,
        regexp_replace(cells.column_key, '^(budget|final)_', '') as item_key,
        max(cells.value_wan_yuan) filter (where cells.column_key like 'budget\_%' escape '\')
            as budget_wan_yuan,
        min(cells.decimals) filter (where cells.column_key like 'budget\_%' escape '\')
            as budget_decimals,
        max(cells.value_wan_yuan) filter (where cells.column_key like 'final\_%' escape '\')
            as final_wan_yuan,
        min(cells.decimals) filter (where cells.column_key like 'final\_%' escape '\')
            as final_decimals,
        max(cells.unit_divisor) as unit_divisor,
        arg_min(cells.source_location, cells.column_index) filter (
            where cells.column_key like 'final\_%' escape '\') as source_location,
        min(cells.line_no) filter (where cells.column_key like 'final\_%' escape '\') as line_no,
        min(cells.page_no) as page_no
    from cells
    where cells.column_key like 'budget\_%' escape '\'
        or cells.column_key like 'final\_%' escape '\'
    group by all

),

stated as (

    select
        report_id,
        subject,
        arg_min(amount_wan_yuan, fact_id) filter (where metric = 'budget') as stated_budget_wan_yuan,
        arg_min(amount_wan_yuan, fact_id) filter (where metric = 'final') as stated_final_wan_yuan,
        arg_min(count_value, fact_id) filter (where metric = 'vehicles_purchased')
            as stated_vehicles_purchased,
        arg_min(count_value, fact_id) filter (where metric = 'vehicles_held')
            as stated_vehicles_held,
        arg_min(source_location, fact_id) as narrative_source_location,
        min(line_no) as narrative_line_no
    from narrative
    group by report_id, subject

),

final as (

    select
        reports.report_id || '|' || items.item_key as three_public_id,
        reports.report_id,
        reports.unit_name,
        reports.fiscal_year,
        reports.is_current,
        items.item_key,
        items.item_name,
        items.parent_item_key,
        items.is_subtotal,
        items.sort_order,
        coalesce(report_tables.status, 'missing') as table_status,
        table_values.budget_wan_yuan,
        table_values.final_wan_yuan,
        table_values.budget_decimals,
        table_values.final_decimals,
        table_values.unit_divisor,
        stated.stated_budget_wan_yuan,
        stated.stated_final_wan_yuan,
        cast(stated.stated_vehicles_purchased as integer) as stated_vehicles_purchased,
        cast(stated.stated_vehicles_held as integer) as stated_vehicles_held,
        coalesce(table_values.source_location, report_tables.source_location) as source_location,
        table_values.line_no,
        table_values.page_no,
        stated.narrative_source_location,
        stated.narrative_line_no
    from reports
    cross join items
    left join report_tables
        on reports.report_id = report_tables.report_id
    left join table_values
        on reports.report_id = table_values.report_id
        and items.item_key = table_values.item_key
    left join stated
        on reports.report_id = stated.report_id
        and items.narrative_subject = stated.subject

)

select * from final

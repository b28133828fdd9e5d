-- The 经济分类 rows of 公开06表 (一般公共预算财政拨款基本支出明细): one row per printed (code, name,
-- amount) group, with level, registry name and the 人员经费 / 公用经费 group it belongs to. The
-- cost group comes from the registry entry, else from the registry entry of its 类, else from the
-- side-by-side column group it was printed in (0 = 人员经费, others = 公用经费).
with cells as (

    select * from {{ ref('int_table_cells_joined_to_reports') }}
    where {{ in_rebuild() }}
        and table_code = '06'
        and row_key is null

),

registry as (

    select * from {{ ref('stg_reference__economic_codes') }}

),

rows as (

    select
        report_id,
        row_index,
        column_group,
        any_value(unit_name) as unit_name,
        any_value(fiscal_year) as fiscal_year,
        any_value(is_current) as is_current,
        max(row_code) as economic_code,
        max(row_label) as economic_name,
        max(row_label_normalized) as economic_name_normalized,
        max(value_wan_yuan) as amount_wan_yuan,
        count(*) as cell_count,
        count(*) filter (where column_key is null) as nonstandard_cell_count,
        min(decimals) as decimals,
        max(unit_divisor) as unit_divisor,
        max(rounding_half_width_wan_yuan) as rounding_half_width_wan_yuan,
        arg_min(source_location, column_index) as source_location,
        min(line_no) as line_no,
        min(page_no) as page_no
    from cells
    group by report_id, row_index, column_group

),

ranked as (

    select
        *,
        row_number() over (
            partition by report_id, economic_code order by column_group, row_index
        ) as code_occurrence,
        count(*) over (partition by report_id, economic_code) as code_count
    from rows

),

classified as (

    select
        ranked.report_id || '|'
            || coalesce(ranked.economic_code, 'g' || ranked.column_group || 'row' || ranked.row_index)
            || case when ranked.code_occurrence > 1 then '#' || ranked.code_occurrence else '' end
            as economic_row_id,
        ranked.report_id,
        ranked.unit_name,
        ranked.fiscal_year,
        ranked.is_current,
        ranked.row_index,
        ranked.column_group,
        coalesce(ranked.economic_code, 'g' || ranked.column_group || 'row' || ranked.row_index)
            || case when ranked.code_occurrence > 1 then '#' || ranked.code_occurrence else '' end
            as economic_row_key,
        ranked.economic_code,
        ranked.economic_name,
        coalesce(
            registry.economic_level,
            case length(ranked.economic_code) when 3 then 1 when 5 then 2 end
        ) as economic_level,
        case when length(ranked.economic_code) = 5 then left(ranked.economic_code, 3) end
            as class_code,
        coalesce(registry.cost_group, class_entry.cost_group,
            case when ranked.column_group = 0 then '人员经费' else '公用经费' end) as cost_group,
        case
            when registry.cost_group is not null then 'registry'
            when class_entry.cost_group is not null then 'registry_class'
            else 'table_column_group'
        end as cost_group_source,
        registry.economic_name as registry_name,
        registry.economic_code is not null as is_in_registry,
        registry.economic_code is not null
            and ranked.economic_name_normalized is distinct from registry.economic_name_normalized
            as is_name_mismatch,
        ranked.code_count > 1 and ranked.economic_code is not null as is_repeated_code,
        ranked.amount_wan_yuan,
        ranked.nonstandard_cell_count > 0 as has_nonstandard_columns,
        ranked.decimals,
        ranked.unit_divisor,
        ranked.rounding_half_width_wan_yuan,
        ranked.source_location,
        ranked.line_no,
        ranked.page_no
    from ranked
    left join registry
        on ranked.economic_code = registry.economic_code
    left join registry as class_entry
        on left(ranked.economic_code, 3) = class_entry.economic_code

),

final as (

    select * from classified

)

select * from final

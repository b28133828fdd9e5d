-- Every 功能分类 项 × 经济分类 pair a current budget prints in a table of that grain (北京's
-- 支出总表), with its 基本/项目 split as printed and where it is printed; the unit, year and
-- kind of the budget. 部门支出经济分类 codes as printed: a 款 (30101) or a 目 (3021101).
with pairs as (

    select * from {{ ref('int_budget_function_economic_pairs') }}
    where {{ in_rebuild() }}

),

reports as (

    select report_id, unit_name, fiscal_year, report_kind, phase
    from {{ ref('stg_raw__reports') }}
    where {{ in_rebuild() }} and is_current

),

joined as (

    select
        pairs.pair_row_id,
        pairs.report_id,
        reports.unit_name,
        reports.fiscal_year,
        reports.report_kind,
        pairs.table_code,
        pairs.row_index,
        pairs.function_code,
        pairs.function_name,
        left(pairs.function_code, 3) as function_class_code,
        pairs.economic_code,
        left(pairs.economic_code, 3) as economic_class_code,
        pairs.total_wan_yuan,
        pairs.basic_wan_yuan,
        pairs.project_wan_yuan,
        pairs.operating_wan_yuan,
        pairs.remit_upper_wan_yuan,
        pairs.subsidy_affiliated_wan_yuan,
        pairs.total_half_width_wan_yuan,
        pairs.source_location,
        pairs.page_no
    from pairs
    inner join reports on reports.report_id = pairs.report_id

),

final as (

    select * from joined

)

select * from final

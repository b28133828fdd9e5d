-- 功能分类 类-level spending of every unit side by side (公开03表, all funds), with each class's share
-- of the unit's total: which units spend where. 各单位按功能分类（类）的支出结构对比。
with expenditure as (

    select * from {{ ref('fct_expenditure_by_function') }}
    where is_current
        and source_table = '03'
        and function_level = 1

),

final as (

    select
        fiscal_year,
        unit_name,
        function_code,
        coalesce(registry_name, function_name) as function_name,
        total_wan_yuan,
        basic_wan_yuan,
        project_wan_yuan,
        cast(round(
            total_wan_yuan * 100 / nullif(sum(total_wan_yuan) over (partition by report_id), 0), 2
        ) as decimal(12, 2)) as share_of_unit_pct
    from expenditure

)

select * from final
order by fiscal_year, function_code, total_wan_yuan desc

-- Every amount column of the marts (*_wan_yuan) is DECIMAL: money is never a float.
-- 数据集市中所有金额列（*_wan_yuan）必须为 DECIMAL 类型。
-- depends_on: {{ ref('dim_reports') }}
-- depends_on: {{ ref('fct_expenditure_by_function') }}
-- depends_on: {{ ref('fct_income_by_function') }}
-- depends_on: {{ ref('fct_appropriations') }}
-- depends_on: {{ ref('fct_basic_expenditure_by_economic') }}
-- depends_on: {{ ref('fct_three_public_expenses') }}
-- depends_on: {{ ref('fct_performance_budgets') }}
-- depends_on: {{ ref('fct_performance_indicators') }}
-- depends_on: {{ ref('fct_unit_year_summary') }}
-- depends_on: {{ ref('fct_table_cells') }}
with columns as (

    select * from information_schema.columns

),

final as (

    select table_name, column_name, data_type
    from columns
    where table_schema = '{{ ref("fct_unit_year_summary").schema }}'
        and column_name like '%\_wan\_yuan' escape '\'
        and upper(data_type) not like 'DECIMAL%'

)

select * from final

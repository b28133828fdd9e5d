-- A 功能分类 code printed twice in one table is kept (key suffix '#2') but deserves a look.
-- 同一表中重复出现的功能分类编码（保留但提示）。
{{ config(severity='warn') }}

with function_rows as (

    select * from {{ ref('int_function_rows_classified') }}

),

final as (

    select report_id, table_code, function_code, count(*) as printed_times
    from function_rows
    where function_code is not null
    group by report_id, table_code, function_code
    having count(*) > 1

)

select * from final

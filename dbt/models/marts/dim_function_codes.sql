with registry as (

    select * from {{ ref('stg_reference__function_codes') }}

),

function_rows as (

    select * from {{ ref('int_function_rows_classified') }}

),

usage as (

    select
        function_code,
        count(distinct report_id) as reports_using
    from function_rows
    where function_code is not null
    group by function_code

),

final as (

    select
        registry.function_code,
        registry.function_name,
        registry.function_level,
        case registry.function_level when 1 then '类' when 2 then '款' when 3 then '项' end
            as level_name,
        registry.parent_code,
        left(registry.function_code, 3) as class_code,
        class_entry.function_name as class_name,
        case when registry.function_level >= 2 then left(registry.function_code, 5) end
            as kuan_code,
        kuan_entry.function_name as kuan_name,
        concat_ws('/',
            class_entry.function_name,
            case when registry.function_level >= 2 then kuan_entry.function_name end,
            case when registry.function_level = 3 then registry.function_name end
        ) as path_name,
        coalesce(usage.reports_using, 0) as reports_using
    from registry
    left join registry as class_entry
        on left(registry.function_code, 3) = class_entry.function_code
    left join registry as kuan_entry
        on left(registry.function_code, 5) = kuan_entry.function_code
        and registry.function_level >= 2
    left join usage
        on registry.function_code = usage.function_code

)

select * from final

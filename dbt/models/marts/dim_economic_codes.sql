with registry as (

    select * from {{ ref('stg_reference__economic_codes') }}

),

economic_rows as (

    select * from {{ ref('int_economic_rows_classified') }}

),

usage as (

    select
        economic_code,
        count(distinct report_id) as reports_using
    from economic_rows
    where economic_code is not null
    group by economic_code

),

final as (

    select
        registry.economic_code,
        registry.economic_name,
        registry.economic_level,
        registry.parent_code,
        registry.cost_group,
        coalesce(usage.reports_using, 0) as reports_using
    from registry
    left join usage
        on registry.economic_code = usage.economic_code

)

select * from final

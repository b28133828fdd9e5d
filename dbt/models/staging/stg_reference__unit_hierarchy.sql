-- grain: one row per member unit of a department whose consolidated report the audit checks
with source as (

    select * from {{ ref('unit_hierarchy') }}

),

final as (

    select
        cast(department_unit_name as varchar) as department_unit_name,
        cast(member_unit_name as varchar) as member_unit_name,
        cast(member_role as varchar) as member_role
    from source

)

select * from final

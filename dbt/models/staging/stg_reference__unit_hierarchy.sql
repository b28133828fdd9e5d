-- grain: one row per member unit of a department whose consolidated report the audit checks.
-- The registry seed, plus the hierarchy of a generated (or any other) corpus when
-- JUESUAN_UNIT_HIERARCHY names a CSV with the same columns (`juesuan run --hierarchy FILE`).
{{ config(materialized='table') }}
{%- set extra = env_var('JUESUAN_UNIT_HIERARCHY', '') %}
with source as (

    select department_unit_name, member_unit_name, member_role from {{ ref('unit_hierarchy') }}
    {%- if extra %}
    union
    select department_unit_name, member_unit_name, member_role
    -- the path is data, not SQL: quotes doubled, so no path can close the literal
    from read_csv('{{ extra | replace("'", "''") }}', header = true, all_varchar = true)
    {%- endif %}

),

final as (

    select distinct
        cast(department_unit_name as varchar) as department_unit_name,
        cast(member_unit_name as varchar) as member_unit_name,
        cast(member_role as varchar) as member_role
    from source

)

select * from final

-- grain: one row per finding (see int_audit__findings); the interface BI reads.
with findings as (

    select * from {{ ref('int_audit__findings') }}
    where {{ in_rebuild() }}

),

final as (

    select * from findings

)

select * from final

with source as (

    select * from {{ source('raw', 'performance_evaluations') }}

),

final as (

    select * from source

)

select * from final

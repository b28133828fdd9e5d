with source as (

    select * from {{ source('raw', 'reports') }}

),

final as (

    select * from source

)

select * from final

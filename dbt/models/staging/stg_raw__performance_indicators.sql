with source as (

    select * from {{ source('raw', 'performance_indicators') }}

),

final as (

    select * from source

)

select * from final

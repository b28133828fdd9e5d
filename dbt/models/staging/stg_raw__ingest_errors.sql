with source as (

    select * from {{ source('raw', 'ingest_errors') }}

),

final as (

    select * from source

)

select * from final

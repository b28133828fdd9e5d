with source as (

    select * from {{ source('raw', 'table_cells') }}

),

final as (

    select * from source

)

select * from final

with source as (

    select * from {{ source('raw', 'report_tables') }}

),

final as (

    select * from source

)

select * from final

with source as (

    select * from {{ source('raw', 'narrative_facts') }}

),

final as (

    select * from source

)

select * from final

with source as (

    select * from {{ source('raw', 'build_queue') }}

),

renamed as (

    select
        report_id,
        queued_at
    from source

),

final as (

    select * from renamed

)

select * from final

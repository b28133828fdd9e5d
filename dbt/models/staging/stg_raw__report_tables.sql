with source as (

    select * from {{ source('raw', 'report_tables') }}

),

renamed as (

    select
        report_id,
        table_code,
        report_id || '|' || table_code as report_table_id,
        table_title,
        status,
        declaration,
        amount_unit,
        row_count,
        cell_count,
        source_location
    from source

),

final as (

    select * from renamed

)

select * from final

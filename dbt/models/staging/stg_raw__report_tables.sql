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
        -- why a table is missing or unreadable, with where: the audit quotes it in every
        -- identity the table leaves undecided
        status_reason,
        -- present and declared-empty tables are read (declared empty is a real zero); a
        -- missing or unreadable one is not, and nothing may stand in for its amounts
        status in ('present', 'declared_empty') as is_read,
        -- must the document print it: its template's say (null: loaded before templates)
        is_required,
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

with source as (

    select * from {{ source('raw', 'performance_indicators') }}

),

renamed as (

    select
        report_id || '|' || evaluation_index || '|' || indicator_index as indicator_id,
        report_id || '|' || evaluation_index as evaluation_id,
        report_id,
        evaluation_index,
        indicator_index,
        nullif(trim(goal), '') as goal,
        nullif(regexp_replace(level1, '[\s\x{3000}]+', '', 'g'), '') as level1,
        nullif(regexp_replace(level2, '[\s\x{3000}]+', '', 'g'), '') as level2,
        trim(level3, E' \t\n\r　') as level3,
        nullif(trim(target_text, E' \t\n\r　'), '') as target_text,
        nullif(trim(actual_text, E' \t\n\r　'), '') as actual_text,
        nullif(trim(deviation_reason, E' \t\n\r　'), '') as deviation_reason,
        source_location,
        line_no,
        page_no
    from source

),

final as (

    select * from renamed

)

select * from final

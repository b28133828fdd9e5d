-- grain: one row per problem met reading or loading a file (error_id): a file that could not
-- be loaded at all (is_fatal: it has no report, so no report_id) or a report loaded without
-- some of its tables. Rebuilt whole: small, and a failed file belongs to no report to rebuild.
with errors as (

    select * from {{ ref('stg_raw__ingest_errors') }}

),

final as (

    select
        error_id,
        file_name,
        file_path,
        error_kind,
        message,
        source_location,
        is_fatal,
        recorded_at
    from errors

)

select * from final

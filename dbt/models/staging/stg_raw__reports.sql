with source as (

    select * from {{ source('raw', 'reports') }}

),

renamed as (

    select
        report_id,
        sha256,
        file_name,
        file_path,
        file_format,
        encoding,
        pages,
        trim(unit_name) as unit_name,
        fiscal_year,
        report_kind,
        -- 预算 (the budget approved in spring) or 决算 (the final accounts): the document phase
        right(report_kind, 2) as phase,
        subordinate_units,
        revision,
        is_superseded,
        superseded_by,
        not is_superseded as is_current,
        loaded_at
    from source

),

final as (

    select * from renamed

)

select * from final

with source as (

    select * from {{ source('raw', 'performance_evaluations') }}

),

renamed as (

    select
        report_id || '|' || evaluation_index as evaluation_id,
        report_id,
        evaluation_index,
        evaluation_kind,
        trim(project_name) as project_name,
        nullif(
            regexp_replace(
                translate(project_name, '（）［］【】０１２３４５６７８９', '()[][]0123456789'),
                '[\s\x{3000}]+', '', 'g'),
            '') as project_name_normalized,
        budget_wan_yuan,
        executed_wan_yuan,
        budget_decimals,
        executed_decimals,
        stated_rate_pct,
        rate_decimals,
        basic_total_wan_yuan,
        project_total_wan_yuan,
        basic_total_decimals,
        project_total_decimals,
        nullif(trim(deviation_reason), '') as deviation_reason,
        funds_total_label,
        funds_total_wan_yuan,
        funds_total_decimals,
        fiscal_wan_yuan,
        fiscal_decimals,
        carryover_wan_yuan,
        carryover_decimals,
        other_wan_yuan,
        other_decimals,
        coalesce(funds_unnamed_lines, 0) as funds_unnamed_lines,
        initial_budget_wan_yuan,
        initial_budget_decimals,
        source_location,
        line_no,
        page_no
    from source

),

final as (

    select * from renamed

)

select * from final

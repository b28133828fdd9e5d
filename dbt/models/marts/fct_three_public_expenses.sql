with three_public as (

    select * from {{ ref('int_three_public_expenses') }}
    where {{ in_rebuild() }}

),

final as (

    select
        three_public_id,
        report_id,
        unit_name,
        fiscal_year,
        is_current,
        item_key,
        item_name,
        parent_item_key,
        is_subtotal,
        sort_order,
        table_status,
        budget_wan_yuan,
        final_wan_yuan,
        stated_budget_wan_yuan,
        stated_final_wan_yuan,
        stated_vehicles_purchased,
        stated_vehicles_held,
        budget_decimals,
        final_decimals,
        unit_divisor,
        case
            when final_decimals is not null
                then cast(0.5 / (pow(10, final_decimals) * unit_divisor) as decimal(20, 10))
        end as rounding_half_width_wan_yuan,
        source_location,
        line_no,
        page_no,
        narrative_source_location,
        narrative_line_no
    from three_public

)

select * from final

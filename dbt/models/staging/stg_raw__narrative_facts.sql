-- One row per number stated in the 情况说明, with the 类/款/项 names of 项-level sentences split
-- out and normalised for matching against the tables and the registry.
with source as (

    select * from {{ source('raw', 'narrative_facts') }}

),

renamed as (

    select
        report_id || '|' || fact_id as narrative_fact_id,
        report_id,
        fact_id,
        section,
        fact_kind,
        subject,
        function_path,
        nullif(
            regexp_replace(
                translate(function_path, '（）［］【】０１２３４５６７８９', '()[][]0123456789'),
                '[\s\x{3000}]+', '', 'g'),
            '') as function_path_normalized,
        -- the fund whose spending the sentence is about, from the 情况说明 heading it sits under
        case
            when section like '%政府性基金%' then 'gov_fund'
            when section like '%国有资本经营%' then 'soe_capital'
            when section like '%一般公共预算%' then 'general_budget'
        end as section_fund_type,
        metric,
        amount_wan_yuan,
        -- the unit the amount was stated in (万元, or 元: amount_wan_yuan is then a ten-thousandth)
        amount_unit,
        percent,
        count_value,
        decimals,
        case
            when decimals is not null and amount_wan_yuan is not null
                then cast(0.5 / pow(10, decimals) as decimal(20, 10))
        end as rounding_half_width_wan_yuan,
        direction,
        reason,
        printed_text,
        sentence,
        source_location,
        line_no,
        page_no
    from source

),

final as (

    select * from renamed

)

select * from final

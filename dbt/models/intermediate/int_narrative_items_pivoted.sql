-- The 项-level sentences of the 情况说明 ("…（类）…（款）…（项）。年初预算为…，支出决算为…，完成年初
-- 预算的…%") pivoted to one row per report × fund × function path, with the path split into its
-- 类 / 款 / 项 names. A path stated twice keeps its first statement.
with facts as (

    select * from {{ ref('stg_raw__narrative_facts') }}
    where {{ in_rebuild() }}
        and fact_kind = 'item'
        and function_path_normalized is not null

),

pivoted as (

    select
        report_id,
        coalesce(section_fund_type, 'general_budget') as fund_type,
        function_path_normalized,
        arg_min(function_path, fact_id) as function_path,
        arg_min(section, fact_id) as section,
        arg_min(amount_wan_yuan, fact_id) filter (where metric = 'initial_budget')
            as initial_budget_wan_yuan,
        arg_min(decimals, fact_id) filter (where metric = 'initial_budget') as initial_budget_decimals,
        arg_min(amount_wan_yuan, fact_id) filter (where metric = 'final') as stated_final_wan_yuan,
        arg_min(decimals, fact_id) filter (where metric = 'final') as stated_final_decimals,
        arg_min(percent, fact_id) filter (where metric = 'completion_pct') as stated_completion_pct,
        arg_min(decimals, fact_id) filter (where metric = 'completion_pct')
            as stated_completion_decimals,
        arg_min(direction, fact_id) as stated_direction,
        arg_min(reason, fact_id) as stated_reason,
        arg_min(sentence, fact_id) as sentence,
        arg_min(source_location, fact_id) as source_location,
        min(line_no) as line_no,
        min(page_no) as page_no,
        min(fact_id) as first_fact_id
    from facts
    group by report_id, coalesce(section_fund_type, 'general_budget'), function_path_normalized

),

split as (

    select
        report_id || '|' || fund_type || '|' || function_path_normalized as narrative_item_id,
        *,
        len(string_split(function_path_normalized, '/')) as path_depth,
        split_part(function_path_normalized, '/', 1) as class_name_normalized,
        nullif(split_part(function_path_normalized, '/', 2), '') as kuan_name_normalized,
        nullif(split_part(function_path_normalized, '/', 3), '') as item_name_normalized,
        string_split(function_path_normalized, '/')[-1] as leaf_name_normalized
    from pivoted

),

final as (

    select * from split

)

select * from final

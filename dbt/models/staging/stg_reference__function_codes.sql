-- grain: one row per 功能分类科目 code of the registry (seeds/reference/function_codes.csv).
with registry as (

    select
        function_code,
        function_name,
        cast(function_level as integer) as function_level,
        nullif(parent_code, '') as parent_code
    from {{ ref('function_codes') }}

),

final as (

    select
        function_code,
        trim(function_name) as function_name,
        nullif(
            regexp_replace(
                translate(function_name, '（）［］【】０１２３４５６７８９', '()[][]0123456789'),
                '[\s\x{3000}]+', '', 'g'),
            '') as function_name_normalized,
        function_level,
        parent_code
    from registry

)

select * from final

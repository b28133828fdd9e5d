-- grain: one row per 经济分类科目 code of the registry (seeds/reference/economic_codes.csv).
with registry as (

    select
        economic_code,
        economic_name,
        cast(economic_level as integer) as economic_level,
        nullif(parent_code, '') as parent_code,
        cost_group
    from {{ ref('economic_codes') }}

),

final as (

    select
        economic_code,
        trim(economic_name) as economic_name,
        nullif(
            regexp_replace(
                translate(economic_name, '（）［］【】０１２３４５６７８９', '()[][]0123456789'),
                '[\s\x{3000}]+', '', 'g'),
            '') as economic_name_normalized,
        economic_level,
        parent_code,
        cost_group
    from registry

)

select * from final

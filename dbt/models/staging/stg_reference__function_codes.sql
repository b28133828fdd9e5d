-- grain: one row per 功能分类科目 code of the registry (seeds/reference/function_codes.csv).
with registry as (

    select
        function_code,
        function_name,
        cast(function_level as integer) as function_level,
        nullif(parent_code, '') as parent_code,
        name_aliases
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
        parent_code,
        -- former or alternative names: 'name' or 'name@YYYY-YYYY' (the years it was in use,
        -- either end open), separated by ';'
        coalesce(list_transform(
            list_filter(string_split(coalesce(name_aliases, ''), ';'), lambda a: trim(a) <> ''),
            lambda a: struct_pack(
                name_normalized := regexp_replace(
                    translate(trim(split_part(a, '@', 1)), '（）［］【】', '()[][]'), '[\s\x{3000}]+', '', 'g'),
                first_year := try_cast(nullif(split_part(split_part(a, '@', 2), '-', 1), '') as integer),
                last_year := try_cast(nullif(split_part(split_part(a, '@', 2), '-', 2), '') as integer))),
            []) as name_aliases
    from registry

)

select * from final

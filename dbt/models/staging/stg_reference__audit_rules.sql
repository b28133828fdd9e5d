-- grain: one row per audit rule of the catalogue (expectations/catalogue/audit_rules.csv)
with source as (

    select * from {{ ref('audit_rules') }}

),

final as (

    select
        rule_id,
        family as rule_family,
        template,
        severity,
        lhs,
        rhs,
        nullif(condition, '') as condition,
        description_zh,
        description_en
    from source

)

select * from final

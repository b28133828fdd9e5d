-- grain: one row per current report × rule × instance: every identity evaluated, with its
-- residual (difference), the interval rounding allows, the excess beyond it and its status
-- (pass | rounding | fail | indeterminate). The GX suites validate this frame.
with unioned as (

    select * from {{ ref('int_audit__eval_sums') }}
    where {{ in_rebuild() }}
    union all by name
    select * from {{ ref('int_audit__eval_rows') }}
    where {{ in_rebuild() }}
    union all by name
    select * from {{ ref('int_audit__eval_narrative') }}
    where {{ in_rebuild() }}
    union all by name
    select * from {{ ref('int_audit__eval_performance') }}
    where {{ in_rebuild() }}
    union all by name
    select * from {{ ref('int_audit__eval_across') }}
    where {{ in_rebuild() }}
    union all by name
    select * from {{ ref('int_audit__eval_statements') }}
    where {{ in_rebuild() }}
    union all by name
    select * from {{ ref('int_audit__eval_documents') }}
    where {{ in_rebuild() }}

),

rules as (

    select * from {{ ref('stg_reference__audit_rules') }}

),

final as (

    select
        md5(concat_ws('|', u.report_id, u.rule_id, u.instance_key)) as evaluation_id,
        u.report_id,
        u.rule_id,
        rules.rule_family,
        rules.severity as rule_severity,
        u.instance_key,
        u.value_unit,
        cast(u.lhs_value as decimal(24, 6)) as lhs_value,
        cast(u.rhs_value as decimal(24, 6)) as rhs_value,
        cast(u.difference as decimal(24, 6)) as difference,
        cast(u.allowed_low as decimal(24, 6)) as allowed_low,
        cast(u.allowed_high as decimal(24, 6)) as allowed_high,
        cast(u.excess as decimal(24, 6)) as excess,
        u.status,
        u.table_code,
        u.row_code,
        u.row_label,
        u.column_label,
        u.source_location,
        u.participants,
        u.detail
    from unioned as u
    inner join rules on rules.rule_id = u.rule_id

)

select * from final

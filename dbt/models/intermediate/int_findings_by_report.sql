-- grain: one row per report × severity: the number of audit findings (int_audit__findings).
-- fct_unit_year_summary reads it; an `info` finding is one rolled-up line per table.
with findings as (

    select * from {{ ref('int_audit__findings') }}
    where {{ in_rebuild() }}

),

final as (

    select
        report_id,
        severity,
        count(*) as finding_count
    from findings
    group by report_id, severity

)

select * from final

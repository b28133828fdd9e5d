-- int_findings_by_report: one row per report × severity. 每份报告每个严重程度只能有一行。
with findings as (

    select * from {{ ref('int_findings_by_report') }}

),

final as (

    select report_id, severity, count(*) as rows_per_key
    from findings
    group by report_id, severity
    having count(*) > 1

)

select * from final

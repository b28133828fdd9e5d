-- grain: one row per report an incremental build recomputes (report_id): the queued reports,
-- every revision of their unit × year (a new revision supersedes the old), the same unit's
-- next year (its 上年 identities read this year's 01表), and the departments the queued
-- reports belong to (their consolidation is checked against their members' reports).
-- Always a whole table: it is small, and the incremental models filter on it.
{{ config(materialized='table') }}
with queue as (

    select * from {{ ref('stg_raw__build_queue') }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

hierarchy as (

    select * from {{ ref('stg_reference__unit_hierarchy') }}

),

queued_unit_years as (

    select distinct reports.unit_name, reports.fiscal_year
    from queue
    inner join reports on reports.report_id = queue.report_id

),

revisions as (

    select reports.report_id
    from reports
    inner join queued_unit_years as q
        on q.unit_name = reports.unit_name and q.fiscal_year = reports.fiscal_year

),

next_years as (

    select reports.report_id
    from reports
    inner join queued_unit_years as q
        on q.unit_name = reports.unit_name and reports.fiscal_year = q.fiscal_year + 1

),

departments as (

    select reports.report_id
    from queued_unit_years as q
    inner join hierarchy on hierarchy.member_unit_name = q.unit_name
    inner join reports
        on reports.unit_name = hierarchy.department_unit_name
        and reports.fiscal_year = q.fiscal_year

),

final as (

    select report_id from revisions
    union
    select report_id from next_years
    union
    select report_id from departments

)

select * from final

-- grain: one row per finding × printed cell it compares (finding_id, cell_id): the page, line
-- and full bounding box a viewer needs to frame each cell on the source page. The cells are
-- the identity's participants, read across reports (a cell of last year's or a member unit's
-- report names that report), so the cells table is not limited to the rebuilt reports.
with evaluations as (

    select * from {{ ref('int_audit__evaluations') }}
    where {{ in_rebuild() }}

),

cells as (

    select * from {{ ref('int_table_cells_joined_to_reports') }}

),

reports as (

    select * from {{ ref('stg_raw__reports') }}

),

compared as (

    -- the evaluations audit_findings turns into one finding each (finding_id = evaluation_id);
    -- the rounding rollup compares no single cell
    select distinct finding_id, report_id, cell_id
    from (
        select evaluation_id as finding_id, report_id, unnest(participants) as cell_id
        from evaluations
        where status in ('fail', 'indeterminate')
    )

),

final as (

    select
        compared.finding_id || '|' || compared.cell_id as finding_cell_id,
        compared.finding_id,
        compared.report_id,
        compared.cell_id,
        cells.report_id as cell_report_id,
        reports.file_name,
        reports.file_path,
        reports.file_format,
        cells.table_code,
        cells.row_label,
        cells.column_label,
        cells.printed_text,
        cells.source_location,
        cells.line_no,
        cells.page_no,
        cells.bbox_x0,
        cells.bbox_top,
        cells.bbox_x1,
        cells.bbox_bottom
    from compared
    -- narrative and 绩效 values are participants too; only table cells have a printed box
    inner join cells on cells.cell_id = compared.cell_id
    inner join reports on reports.report_id = cells.report_id

)

select * from final

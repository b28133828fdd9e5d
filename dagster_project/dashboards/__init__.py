"""The dashboards: a Streamlit app over the published BI file (`make dashboards`), and a static
HTML export of its comparison views (`juesuan export-dashboard DIR`). They read only the BI
file (dagster_project/publish.py), one read-only connection per query, never the warehouse."""

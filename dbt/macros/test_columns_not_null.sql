{#- Every listed column of a model is non-null, in one query: a not_null test per column was
    ~100 more dbt nodes, each a query and a round of dbt's own overhead, on every build. A
    failing row shows which of its columns are null. -#}
{% test columns_not_null(model, columns) %}

select
    {%- for column in columns %}
    {{ column }} is null as {{ column }}_is_null{{ "," if not loop.last }}
    {%- endfor %}
from {{ model }}
where
    {%- for column in columns %}
    {{ "or " if not loop.first }}{{ column }} is null
    {%- endfor %}

{% endtest %}

{#- One amount column per canonical column key of a table's cells grouped by row:
    `max(case when column_key = 'basic' then value_wan_yuan end) as basic_wan_yuan`, … -#}
{% macro amounts_by_column_key(keys) -%}
    {%- for key in keys %}
        max(case when column_key = '{{ key }}' then value_wan_yuan end) as {{ key }}_wan_yuan
        {{- "," if not loop.last }}
    {%- endfor %}
{%- endmacro %}

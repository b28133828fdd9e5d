{#- Half the rounding step of a printed number: a value printed with d decimals lies within
    ± 0.5·10^-d of what is printed (in the printed unit; 元 values are converted to 万元). Literal
    decimals on purpose: power() would go through DOUBLE. -#}
{% macro half_width(decimals, unit_divisor='1') -%}
    cast(case
        when {{ decimals }} is null then 0
        else (case {{ decimals }}
                when 0 then 0.5 when 1 then 0.05 when 2 then 0.005 when 3 then 0.0005
                when 4 then 0.00005 when 5 then 0.000005 else 0.0000005 end)
             * (case when {{ unit_divisor }} = 10000 then 0.0001 else 1 end)
    end as decimal(24, 12))
{%- endmacro %}

{#- num / den × 100 in DECIMAL (DuckDB's DECIMAL division returns DOUBLE): exact scaled
    integer division, truncated at 10^-8 percent. Null when den is zero. -#}
{% macro pct_of(num, den) -%}
    case when {{ den }} = 0 then null else
        cast(
            (cast(round(({{ num }}) * 1000000, 0) as hugeint) * cast(10000000000 as hugeint))
            // cast(round(({{ den }}) * 1000000, 0) as hugeint)
        as decimal(38, 0)) * cast(0.00000001 as decimal(38, 8))
    end
{%- endmacro %}

{#- The common columns of every identity evaluation. -#}
{% macro evaluation_status(difference, tolerance, missing) -%}
    case
        when {{ missing }} then 'indeterminate'
        when abs({{ difference }}) = 0 then 'pass'
        when abs({{ difference }}) <= {{ tolerance }} then 'rounding'
        else 'fail'
    end
{%- endmacro %}

{#- The columns of an identity checked within ± tolerance (lhs_value, rhs_value, tolerance and
    missing_cells in scope): its difference, interval, excess beyond it and status. -#}
{% macro symmetric_evaluation_columns() -%}
        lhs_value - rhs_value as difference,
        -tolerance as allowed_low,
        tolerance as allowed_high,
        case when missing_cells then null
             else greatest(abs(lhs_value - rhs_value) - tolerance, 0) end as excess,
        {{ evaluation_status('lhs_value - rhs_value', 'tolerance', 'missing_cells') }} as status
{%- endmacro %}

{#- Does a difference inside [low, high] hold only thanks to rounding? An end at ±1e9 (or
    beyond ±1e8) is open: a one-sided bound ("实际 ≥ 目标", "调整率低于5%") that holds on its open
    side holds by the numbers themselves, with room to spare; only a difference on the side
    where the end is a rounding interval holds because of rounding. -#}
{% macro needs_rounding(difference, low, high) -%}
    (({{ difference }} > 0 and {{ high }} < 100000000)
     or ({{ difference }} < 0 and {{ low }} > -100000000))
{%- endmacro %}

{#- A DECIMAL as text without trailing zeros: 512.240000 → 512.24. -#}
{% macro fmt_num(x) -%}
    regexp_replace(regexp_replace(cast({{ x }} as varchar), '(\.\d*?)0+$', '\1'), '\.$', '')
{%- endmacro %}

{#- The interval rounding allows, with open ends for one-sided claims. -#}
{% macro fmt_interval(low, high) -%}
    '[' || case when {{ low }} <= -100000000 then '-∞' else {{ fmt_num(low) }} end || ', '
        || case when {{ high }} >= 100000000 then '+∞' else {{ fmt_num(high) }} end || ']'
{%- endmacro %}

{#- A table's name in a finding: a 决算's 公开05表, a budget's 预算05表 (registry code Y05: the
    budget tables are numbered by the 决算 table whose kind they are). -#}
{% macro table_label(code) -%}
    (case when starts_with({{ code }}, 'Y') then '预算' || substr({{ code }}, 2) || '表'
          else '公开' || {{ code }} || '表' end)
{%- endmacro %}

{#- Small cross-database helpers: DuckDB and PostgreSQL, through adapter.dispatch where they differ. -#}

{#- The adapter's JSON type: staging casts every JSON column to it. -#}
{% macro json_type() %}{{ return(adapter.dispatch('json_type', 'status_analytics')()) }}{% endmacro %}
{% macro default__json_type() %}json{% endmacro %}
{% macro postgres__json_type() %}jsonb{% endmacro %}

{#- A loaded JSON column as the adapter's JSON type; target-postgres stores lists as jsonb[]. -#}
{% macro as_json(expression) %}{{ return(adapter.dispatch('as_json', 'status_analytics')(expression)) }}{% endmacro %}
{% macro default__as_json(expression) %}cast({{ expression }} as json){% endmacro %}
{% macro postgres__as_json(expression) %}to_jsonb({{ expression }}){% endmacro %}

{#- FROM-clause fragment: one row per element of a JSON array column, the element named `element`. -#}
{% macro json_elements(expression, alias) %}{{ return(adapter.dispatch('json_elements', 'status_analytics')(expression, alias)) }}{% endmacro %}
{% macro default__json_elements(expression, alias) -%}
unnest(cast({{ expression }} as json[])) as {{ alias }}(element)
{%- endmacro %}
{% macro postgres__json_elements(expression, alias) -%}
jsonb_array_elements(case when jsonb_typeof({{ expression }}) = 'array' then {{ expression }} else '[]'::jsonb end) as {{ alias }}(element)
{%- endmacro %}

{#- Exact seconds (with fractions) from `start` to `finish`, two timestamps. -#}
{% macro seconds_between(start, finish) %}{{ return(adapter.dispatch('seconds_between', 'status_analytics')(start, finish)) }}{% endmacro %}
{% macro default__seconds_between(start, finish) -%}
(cast(epoch_ms({{ finish }}) - epoch_ms({{ start }}) as double) / 1000.0)
{%- endmacro %}
{% macro postgres__seconds_between(start, finish) -%}
cast(extract(epoch from ({{ finish }}) - ({{ start }})) as double precision)
{%- endmacro %}

{#- The continuous percentile `fraction` (0.5: median) of `expression` in a group. -#}
{% macro percentile(expression, fraction) %}{{ return(adapter.dispatch('percentile', 'status_analytics')(expression, fraction)) }}{% endmacro %}
{% macro default__percentile(expression, fraction) -%}
quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}
{% macro postgres__percentile(expression, fraction) -%}
percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{#- Timestamps are loaded as UTC without a zone: the same instant on the wall clock of `zone`. -#}
{% macro utc_to_local(expression, zone) -%}
((({{ expression }}) at time zone 'UTC') at time zone ({{ zone }}))
{%- endmacro %}

{#- A wall-clock time of `zone` as UTC without a zone. -#}
{% macro local_to_utc(expression, zone) -%}
((({{ expression }}) at time zone ({{ zone }})) at time zone 'UTC')
{%- endmacro %}

{#- The later and the earlier of two expressions. -#}
{% macro later(a, b) %}greatest({{ a }}, {{ b }}){% endmacro %}
{% macro earlier(a, b) %}least({{ a }}, {{ b }}){% endmacro %}

{#- Number of elements of a JSON array (0 when it is null or not an array). -#}
{% macro json_length(expression) %}{{ return(adapter.dispatch('json_length', 'status_analytics')(expression)) }}{% endmacro %}
{% macro default__json_length(expression) -%}
coalesce(case when json_type({{ expression }}) = 'ARRAY' then json_array_length({{ expression }}) end, 0)
{%- endmacro %}
{% macro postgres__json_length(expression) -%}
coalesce(case when jsonb_typeof({{ expression }}) = 'array' then jsonb_array_length({{ expression }}) end, 0)
{%- endmacro %}

{#- A JSON member as text, null when missing or JSON null. -#}
{% macro json_text(expression, key) -%}
({{ expression }} ->> '{{ key }}')
{%- endmacro %}

{#- A JSON member as JSON text ('"a"', 'true', '3'), null when missing or JSON null. -#}
{% macro json_member_text(expression, key) -%}
nullif(cast({{ expression }} -> '{{ key }}' as {{ dbt.type_string() }}), 'null')
{%- endmacro %}

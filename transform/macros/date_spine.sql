{#-
  Every day from `start_date` to `end_date` (both included, two date expressions), as `day`,
  for at most 10^digits days: integers from cross joined digits, no generate_series differences.
-#}
{% macro date_spine(start_date, end_date, digits=5) -%}
with digit as (
    select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
    union all select 5 union all select 6 union all select 7 union all select 8 union all select 9
),
offsets as (
    select
    {%- for position in range(digits) %}
        d{{ position }}.d * {{ 10 ** position }}{{ " +" if not loop.last }}
    {%- endfor %} as day_offset
    from {% for position in range(digits) %}digit as d{{ position }}{{ ", " if not loop.last }}{% endfor %}
),
bounds as (
    select cast({{ start_date }} as date) as first_day, cast({{ end_date }} as date) as last_day
)
select cast({{ dbt.dateadd('day', 'offsets.day_offset', 'bounds.first_day') }} as date) as day
from offsets
cross join bounds
where offsets.day_offset <= {{ dbt.datediff('bounds.first_day', 'bounds.last_day', 'day') }}
{%- endmacro %}

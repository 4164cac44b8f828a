{#- The vendors' component statuses in one vocabulary: operational, degraded, partial_outage,
    major_outage, maintenance (Statuspage snake_case, Instatus upper case without separators). -#}
{% macro normalise_status(expression) -%}
case replace(lower({{ expression }}), '_', '')
    when 'operational' then 'operational'
    when 'degradedperformance' then 'degraded'
    when 'partialoutage' then 'partial_outage'
    when 'majoroutage' then 'major_outage'
    when 'undermaintenance' then 'maintenance'
    else lower({{ expression }})
end
{%- endmacro %}

{#- Which status wins where windows overlap. -#}
{% macro status_severity(status) -%}
case {{ status }}
    when 'major_outage' then 4
    when 'partial_outage' then 3
    when 'degraded' then 2
    when 'maintenance' then 1
    else 0
end
{%- endmacro %}

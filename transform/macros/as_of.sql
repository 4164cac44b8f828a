{#- "Now" of the status marts: the `as_of` var (UTC) or the current time, as UTC without a zone. -#}
{% macro as_of() -%}
{%- if var('as_of') is none -%}
cast(current_timestamp at time zone 'UTC' as timestamp)
{%- else -%}
cast('{{ var("as_of") }}' as timestamp)
{%- endif -%}
{%- endmacro %}

{#- "Now" of the flag marts: the `flags_as_of` var, else as_of(). -#}
{% macro flags_as_of() -%}
{%- if var('flags_as_of') is none -%}
{{ as_of() }}
{%- else -%}
cast('{{ var("flags_as_of") }}' as timestamp)
{%- endif -%}
{%- endmacro %}

{#- Weight of a normalised status in weighted downtime. -#}
{% macro status_weight(status) -%}
case {{ status }}
    when 'major_outage' then {{ var('major_outage_weight') }}
    when 'partial_outage' then {{ var('partial_outage_weight') }}
    when 'degraded' then {{ var('degraded_weight') }}
    when 'maintenance' then {{ var('maintenance_weight') }}
    else 0
end
{%- endmacro %}

{#- A timestamp text as UTC without a zone: naive text is taken as UTC, an offset is honoured. -#}
{% macro utc_timestamp_literal(text) -%}
{%- set text = text | string -%}
{%- if text[-1:] in ['Z', 'z'] or '+' in text[10:] or '-' in text[10:] -%}
cast(cast('{{ text }}' as timestamp with time zone) at time zone 'UTC' as timestamp)
{%- else -%}
cast('{{ text }}' as timestamp)
{%- endif -%}
{%- endmacro %}

{#- "Now" of the status marts: the `as_of` var or the current time, as UTC without a zone. -#}
{% macro as_of() -%}
{%- if var('as_of') is none -%}
cast(current_timestamp at time zone 'UTC' as timestamp)
{%- else -%}
{{ utc_timestamp_literal(var('as_of')) }}
{%- endif -%}
{%- endmacro %}

{#- "Now" of the flag marts: the `flags_as_of` var, else as_of(). -#}
{% macro flags_as_of() -%}
{%- if var('flags_as_of') is none -%}
{{ as_of() }}
{%- else -%}
{{ utc_timestamp_literal(var('flags_as_of')) }}
{%- endif -%}
{%- endmacro %}

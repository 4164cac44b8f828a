
{#-
  Whether a tap's tables are read: the var `<tap>_enabled` is true, false, or `auto` (the default:
  read when the tap's schema holds its root table, so `meltano run tap-statuspage target-duckdb
  dbt-duckdb:build` works on a warehouse that holds one tap only).
-#}
{% macro tap_enabled(tap) -%}
{%- set setting = var(tap ~ '_enabled') -%}
{%- if setting == 'auto' -%}
{%- if not execute -%}{{ return(true) }}{%- endif -%}
{%- set root = source('tap_' ~ tap, {'statuspage': 'pages', 'instatus': 'status_pages', 'configcat': 'products'}[tap]) -%}
{{ return(adapter.get_relation(root.database, root.schema, root.identifier) is not none) }}
{%- endif -%}
{{ return(setting in [true, 'true', 'True']) }}
{%- endmacro %}

{#-
  One staging view: the loaded table's columns renamed and cast, or, when the tap is not read,
  no rows of the same columns and types, so every model downstream builds for any subset of taps.
  columns: list of [source expression, name, type]; type `json` becomes the adapter's JSON type.
-#}
{% macro stage(tap, table, columns, optional=false) -%}
{%- set enabled = tap_enabled(tap) -%}
{%- if enabled -%}
{%- set loaded = source('tap_' ~ tap, table) -%}
{#- An optional table may be missing: loaded before its stream existed, or the stream deselected. -#}
{%- if optional and execute and adapter.get_relation(loaded.database, loaded.schema, loaded.identifier) is none -%}
{%- set enabled = false -%}
{%- endif -%}
{%- endif -%}
select
{%- for expression, name, type in columns %}
    {% if not enabled -%}
    cast(null as {{ json_type() if type == 'json' else type }})
    {%- elif type == 'json' -%}
    {{ as_json(expression) }}
    {%- else -%}
    cast({{ expression }} as {{ type }})
    {%- endif %} as {{ name }}{{ "," if not loop.last }}
{%- endfor %}
{%- if enabled %}
from {{ loaded }}
{%- else %}
where 1 = 0
{%- endif %}
{%- endmacro %}

{%- set age_days = var('stale_flag_age_days') | int -%}
{%- if age_days < 7 or age_days > 90 -%}
{{ exceptions.raise_compiler_error("var stale_flag_age_days must be 7 to 90 (ConfigCat's range), got " ~ age_days) }}
{%- endif -%}
{%- set stale_in = var('stale_in_environments') -%}
{%- if stale_in not in ['any', 'all'] -%}
{{ exceptions.raise_compiler_error("var stale_in_environments must be any or all, got " ~ stale_in) }}
{%- endif -%}
{%- set ignored_tags = var('stale_ignored_tag_ids') -%}
{%- set ignored_environments = var('stale_ignored_environment_ids') -%}

with states as (
    select
        state.*,
        state.last_changed_at < {{ dbt.dateadd('day', -age_days, flags_as_of()) }} as is_value_stale
    from {{ ref('flag_environment_state') }} as state
    where true
    {%- if ignored_environments %}
        and state.environment_id not in ('{{ ignored_environments | join("', '") }}')
    {%- endif %}
    {%- if ignored_tags %}
        and state.setting_id not in (
            select setting_id from {{ ref('int_configcat__setting_tags') }}
            where tag_id in ({{ ignored_tags | join(', ') }})
        )
    {%- endif %}
),

counted as (
    select
        product_id,
        setting_id,
        min(setting_key) as setting_key,
        sum(case when is_value_stale then 1 else 0 end) as stale_environment_count,
        count(*) as environment_count,
        max(days_since_change) as oldest_change_days
    from states
    group by product_id, setting_id
)

select
    *,
    {%- if stale_in == 'all' %}
    stale_environment_count = environment_count and environment_count > 0 as is_stale
    {%- else %}
    stale_environment_count > 0 as is_stale
    {%- endif %}
from counted

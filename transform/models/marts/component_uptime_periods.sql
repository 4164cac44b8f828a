-- Uptime over rolling windows ending with as_of's local day, and per calendar month and quarter.
with daily as (
    select
        daily.*,
        cast({{ utc_to_local(as_of(), 'components.time_zone') }} as date) as as_of_day
    from {{ ref('component_uptime_daily') }} as daily
    inner join {{ ref('int_status__components') }} as components
        on components.vendor = daily.vendor
        and components.page_id = daily.page_id
        and components.component_id = daily.component_id
),

periods as (
    {%- for days in [30, 90] %}
    select
        vendor, page_id, component_id, component_name,
        'rolling_{{ days }}d' as period_type,
        cast({{ dbt.dateadd('day', -(days - 1), 'as_of_day') }} as date) as period_start,
        as_of_day as period_end,
        observed_seconds,
        weighted_downtime_seconds
    from daily
    where day > cast({{ dbt.dateadd('day', -days, 'as_of_day') }} as date)
    union all
    {%- endfor %}
    {%- for period, months in [('month', 1), ('quarter', 3)] %}
    select
        vendor, page_id, component_id, component_name,
        '{{ period }}' as period_type,
        cast({{ dbt.date_trunc(period, 'day') }} as date) as period_start,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', months, dbt.date_trunc(period, 'day'))) }} as date) as period_end,
        observed_seconds,
        weighted_downtime_seconds
    from daily
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

minutes as (
    select
        vendor,
        page_id,
        component_id,
        component_name,
        period_type,
        period_start,
        period_end,
        sum(observed_seconds) / 60.0 as observed_minutes,
        sum(weighted_downtime_seconds) / 60.0 as weighted_downtime_minutes
    from periods
    group by vendor, page_id, component_id, component_name, period_type, period_start, period_end
)

select
    *,
    case when observed_minutes > 0 then 100 * (1 - weighted_downtime_minutes / observed_minutes) end as uptime_pct,
    cast({{ var('sla_target_pct') }} as double precision) as sla_target_pct,
    coalesce(
        observed_minutes > 0 and 100 * (1 - weighted_downtime_minutes / observed_minutes) < {{ var('sla_target_pct') }},
        false
    ) as is_sla_breach
from minutes

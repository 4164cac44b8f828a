with days as (
    select * from {{ ref('int_status__component_days') }}
),

downtime as (
    select * from {{ ref('component_status_intervals') }}
    where status <> 'operational'
),

seconds as (
    select
        days.vendor,
        days.page_id,
        days.component_id,
        days.day,
        downtime.status,
        {{ seconds_between(
            later('downtime.valid_from', 'days.observed_start'),
            earlier('downtime.valid_to', 'days.observed_end')
        ) }} as status_seconds
    from days
    inner join downtime
        on downtime.vendor = days.vendor
        and downtime.page_id = days.page_id
        and downtime.component_id = days.component_id
        and downtime.valid_from < days.observed_end
        and downtime.valid_to > days.observed_start
),

per_day as (
    select
        vendor,
        page_id,
        component_id,
        day,
        sum(case when status = 'major_outage' then status_seconds else 0 end) as major_outage_seconds,
        sum(case when status = 'partial_outage' then status_seconds else 0 end) as partial_outage_seconds,
        sum(case when status = 'degraded' then status_seconds else 0 end) as degraded_seconds,
        sum(case when status = 'maintenance' then status_seconds else 0 end) as maintenance_seconds
    from seconds
    group by vendor, page_id, component_id, day
),

combined as (
    select
        days.vendor,
        days.page_id,
        days.component_id,
        days.component_name,
        days.day,
        cast(coalesce(per_day.major_outage_seconds, 0) as double precision) as major_outage_seconds,
        cast(coalesce(per_day.partial_outage_seconds, 0) as double precision) as partial_outage_seconds,
        cast(coalesce(per_day.degraded_seconds, 0) as double precision) as degraded_seconds,
        cast(coalesce(per_day.maintenance_seconds, 0) as double precision) as maintenance_seconds,
        {{ later('0', seconds_between('days.observed_start', 'days.observed_end')) }} as observed_seconds
    from days
    left join per_day
        on per_day.vendor = days.vendor
        and per_day.page_id = days.page_id
        and per_day.component_id = days.component_id
        and per_day.day = days.day
),

weighted as (
    select
        *,
        major_outage_seconds * {{ var('major_outage_weight') }}
        + partial_outage_seconds * {{ var('partial_outage_weight') }}
        + degraded_seconds * {{ var('degraded_weight') }}
        + maintenance_seconds * {{ var('maintenance_weight') }} as weighted_downtime_seconds
    from combined
)

select
    *,
    case
        when observed_seconds > 0 then 100 * (1 - weighted_downtime_seconds / observed_seconds)
    end as uptime_pct
from weighted

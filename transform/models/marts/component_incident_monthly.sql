with incidents as (
    select
        affected.vendor,
        affected.page_id,
        affected.component_id,
        response.incident_id,
        response.started_at,
        response.resolved_at,
        response.minutes_to_resolved
    from {{ ref('int_status__incident_components') }} as affected
    inner join {{ ref('incident_response') }} as response
        on response.vendor = affected.vendor
        and response.page_id = affected.page_id
        and response.incident_id = affected.incident_id
    where not response.is_maintenance and response.started_at is not null
),

previous as (
    select
        *,
        lag(resolved_at) over (
            partition by vendor, page_id, component_id order by started_at, incident_id
        ) as previous_resolved_at
    from incidents
),

gaps as (
    -- From the end of the previous failure of the component to the start of this one (0 if they
    -- overlap); none for the first failure (greatest() would turn its null into 0).
    select
        *,
        cast({{ dbt.date_trunc('month', 'started_at') }} as date) as month,
        case
            when previous_resolved_at is not null
                then {{ later('0', seconds_between('previous_resolved_at', 'started_at')) }} / 60.0
        end as minutes_since_previous
    from previous
)

select
    vendor,
    page_id,
    component_id,
    month,
    count(*) as incident_count,
    count(minutes_to_resolved) as resolve_minutes_n,
    avg(minutes_to_resolved) as resolve_minutes_mean,
    {{ percentile('minutes_to_resolved', 0.5) }} as resolve_minutes_median,
    {{ percentile('minutes_to_resolved', 0.9) }} as resolve_minutes_p90,
    avg(minutes_since_previous) as minutes_between_failures_mean
from gaps
group by vendor, page_id, component_id, month

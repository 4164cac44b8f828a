with resolved as (
    select
        vendor,
        page_id,
        cast({{ dbt.date_trunc('month', 'started_at') }} as date) as month,
        minutes_to_resolved
    from {{ ref('incident_response') }}
    where not is_maintenance and resolved_at is not null and started_at is not null
)

select
    vendor,
    page_id,
    month,
    count(*) as incidents_n,
    avg(minutes_to_resolved) as resolve_minutes_mean,
    {{ percentile('minutes_to_resolved', 0.5) }} as resolve_minutes_median,
    {{ percentile('minutes_to_resolved', 0.9) }} as resolve_minutes_p90
from resolved
group by vendor, page_id, month

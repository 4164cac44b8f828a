-- Neighbouring pieces of one status set by one incident become one interval.
with segments as (
    select
        *,
        case
            when lag(status) over by_component = status
                and coalesce(lag(source_incident_id) over by_component, '') = coalesce(source_incident_id, '')
                and lag(valid_to) over by_component = valid_from
                then 0
            else 1
        end as starts_interval
    from {{ ref('int_status__component_segments') }}
    window by_component as (partition by vendor, page_id, component_id order by valid_from)
),

numbered as (
    select
        *,
        sum(starts_interval) over (
            partition by vendor, page_id, component_id order by valid_from
            rows between unbounded preceding and current row
        ) as interval_number
    from segments
),

intervals as (
    select
        vendor,
        page_id,
        component_id,
        interval_number,
        min(status) as status,
        min(valid_from) as valid_from,
        max(valid_to) as valid_to,
        min(source_incident_id) as source_incident_id
    from numbered
    group by vendor, page_id, component_id, interval_number
)

select
    intervals.vendor,
    intervals.page_id,
    intervals.component_id,
    components.component_name,
    intervals.status,
    intervals.valid_from,
    intervals.valid_to,
    intervals.source_incident_id
from intervals
inner join {{ ref('int_status__components') }} as components
    on components.vendor = intervals.vendor
    and components.page_id = intervals.page_id
    and components.component_id = intervals.component_id

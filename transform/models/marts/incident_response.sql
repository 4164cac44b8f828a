with incidents as (
    select * from {{ ref('int_status__incidents') }}
),

affected as (
    select vendor, page_id, incident_id, count(*) as affected_component_count
    from {{ ref('int_status__incident_components') }}
    group by vendor, page_id, incident_id
)

select
    incidents.vendor,
    incidents.page_id,
    incidents.incident_id,
    incidents.incident_name,
    incidents.impact,
    incidents.is_maintenance,
    incidents.created_at,
    incidents.started_at,
    incidents.first_update_at,
    incidents.identified_at,
    incidents.monitoring_at,
    incidents.resolved_at,
    {% for phase in ['first_update', 'identified', 'monitoring', 'resolved'] -%}
    {{ seconds_between('incidents.started_at', 'incidents.' ~ phase ~ '_at') }} / 60.0 as minutes_to_{{ phase }},
    {% endfor -%}
    incidents.resolved_at is null as is_open,
    coalesce(affected.affected_component_count, 0) as affected_component_count
from incidents
left join affected
    on affected.vendor = incidents.vendor
    and affected.page_id = incidents.page_id
    and affected.incident_id = incidents.incident_id

-- One row per incident or maintenance of both vendors, with the first time each phase was posted.
with statuspage_phases as (
    select
        incident_id,
        min(coalesce(display_at, created_at)) as first_update_at,
        min(case when status = 'identified' then coalesce(display_at, created_at) end) as identified_at,
        min(case when status = 'monitoring' then coalesce(display_at, created_at) end) as monitoring_at,
        min(case when status in ('resolved', 'completed') then coalesce(display_at, created_at) end) as resolved_update_at,
        min(case when status = 'in_progress' then coalesce(display_at, created_at) end) as in_progress_at,
        min(case when status = 'completed' then coalesce(display_at, created_at) end) as completed_at
    from {{ ref('stg_statuspage__incident_updates') }}
    group by incident_id
),

statuspage as (
    select
        'statuspage' as vendor,
        incidents.page_id,
        incidents.incident_id,
        incidents.incident_name,
        coalesce(incidents.impact_override, incidents.impact) as raw_impact,
        incidents.impact = 'maintenance' or incidents.scheduled_for is not null as is_maintenance,
        incidents.created_at,
        case
            when incidents.impact = 'maintenance' or incidents.scheduled_for is not null
                then phases.in_progress_at
            else coalesce(incidents.started_at, incidents.created_at)
        end as started_at,
        phases.first_update_at,
        phases.identified_at,
        coalesce(phases.monitoring_at, incidents.monitoring_at) as monitoring_at,
        coalesce(incidents.resolved_at, phases.resolved_update_at) as resolved_at,
        incidents.scheduled_for,
        incidents.scheduled_until,
        phases.completed_at
    from {{ ref('stg_statuspage__incidents') }} as incidents
    left join statuspage_phases as phases on phases.incident_id = incidents.incident_id
),

instatus_incident_phases as (
    select
        incident_id,
        min(created_at) as first_update_at,
        min(case when upper(status) = 'IDENTIFIED' then created_at end) as identified_at,
        min(case when upper(status) = 'MONITORING' then created_at end) as monitoring_at,
        min(case when upper(status) = 'RESOLVED' then created_at end) as resolved_update_at
    from {{ ref('stg_instatus__incident_updates') }}
    group by incident_id
),

instatus_maintenance_phases as (
    select
        maintenance_id,
        min(created_at) as first_update_at,
        min(case when upper(status) = 'INPROGRESS' then created_at end) as in_progress_at,
        min(case when upper(status) = 'COMPLETED' then created_at end) as completed_at
    from {{ ref('stg_instatus__maintenance_updates') }}
    group by maintenance_id
),

instatus_incidents as (
    select
        'instatus' as vendor,
        incidents.page_id,
        incidents.incident_id,
        incidents.incident_name,
        incidents.impact as raw_impact,
        false as is_maintenance,
        incidents.created_at,
        coalesce(incidents.started_at, incidents.created_at) as started_at,
        phases.first_update_at,
        phases.identified_at,
        phases.monitoring_at,
        coalesce(incidents.resolved_at, phases.resolved_update_at) as resolved_at,
        cast(null as timestamp) as scheduled_for,
        cast(null as timestamp) as scheduled_until,
        cast(null as timestamp) as completed_at
    from {{ ref('stg_instatus__incidents') }} as incidents
    left join instatus_incident_phases as phases on phases.incident_id = incidents.incident_id
),

instatus_maintenances as (
    select
        'instatus' as vendor,
        maintenances.page_id,
        maintenances.maintenance_id as incident_id,
        maintenances.maintenance_name as incident_name,
        'maintenance' as raw_impact,
        true as is_maintenance,
        maintenances.created_at,
        -- An in-progress maintenance whose start was automatic may have no update for it.
        coalesce(
            phases.in_progress_at,
            case when upper(maintenances.status) in ('INPROGRESS', 'COMPLETED') then maintenances.scheduled_for end
        ) as started_at,
        phases.first_update_at,
        cast(null as timestamp) as identified_at,
        cast(null as timestamp) as monitoring_at,
        coalesce(maintenances.resolved_at, phases.completed_at) as resolved_at,
        maintenances.scheduled_for,
        maintenances.scheduled_until,
        coalesce(phases.completed_at, maintenances.resolved_at) as completed_at
    from {{ ref('stg_instatus__maintenances') }} as maintenances
    left join instatus_maintenance_phases as phases on phases.maintenance_id = maintenances.maintenance_id
),

unioned as (
    select * from statuspage
    union all
    select * from instatus_incidents
    union all
    select * from instatus_maintenances
)

select
    vendor,
    page_id,
    incident_id,
    incident_name,
    -- Impact in Statuspage's words; Instatus names the worst component status instead.
    case
        when is_maintenance then 'none'
        when upper(raw_impact) = 'MAJOROUTAGE' then 'critical'
        when upper(raw_impact) = 'PARTIALOUTAGE' then 'major'
        when upper(raw_impact) = 'DEGRADEDPERFORMANCE' then 'minor'
        when upper(raw_impact) in ('OPERATIONAL', 'NONE') then 'none'
        else lower(raw_impact)
    end as impact,
    raw_impact,
    is_maintenance,
    created_at,
    started_at,
    first_update_at,
    identified_at,
    monitoring_at,
    case when resolved_at <= {{ as_of() }} then resolved_at end as resolved_at,
    scheduled_for,
    scheduled_until,
    case when completed_at <= {{ as_of() }} then completed_at end as completed_at
from unioned

with maintenances as (
    select * from {{ ref('int_status__incidents') }}
    where is_maintenance and started_at is not null and started_at <= {{ as_of() }}
)

select
    vendor,
    page_id,
    incident_id,
    incident_name,
    scheduled_for,
    scheduled_until,
    started_at,
    completed_at,
    {{ seconds_between('scheduled_for', 'scheduled_until') }} / 60.0 as scheduled_minutes,
    {{ seconds_between('started_at', 'coalesce(completed_at, ' ~ as_of() ~ ')') }} / 60.0 as actual_minutes,
    (
        {{ seconds_between('started_at', 'coalesce(completed_at, ' ~ as_of() ~ ')') }}
        - {{ seconds_between('scheduled_for', 'scheduled_until') }}
    ) / 60.0 as overrun_minutes
from maintenances

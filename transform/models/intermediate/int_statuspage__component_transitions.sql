-- Each status change a Statuspage incident update posted for a component on the page; affected
-- components that are not on the page (placeholders) are dropped.
with posted as (
    select
        updates.page_id,
        updates.incident_id,
        updates.update_id,
        coalesce(updates.display_at, updates.created_at) as changed_at,
        {{ json_text('affected.element', 'code') }} as component_id,
        {{ normalise_status(json_text('affected.element', 'old_status')) }} as old_status,
        {{ normalise_status(json_text('affected.element', 'new_status')) }} as new_status
    from {{ ref('stg_statuspage__incident_updates') }} as updates
    cross join {{ json_elements('updates.affected_components', 'affected') }}
),

ranked as (
    select
        posted.*,
        -- Two updates at the same instant: the more severe status stands.
        row_number() over (
            partition by posted.page_id, posted.component_id, posted.changed_at
            order by {{ status_severity('posted.new_status') }} desc, posted.update_id
        ) as rank_at_instant
    from posted
    inner join {{ ref('int_status__components') }} as components
        on components.vendor = 'statuspage'
        and components.page_id = posted.page_id
        and components.component_id = posted.component_id
)

select page_id, incident_id, update_id, changed_at, component_id, old_status, new_status
from ranked
where rank_at_instant = 1

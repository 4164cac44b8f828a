-- Which components each incident or maintenance affected (components on the page only).
with statuspage as (
    select
        'statuspage' as vendor,
        incidents.page_id,
        incidents.incident_id,
        {{ json_text('listed.element', 'id') }} as component_id
    from {{ ref('stg_statuspage__incidents') }} as incidents
    cross join {{ json_elements('incidents.components', 'listed') }}
),

instatus as (
    select
        'instatus' as vendor,
        incidents.page_id,
        incidents.incident_id,
        {{ json_text('listed.element', 'id') }} as component_id
    from {{ ref('stg_instatus__incidents') }} as incidents
    cross join {{ json_elements('incidents.components', 'listed') }}
    union all
    select
        'instatus' as vendor,
        maintenances.page_id,
        maintenances.maintenance_id as incident_id,
        {{ json_text('listed.element', 'id') }} as component_id
    from {{ ref('stg_instatus__maintenances') }} as maintenances
    cross join {{ json_elements('maintenances.components', 'listed') }}
),

unioned as (
    select * from statuspage
    union all
    select * from instatus
)

select distinct unioned.vendor, unioned.page_id, unioned.incident_id, unioned.component_id
from unioned
inner join {{ ref('int_status__components') }} as components
    on components.vendor = unioned.vendor
    and components.page_id = unioned.page_id
    and components.component_id = unioned.component_id

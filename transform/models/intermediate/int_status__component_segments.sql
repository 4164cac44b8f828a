-- Each component's statuses over time, clipped to [observed_from, as_of], before merging
-- neighbouring pieces of one status: Statuspage from posted transitions, Instatus from windows.
with components as (
    select * from {{ ref('int_status__components') }}
),

statuspage_changes as (
    select * from {{ ref('int_statuspage__component_transitions') }}
    where changed_at < {{ as_of() }}
),

statuspage_first_change as (
    select
        page_id,
        component_id,
        old_status,
        row_number() over (partition by page_id, component_id order by changed_at) as change_number
    from statuspage_changes
),

statuspage_states as (
    -- The state before the first posted change is what that change started from.
    select
        components.page_id,
        components.component_id,
        cast('1970-01-01 00:00:00' as timestamp) as valid_from,
        coalesce(first_change.old_status, 'operational') as status,
        cast(null as {{ dbt.type_string() }}) as source_incident_id
    from components
    left join statuspage_first_change as first_change
        on first_change.page_id = components.page_id
        and first_change.component_id = components.component_id
        and first_change.change_number = 1
    where components.vendor = 'statuspage'
    union all
    select page_id, component_id, changed_at, new_status, incident_id
    from statuspage_changes
),

statuspage as (
    select
        'statuspage' as vendor,
        page_id,
        component_id,
        status,
        valid_from,
        coalesce(
            lead(valid_from) over (partition by page_id, component_id order by valid_from),
            {{ as_of() }}
        ) as valid_to,
        source_incident_id
    from statuspage_states
),

instatus_windows as (
    select
        incidents.page_id,
        affected.component_id,
        incidents.incident_id,
        case
            when incidents.is_maintenance then 'maintenance'
            else {{ normalise_status('incidents.raw_impact') }}
        end as status,
        incidents.started_at as window_from,
        coalesce(
            case when incidents.is_maintenance then incidents.completed_at else incidents.resolved_at end,
            {{ as_of() }}
        ) as window_to
    from {{ ref('int_status__incidents') }} as incidents
    inner join {{ ref('int_status__incident_components') }} as affected
        on affected.vendor = incidents.vendor
        and affected.page_id = incidents.page_id
        and affected.incident_id = incidents.incident_id
    where incidents.vendor = 'instatus'
        and incidents.started_at < {{ as_of() }}
),

instatus_boundaries as (
    select page_id, component_id, observed_from as boundary_at
    from components
    where vendor = 'instatus'
    union
    select page_id, component_id, {{ as_of() }}
    from components
    where vendor = 'instatus'
    union
    select page_id, component_id, window_from from instatus_windows
    union
    select page_id, component_id, window_to from instatus_windows
),

instatus_pieces as (
    select
        page_id,
        component_id,
        boundary_at as piece_from,
        lead(boundary_at) over (partition by page_id, component_id order by boundary_at) as piece_to
    from instatus_boundaries
),

instatus_covered as (
    -- Overlapping windows: the most severe status holds the piece.
    select
        pieces.page_id,
        pieces.component_id,
        pieces.piece_from,
        pieces.piece_to,
        coalesce(windows.status, 'operational') as status,
        windows.incident_id,
        row_number() over (
            partition by pieces.page_id, pieces.component_id, pieces.piece_from
            order by {{ status_severity('windows.status') }} desc, windows.window_from, windows.incident_id
        ) as rank_in_piece
    from instatus_pieces as pieces
    left join instatus_windows as windows
        on windows.page_id = pieces.page_id
        and windows.component_id = pieces.component_id
        and windows.window_from <= pieces.piece_from
        and windows.window_to >= pieces.piece_to
    where pieces.piece_to is not null
),

instatus as (
    select
        'instatus' as vendor,
        page_id,
        component_id,
        status,
        piece_from as valid_from,
        piece_to as valid_to,
        incident_id as source_incident_id
    from instatus_covered
    where rank_in_piece = 1
),

unioned as (
    select * from statuspage
    union all
    select * from instatus
)

select
    unioned.vendor,
    unioned.page_id,
    unioned.component_id,
    unioned.status,
    {{ later('unioned.valid_from', 'components.observed_from') }} as valid_from,
    {{ earlier('unioned.valid_to', as_of()) }} as valid_to,
    unioned.source_incident_id
from unioned
inner join components
    on components.vendor = unioned.vendor
    and components.page_id = unioned.page_id
    and components.component_id = unioned.component_id
where {{ earlier('unioned.valid_to', as_of()) }} > {{ later('unioned.valid_from', 'components.observed_from') }}

-- One row per component and local day of its page, from the day it was first observed to as_of's
-- day, with the UTC bounds of the part of the day that was observed.
with components as (
    select
        *,
        cast({{ utc_to_local('observed_from', 'time_zone') }} as date) as first_day,
        cast({{ utc_to_local(as_of(), 'time_zone') }} as date) as last_day
    from {{ ref('int_status__components') }}
    where observed_from < {{ as_of() }}
),

days as (
    {{ date_spine('(select min(first_day) from components)', '(select max(last_day) from components)') }}
),

bounded as (
    select
        components.vendor,
        components.page_id,
        components.component_id,
        components.component_name,
        components.observed_from,
        days.day,
        {{ local_to_utc('cast(days.day as timestamp)', 'components.time_zone') }} as day_start,
        {{ local_to_utc(dbt.dateadd('day', 1, 'cast(days.day as timestamp)'), 'components.time_zone') }} as day_end
    from components
    inner join days on days.day between components.first_day and components.last_day
)

select
    vendor,
    page_id,
    component_id,
    component_name,
    day,
    {{ later('day_start', 'observed_from') }} as observed_start,
    {{ earlier('day_end', as_of()) }} as observed_end
from bounded

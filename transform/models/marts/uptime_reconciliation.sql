-- Statuspage's rule, fixed whatever the weight vars say: major counts 1, partial 0.3.
with reported as (
    select * from {{ ref('stg_statuspage__component_uptime') }}
),

rebuilt as (
    select
        reported.page_id,
        reported.component_id,
        reported.range_start,
        sum(daily.major_outage_seconds) as major_seconds,
        sum(daily.partial_outage_seconds) as partial_seconds,
        sum(daily.observed_seconds) as observed_seconds
    from reported
    inner join {{ ref('component_uptime_daily') }} as daily
        on daily.vendor = 'statuspage'
        and daily.page_id = reported.page_id
        and daily.component_id = reported.component_id
        and daily.day between reported.range_start and reported.range_end
    group by reported.page_id, reported.component_id, reported.range_start
),

compared as (
    select
        reported.page_id,
        reported.component_id,
        reported.range_start,
        reported.range_end,
        cast(round(coalesce(rebuilt.major_seconds, 0)) as bigint) as rebuilt_major_seconds,
        cast(round(coalesce(rebuilt.partial_seconds, 0)) as bigint) as rebuilt_partial_seconds,
        case
            when rebuilt.observed_seconds > 0 then {{ round_to(
                '100 * (1 - (rebuilt.major_seconds + 0.3 * rebuilt.partial_seconds) / rebuilt.observed_seconds)', 2
            ) }}
        end as rebuilt_uptime_pct,
        reported.major_outage_seconds as reported_major_seconds,
        reported.partial_outage_seconds as reported_partial_seconds,
        reported.uptime_pct as reported_uptime_pct
    from reported
    left join rebuilt
        on rebuilt.page_id = reported.page_id
        and rebuilt.component_id = reported.component_id
        and rebuilt.range_start = reported.range_start
)

select
    *,
    rebuilt_uptime_pct - reported_uptime_pct as uptime_pct_difference,
    coalesce(
        rebuilt_major_seconds = reported_major_seconds
        and rebuilt_partial_seconds = reported_partial_seconds
        and rebuilt_uptime_pct = reported_uptime_pct,
        false
    ) as is_exact
from compared

-- Statuspage's rule, fixed whatever the weight vars say: major counts 1, partial 0.3, each in
-- whole seconds (milliseconds summed, then truncated), the percent rounded half up to 2 decimals.
with reported as (
    select * from {{ ref('stg_statuspage__component_uptime') }}
),

rebuilt as (
    select
        reported.page_id,
        reported.component_id,
        reported.range_start,
        {%- for name in ['major_outage', 'partial_outage', 'observed'] %}
        cast(floor(round(sum(daily.{{ name }}_seconds) * 1000) / 1000) as bigint) as {{ name }}_seconds
        {{- "," if not loop.last }}
        {%- endfor %}
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
        coalesce(rebuilt.major_outage_seconds, 0) as rebuilt_major_seconds,
        coalesce(rebuilt.partial_outage_seconds, 0) as rebuilt_partial_seconds,
        -- In hundredths: 10000 - q with q = (10000 major + 3000 partial) / observed; half up is
        -- 10000 - ceil(q - 1/2), in integers so that no float rounding decides a tie.
        case
            when coalesce(rebuilt.observed_seconds, 0) = 0 then 100.0
            else (
                10000 - ceil(
                    cast(
                        2 * (10000 * rebuilt.major_outage_seconds + 3000 * rebuilt.partial_outage_seconds)
                        - rebuilt.observed_seconds as double precision
                    ) / (2 * rebuilt.observed_seconds)
                )
            ) / 100.0
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

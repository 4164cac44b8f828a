-- Every component that can hold a status, both vendors; group rows are containers, not components.
-- observed_from: local midnight of the component's start_date or, without one, of the (UTC) day
-- it was created: where Statuspage's own uptime begins counting.
with statuspage as (
    select
        'statuspage' as vendor,
        components.page_id,
        components.component_id,
        components.component_name,
        pages.time_zone,
        {{ local_to_utc(
            'cast(coalesce(components.start_date, cast(components.created_at as date)) as timestamp)',
            'pages.time_zone'
        ) }} as observed_from
    from {{ ref('stg_statuspage__components') }} as components
    inner join {{ ref('stg_statuspage__pages') }} as pages on pages.page_id = components.page_id
    where not coalesce(components.is_group, false)
),

instatus as (
    select
        'instatus' as vendor,
        components.page_id,
        components.component_id,
        components.component_name,
        -- Instatus pages carry no time zone: their days are UTC days.
        'UTC' as time_zone,
        coalesce(components.start_date, components.created_at) as observed_from
    from {{ ref('stg_instatus__components') }} as components
    where not coalesce(components.is_group, false)
)

select * from statuspage
union all
select * from instatus

with rebuilt as (
    select product_id, setting_id, setting_key from {{ ref('flag_staleness') }} where is_stale
),

reported as (
    select distinct product_id, setting_id, setting_key from {{ ref('stg_configcat__stale_flags') }}
)

select
    coalesce(rebuilt.product_id, reported.product_id) as product_id,
    coalesce(rebuilt.setting_id, reported.setting_id) as setting_id,
    coalesce(rebuilt.setting_key, reported.setting_key) as setting_key,
    rebuilt.setting_id is not null as is_stale_rebuilt,
    reported.setting_id is not null as is_stale_reported,
    rebuilt.setting_id is not null and reported.setting_id is not null as is_match
from rebuilt
full outer join reported
    on reported.product_id = rebuilt.product_id
    and reported.setting_id = rebuilt.setting_id

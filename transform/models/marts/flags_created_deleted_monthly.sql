select
    product_id,
    cast({{ dbt.date_trunc('month', 'logged_at') }} as date) as month,
    sum(case when log_type = 'settingCreated' then 1 else 0 end) as created_count,
    sum(case when log_type = 'settingDeleted' then 1 else 0 end) as deleted_count
from {{ ref('stg_configcat__audit_logs') }}
where log_type in ('settingCreated', 'settingDeleted')
group by product_id, cast({{ dbt.date_trunc('month', 'logged_at') }} as date)

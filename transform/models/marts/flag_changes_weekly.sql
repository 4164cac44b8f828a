-- Audit-log rows carry no environment id; a value change names its environment last in "where".
with changes as (
    select
        product_id,
        action_target as setting_key,
        case
            when log_type = 'settingValueChanged'
                then nullif({{ dbt.split_part('location', "' / '", 3) }}, '')
        end as environment_name,
        coalesce(user_email, user_name) as actor,
        cast({{ dbt.date_trunc('week', 'logged_at') }} as date) as week_start
    from {{ ref('stg_configcat__audit_logs') }}
    where log_type like 'setting%'
)

select
    product_id,
    setting_key,
    environment_name,
    actor,
    week_start,
    count(*) as change_count
from changes
group by product_id, setting_key, environment_name, actor, week_start

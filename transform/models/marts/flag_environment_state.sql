with tag_lists as (
    select
        setting_id,
        {{ dbt.listagg('tag_name', "', '", 'order by tag_name') }} as tags
    from {{ ref('int_configcat__setting_tags') }}
    group by setting_id
)

select
    setting_values.product_id,
    setting_values.config_id,
    setting_values.setting_id,
    settings.setting_key,
    setting_values.environment_id,
    environments.environment_name,
    -- v2 configs hold the served value in the one member of defaultValue that is set.
    coalesce(
        setting_values.value_json,
        {{ json_member_text('setting_values.default_value', 'boolValue') }},
        {{ json_member_text('setting_values.default_value', 'stringValue') }},
        {{ json_member_text('setting_values.default_value', 'intValue') }},
        {{ json_member_text('setting_values.default_value', 'doubleValue') }}
    ) as value_json,
    setting_values.updated_at as last_changed_at,
    cast(floor({{ seconds_between('setting_values.updated_at', flags_as_of()) }} / 86400) as bigint) as days_since_change,
    (
        {{ json_length('setting_values.rollout_rules') }}
        + {{ json_length('setting_values.rollout_percentage_items') }}
        + {{ json_length('setting_values.targeting_rules') }}
    ) > 0 as is_targeted,
    tag_lists.tags
from {{ ref('stg_configcat__setting_values') }} as setting_values
left join {{ ref('stg_configcat__settings') }} as settings
    on settings.setting_id = setting_values.setting_id
left join {{ ref('stg_configcat__environments') }} as environments
    on environments.environment_id = setting_values.environment_id
left join tag_lists on tag_lists.setting_id = setting_values.setting_id

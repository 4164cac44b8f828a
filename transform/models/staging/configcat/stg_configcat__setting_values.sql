{#- v1 configs serve `value` (loaded with its JSON text in value_json), v2 configs `defaultValue`. -#}
{{ stage('configcat', 'setting_values', [
    ['"productId"', 'product_id', 'text'],
    ['"configId"', 'config_id', 'text'],
    ['"environmentId"', 'environment_id', 'text'],
    ['"settingId"', 'setting_id', 'bigint'],
    ['"evaluationVersion"', 'evaluation_version', 'text'],
    ['"updatedAt"', 'updated_at', 'timestamp'],
    ['value_json', 'value_json', 'text'],
    ['"defaultValue"', 'default_value', 'json'],
    ['"rolloutRules"', 'rollout_rules', 'json'],
    ['"rolloutPercentageItems"', 'rollout_percentage_items', 'json'],
    ['"targetingRules"', 'targeting_rules', 'json'],
    ['"settingTags"', 'setting_tags', 'json'],
]) }}

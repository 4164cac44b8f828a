{{ stage('configcat', 'stale_flags', [
    ['"productId"', 'product_id', 'text'],
    ['"configId"', 'config_id', 'text'],
    ['"settingId"', 'setting_id', 'bigint'],
    ['key', 'setting_key', 'text'],
    ['"settingValues"', 'setting_values', 'json'],
]) }}

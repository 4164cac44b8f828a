{{ stage('configcat', 'settings', [
    ['"settingId"', 'setting_id', 'bigint'],
    ['"productId"', 'product_id', 'text'],
    ['"configId"', 'config_id', 'text'],
    ['key', 'setting_key', 'text'],
    ['name', 'setting_name', 'text'],
    ['"settingType"', 'setting_type', 'text'],
    ['"createdAt"', 'created_at', 'timestamp'],
    ['tags', 'tags', 'json'],
]) }}

{{ stage('configcat', 'environments', [
    ['"environmentId"', 'environment_id', 'text'],
    ['"productId"', 'product_id', 'text'],
    ['name', 'environment_name', 'text'],
]) }}

{{ stage('configcat', 'products', [
    ['"productId"', 'product_id', 'text'],
    ['name', 'product_name', 'text'],
]) }}

{{ stage('configcat', 'tags', [
    ['"tagId"', 'tag_id', 'bigint'],
    ['"productId"', 'product_id', 'text'],
    ['name', 'tag_name', 'text'],
]) }}

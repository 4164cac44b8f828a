{{ stage('instatus', 'status_pages', [
    ['id', 'page_id', 'text'],
    ['name', 'page_name', 'text'],
    ['subdomain', 'subdomain', 'text'],
]) }}

{{ stage('statuspage', 'pages', [
    ['id', 'page_id', 'text'],
    ['name', 'page_name', 'text'],
    ["coalesce(time_zone, 'UTC')", 'time_zone', 'text'],
]) }}

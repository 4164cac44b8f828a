{{ stage('statuspage', 'components', [
    ['id', 'component_id', 'text'],
    ['page_id', 'page_id', 'text'],
    ['group_id', 'group_id', 'text'],
    ['"group"', 'is_group', 'boolean'],
    ['name', 'component_name', 'text'],
    ['status', 'status', 'text'],
    ['start_date', 'start_date', 'date'],
    ['created_at', 'created_at', 'timestamp'],
]) }}

{{ stage('instatus', 'components', [
    ['id', 'component_id', 'text'],
    ['page_id', 'page_id', 'text'],
    ['name', 'component_name', 'text'],
    ['status', 'status', 'text'],
    ['"isParent"', 'is_group', 'boolean'],
    ['"groupId"', 'group_id', 'text'],
    ['"startDate"', 'start_date', 'timestamp'],
    ['"createdAt"', 'created_at', 'timestamp'],
    ['"archivedAt"', 'archived_at', 'timestamp'],
]) }}

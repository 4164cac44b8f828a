{{ stage('instatus', 'incident_updates', [
    ['id', 'update_id', 'text'],
    ['incident_id', 'incident_id', 'text'],
    ['page_id', 'page_id', 'text'],
    ['status', 'status', 'text'],
    ['"createdAt"', 'created_at', 'timestamp'],
]) }}

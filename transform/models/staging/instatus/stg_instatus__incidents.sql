{{ stage('instatus', 'incidents', [
    ['id', 'incident_id', 'text'],
    ['page_id', 'page_id', 'text'],
    ['name', 'incident_name', 'text'],
    ['status', 'status', 'text'],
    ['impact', 'impact', 'text'],
    ['started', 'started_at', 'timestamp'],
    ['resolved', 'resolved_at', 'timestamp'],
    ['"createdAt"', 'created_at', 'timestamp'],
    ['components', 'components', 'json'],
]) }}

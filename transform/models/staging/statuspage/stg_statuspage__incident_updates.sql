{{ stage('statuspage', 'incident_updates', [
    ['id', 'update_id', 'text'],
    ['incident_id', 'incident_id', 'text'],
    ['page_id', 'page_id', 'text'],
    ['status', 'status', 'text'],
    ['display_at', 'display_at', 'timestamp'],
    ['created_at', 'created_at', 'timestamp'],
    ['affected_components', 'affected_components', 'json'],
]) }}

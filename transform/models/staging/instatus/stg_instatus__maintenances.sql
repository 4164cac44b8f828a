{{ stage('instatus', 'maintenances', [
    ['id', 'maintenance_id', 'text'],
    ['page_id', 'page_id', 'text'],
    ['name', 'maintenance_name', 'text'],
    ['status', 'status', 'text'],
    ['start', 'scheduled_for', 'timestamp'],
    ['"end"', 'scheduled_until', 'timestamp'],
    ['resolved', 'resolved_at', 'timestamp'],
    ['"createdAt"', 'created_at', 'timestamp'],
    ['components', 'components', 'json'],
]) }}

{{ stage('instatus', 'maintenance_updates', [
    ['id', 'update_id', 'text'],
    ['maintenance_id', 'maintenance_id', 'text'],
    ['page_id', 'page_id', 'text'],
    ['status', 'status', 'text'],
    ['"createdAt"', 'created_at', 'timestamp'],
]) }}

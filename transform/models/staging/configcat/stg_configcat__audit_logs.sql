{{ stage('configcat', 'audit_logs', [
    ['"auditLogId"', 'audit_log_id', 'bigint'],
    ['"productId"', 'product_id', 'text'],
    ['"auditLogDateTime"', 'logged_at', 'timestamp'],
    ['"auditLogTypeEnum"', 'log_type', 'text'],
    ['"actionTarget"', 'action_target', 'text'],
    ['"where"', 'location', 'text'],
    ['"userEmail"', 'user_email', 'text'],
    ['"userName"', 'user_name', 'text'],
]) }}

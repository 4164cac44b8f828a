{#- uptime_percentage arrives as a number or as numeric text, depending on the page. -#}
{{ stage('statuspage', 'component_uptime', [
    ['page_id', 'page_id', 'text'],
    ['component_id', 'component_id', 'text'],
    ['range_start', 'range_start', 'date'],
    ['range_end', 'range_end', 'date'],
    ['major_outage', 'major_outage_seconds', 'bigint'],
    ['partial_outage', 'partial_outage_seconds', 'bigint'],
    ['uptime_percentage', 'uptime_pct', 'float8'],
], optional=true) }}

-- The tags of each feature flag.
select
    settings.product_id,
    settings.setting_id,
    cast({{ json_text('tagged.element', 'tagId') }} as bigint) as tag_id,
    {{ json_text('tagged.element', 'name') }} as tag_name
from {{ ref('stg_configcat__settings') }} as settings
cross join {{ json_elements('settings.tags', 'tagged') }}

{#- Primary key of one or more columns: no combination twice, no column null but the `nullable` ones. -#}
{% test unique_key(model, columns, nullable=[]) %}
select {{ columns | join(', ') }}, count(*) as occurrences
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
    {%- for column in columns if column not in nullable %} or {{ column }} is null{% endfor %}
{% endtest %}

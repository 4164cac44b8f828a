"""The dbt project of the marts; its `report` package renders them."""

"""Dagster definitions that sync many accounts of the taps through Meltano, one partition each."""

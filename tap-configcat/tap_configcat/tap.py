"""tap-configcat: settings and the list of streams."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_configcat.streams import STREAMS
from tap_kit import KitTap, common_settings, run_cli


class TapConfigCat(KitTap):
    """Singer tap for the ConfigCat Public Management API."""

    name = "tap-configcat"
    credential_settings = ("username", "password")

    stream_types = STREAMS
    config_jsonschema = th.PropertiesList(
        th.Property(
            "username",
            th.StringType,
            title="Username",
            description="Public API credential username (ConfigCat dashboard > My API "
            "credentials).",
        ),
        th.Property(
            "password",
            th.StringType,
            secret=True,
            title="Password",
            description="Public API credential password. Sent only in the Authorization header.",
        ),
        th.Property(
            "organization_ids",
            th.ArrayType(th.StringType),
            title="Organization IDs",
            description="Only extract these organizations and their products.",
        ),
        th.Property(
            "product_ids",
            th.ArrayType(th.StringType),
            title="Product IDs",
            description="Only extract these products.",
        ),
        # A handful per second, below the historical 20/s (docs/apis/configcat.md, "Rate limits").
        *common_settings(api_url="https://api.configcat.com", requests_per_second=5.0),
    ).to_dict()


def main() -> None:
    run_cli(TapConfigCat)

"""tap-instatus: settings and the list of streams."""

from __future__ import annotations

from singer_sdk import typing as th

from tap_instatus.streams import STREAMS
from tap_kit import KitTap, common_settings, run_cli


class TapInstatus(KitTap):
    """Singer tap for Instatus."""

    name = "tap-instatus"

    stream_types = STREAMS
    config_jsonschema = th.PropertiesList(
        th.Property(
            "api_key",
            th.StringType,
            secret=True,
            title="API key",
            description="Instatus API key (dashboard > User settings > Developer). Sent only in "
            "the Authorization header, never to public pages.",
        ),
        th.Property(
            "page_ids",
            th.ArrayType(th.StringType),
            title="Page IDs",
            description="Only extract these status pages (default: every page the key can see).",
        ),
        th.Property(
            "public_url_template",
            th.StringType,
            default="https://{host}/summary.json",
            title="Public summary URL template",
            description="Where public_data reads a page's summary: {host} is the page's custom "
            "domain when set, else <subdomain>.instatus.com.",
        ),
        # No documented limit: 1-2/s is safe (docs/apis/instatus.md, "Errors and rate limits").
        *common_settings(api_url="https://api.instatus.com", requests_per_second=2.0),
    ).to_dict()


def main() -> None:
    run_cli(TapInstatus)

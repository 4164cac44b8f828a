"""tap-statuspage: settings and the list of streams."""

from __future__ import annotations

from singer_sdk import Stream
from singer_sdk import typing as th
from typing_extensions import override

from tap_kit import KitTap, common_settings, run_cli
from tap_statuspage.streams import MANAGE_STREAMS, PUBLIC_STREAMS


class TapStatuspage(KitTap):
    """Singer tap for Atlassian Statuspage."""

    name = "tap-statuspage"
    # Public status pages need no key: the public Status API v2 is read instead.
    credentials_optional_with = ("status_page_urls",)

    config_jsonschema = th.PropertiesList(
        th.Property(
            "api_key",
            th.StringType,
            secret=True,
            title="API key",
            description="Statuspage API key (manage.statuspage.io > API info). Sent only in the "
            "Authorization header.",
        ),
        th.Property(
            "page_ids",
            th.ArrayType(th.StringType),
            title="Page IDs",
            description="Only extract these pages (default: every page the key can see).",
        ),
        th.Property(
            "organization_id",
            th.StringType,
            title="Organization ID",
            description="Organization whose team members the users stream extracts.",
        ),
        th.Property(
            "status_page_urls",
            th.ArrayType(th.StringType),
            title="Public status page URLs",
            description="Base URLs of public status pages (e.g. https://www.githubstatus.com). "
            "With these and no api_key, the tap reads the public Status API v2.",
        ),
        *common_settings(api_url="https://api.statuspage.io/v1", requests_per_second=1.0),
    ).to_dict()

    @override
    def discover_streams(self) -> list[Stream]:
        # URLs and no key: read the public API (docs/apis/statuspage.md, "Public Status API v2").
        public = bool(self.config.get("status_page_urls")) and not self.config.get("api_key")
        return [
            stream_type(tap=self) for stream_type in (PUBLIC_STREAMS if public else MANAGE_STREAMS)
        ]


def main() -> None:
    run_cli(TapStatuspage)

"""The one base stream of tap-statuspage: Statuspage's URL, auth header and quirks."""

from __future__ import annotations

from importlib import resources
from typing import Any

from singer_sdk import SchemaDirectory, StreamSchema
from typing_extensions import override

from tap_kit import KitEmbeddedStream, KitRESTStream

# One JSON Schema file per stream, named after the stream.
SCHEMAS = SchemaDirectory(resources.files("tap_statuspage") / "schemas")


class SchemaFromFile:
    """Each stream's JSON Schema lives in schemas/<stream name>.json."""

    schema = StreamSchema(SCHEMAS)


class StatuspageStream(SchemaFromFile, KitRESTStream):
    """A stream of either Statuspage API."""


class ManageAPIStream(StatuspageStream):
    """Manage API v1 stream."""

    @property
    @override
    def http_headers(self) -> dict[str, Any]:
        headers = dict(super().http_headers)
        # Never ?api_key=, which leaks into logs (docs/apis/statuspage.md, "Authentication").
        headers["Authorization"] = f"OAuth {self.config.get('api_key', '')}"
        return headers

    # 401 is "could not authenticate" (a bad or revoked key), never one page: fatal anywhere.
    credential_statuses = frozenset({401})


class StatuspageEmbeddedStream(SchemaFromFile, KitEmbeddedStream):
    """A stream taken from a list embedded in each parent record.

    See (docs/apis/statuspage.md, "Incidents and their updates").
    """


class PublicStatusStream(StatuspageStream):
    """Public Status API v2 stream: one base URL per status page, no credentials.

    See (docs/apis/statuspage.md, "Public Status API v2").
    """

    passed_keys = ("page_url",)
    base_url_key = "page_url"
    # Each page is its own host: one that fails skips that page's public streams, not the run.
    url_setting = "status_page_urls"
    best_effort_source = True

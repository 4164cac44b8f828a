"""The one base stream of tap-instatus: Instatus' URL, auth header and quirks."""

from __future__ import annotations

from importlib import resources
from typing import Any

from singer_sdk import SchemaDirectory, StreamSchema
from typing_extensions import override

from tap_kit import KitEmbeddedStream, KitRESTStream, KitStream

# One JSON Schema file per stream, named after the stream.
SCHEMAS = SchemaDirectory(resources.files("tap_instatus") / "schemas")
# Nested sites hold other parties' secrets (docs/apis/instatus.md, "Secrets in nested site rows").
SITE_FIELDS_KEPT = ("id", "name", "subdomain")


def trimmed_sites(value: Any) -> Any:
    """A copy of `value` where every nested `site` object keeps only id, name and subdomain."""
    if isinstance(value, list):
        return [trimmed_sites(item) for item in value]
    if isinstance(value, dict):
        return {
            key: (
                {k: item[k] for k in SITE_FIELDS_KEPT if k in item}
                if key == "site" and isinstance(item, dict)
                else trimmed_sites(item)
            )
            for key, item in value.items()
        }
    return value


def trim_sites(row: dict[str, Any]) -> dict[str, Any]:
    """A copy of the row whose nested `site` objects keep only id, name and subdomain."""
    trimmed: dict[str, Any] = trimmed_sites(row)
    return trimmed


class InstatusRecords(KitStream):
    """Record handling common to every Instatus stream: nested sites are trimmed first."""

    schema = StreamSchema(SCHEMAS)
    mask_row = trim_sites


class InstatusStream(InstatusRecords, KitRESTStream):
    """Authenticated Instatus API stream."""

    @property
    @override
    def http_headers(self) -> dict[str, Any]:
        headers = dict(super().http_headers)
        # Bearer key, the only auth form (docs/apis/instatus.md, "Base URLs and authentication").
        headers["Authorization"] = f"Bearer {self.config.get('api_key', '')}"
        return headers


class InstatusEmbeddedStream(InstatusRecords, KitEmbeddedStream):
    """A stream taken from the `updates` embedded in each parent record: no requests.

    See (docs/apis/instatus.md, "Endpoints").
    """

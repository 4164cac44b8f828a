"""The one base stream of tap-instatus: Instatus' URL, auth header and quirks."""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING, Any

from singer_sdk import SchemaDirectory, StreamSchema
from typing_extensions import override

from tap_kit import KitRESTStream
from tap_kit.stream import KitEmbeddedStream, KitStream

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

# One JSON Schema file per stream, named after the stream.
SCHEMAS = SchemaDirectory(resources.files("tap_instatus") / "schemas")
# Nested sites hold other parties' secrets (docs/apis/instatus.md, "Secrets in nested site rows").
SITE_FIELDS_KEPT = ("id", "name", "subdomain")


def trim_sites(value: Any) -> Any:
    """A copy of `value` where every nested `site` object keeps only id, name and subdomain."""
    if isinstance(value, list):
        return [trim_sites(item) for item in value]
    if isinstance(value, dict):
        return {
            key: (
                {k: item[k] for k in SITE_FIELDS_KEPT if k in item}
                if key == "site" and isinstance(item, dict)
                else trim_sites(item)
            )
            for key, item in value.items()
        }
    return value


class InstatusRecords(KitStream):
    """Record handling common to every Instatus stream: nested sites are trimmed first."""

    schema = StreamSchema(SCHEMAS)

    @override
    def post_process(
        self, row: dict[str, Any], context: Context | None = None
    ) -> dict[str, Any] | None:
        return super().post_process(trim_sites(row), context)


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

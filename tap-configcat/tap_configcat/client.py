"""The one base stream of tap-configcat: ConfigCat's URL, Basic auth and quirks."""

from __future__ import annotations

import base64
from collections.abc import Mapping
from importlib import resources
from typing import Any

from singer_sdk import SchemaDirectory, StreamSchema
from typing_extensions import override

from tap_kit import SINGLE_PAGE, KitRESTStream

# One JSON Schema file per stream, named after the stream.
SCHEMAS = SchemaDirectory(resources.files("tap_configcat") / "schemas")
MASK = "***"


class ConfigCatStream(KitRESTStream):
    """A ConfigCat Public Management API stream: Basic auth, mostly unpaginated lists.

    See (docs/apis/configcat.md, "Pagination").
    """

    schema = StreamSchema(SCHEMAS)
    page_style = SINGLE_PAGE
    # 401 is HTTP Basic's "wrong credential" (403/404 mean no permission): fatal anywhere.
    credential_statuses = frozenset({401})

    @classmethod
    @override
    def derived_secrets(cls, config: Mapping[str, Any]) -> tuple[str, str]:
        """`username:password` and its base64 form, the Basic credential: redacted like both."""
        pair = f"{config.get('username', '')}:{config.get('password', '')}"
        return pair, base64.b64encode(pair.encode()).decode()

    @property
    @override
    def http_headers(self) -> dict[str, Any]:
        headers = dict(super().http_headers)
        # Basic auth, only in this header (docs/apis/configcat.md, "Base URL and authentication").
        headers["Authorization"] = "Basic " + self.derived_secrets(self.config)[1]
        headers["Accept"] = "application/json"
        return headers

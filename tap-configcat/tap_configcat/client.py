"""The one base stream of tap-configcat: ConfigCat's URL, Basic auth and quirks."""

from __future__ import annotations

import base64
from importlib import resources
from typing import Any

from singer_sdk import SchemaDirectory, StreamSchema
from typing_extensions import override

from tap_kit import SINGLE_PAGE, KitRESTStream

# One JSON Schema file per stream, named after the stream.
SCHEMAS = SchemaDirectory(resources.files("tap_configcat") / "schemas")
MASK = "***"


class ConfigCatStream(KitRESTStream):
    """A ConfigCat Public Management API stream: Basic auth, mostly unpaginated lists (§1, §2)."""

    schema = StreamSchema(SCHEMAS)
    page_style = SINGLE_PAGE
    # 401 is HTTP Basic's "wrong credential" (403/404 mean no permission): fatal anywhere.
    credential_statuses = frozenset({401})

    @property
    @override
    def http_headers(self) -> dict[str, Any]:
        headers = dict(super().http_headers)
        token = f"{self.config.get('username', '')}:{self.config.get('password', '')}"
        # HTTP Basic with the Public API credential (§1); only ever in this header.
        headers["Authorization"] = "Basic " + base64.b64encode(token.encode()).decode()
        headers["Accept"] = "application/json"
        return headers

"""Decoding response bodies once, with a clear error when a body is not JSON."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

import msgspec
import requests

from tap_kit.errors import TapFatalError

_CACHE_ATTR = "_tap_kit_json"


def json_body(response: requests.Response) -> Any:
    """The decoded JSON body, decoded once per response and shared by parser and paginator."""
    cached = response.__dict__.get(_CACHE_ATTR, _CACHE_ATTR)
    if cached is not _CACHE_ATTR:
        return cached
    try:
        body = msgspec.json.decode(response.content)
    except msgspec.DecodeError:
        content_type = response.headers.get("Content-Type", "").split(";")[0] or "no content type"
        msg = (
            f"{response.status_code} from GET {urlparse(response.url).path}: "
            f"the body is not JSON ({content_type})"
        )
        raise TapFatalError(msg) from None
    response.__dict__[_CACHE_ATTR] = body
    return body

"""Decoding response bodies once: clear errors for bodies that are not JSON or are cut short."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import urlparse

import msgspec
import requests

from tap_kit.errors import MalformedBodyError, TapFatalError
from tap_kit.validation import json_kind

_CACHE_ATTR = "_tap_kit_json"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# A body starting like this was meant to be JSON: if it does not decode, it was cut or garbled.
_JSON_STARTS = tuple(b'{["')


def json_body(response: requests.Response) -> Any:
    """The decoded JSON body, decoded once per response and shared by parser and paginator.

    Raises MalformedBodyError (retried) for cut or garbled JSON, TapFatalError for a body that
    was never JSON (an HTML page: a wrong URL, not a transient fault).
    """
    cached = response.__dict__.get(_CACHE_ATTR, _CACHE_ATTR)
    if cached is not _CACHE_ATTR:
        return cached
    try:
        body = msgspec.json.decode(response.content)
    except msgspec.DecodeError:
        body = _decode_with_the_standard_library(response)
    response.__dict__[_CACHE_ATTR] = body
    return body


def _decode_with_the_standard_library(response: requests.Response) -> Any:
    # msgspec rejects escaped lone surrogates (a cut emoji, "\ud83d"); the JSON grammar and the
    # standard library accept them, so only a body both reject is refused.
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        endpoint = f"{response.status_code} from GET {urlparse(response.url).path}"
        first = response.content.lstrip()[:1]
        if "json" in content_type or (first and first[0] in _JSON_STARTS):
            msg = f"{endpoint}: the body is cut short or is not valid JSON"
            raise MalformedBodyError(msg, response, "truncated or malformed JSON body") from None
        msg = f"{endpoint}: the body is not JSON ({content_type or 'no content type'})"
        raise TapFatalError(msg) from None
    # No UTF-8 output can carry a lone surrogate: each becomes U+FFFD, as a UTF-8 decoder does.
    return _without_lone_surrogates(body)


def _without_lone_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_lone_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {
            _without_lone_surrogates(key): _without_lone_surrogates(item)
            for key, item in value.items()
        }
    return value


def rows_in(body: Any, records_key: str | None, *, one_object: bool) -> list[Any] | None:
    """The rows of a decoded body: a list, or `[object]` for a single-object endpoint.

    None for a null body (or a null at `records_key`). Raises TypeError describing what came
    instead of the expected shape, e.g. an object such as `{"message": ...}` on a list endpoint.
    """
    value = body
    if records_key is not None:
        if not isinstance(body, dict) or records_key not in body:
            if body is None:
                return None
            msg = f"{json_kind(body)} without {records_key!r} where an object with it was expected"
            raise TypeError(msg)
        value = body[records_key]
    if value is None:
        return None
    expected = dict if one_object else list
    if not isinstance(value, expected):
        what = "an object" if one_object else "an array"
        msg = f"{json_kind(value)} where {what} was expected"
        raise TypeError(msg)
    return [value] if isinstance(value, dict) else list(value)

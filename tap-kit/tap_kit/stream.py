"""The base stream of every kit tap: one place for the HTTP behaviour of a REST API.

Leaf streams only declare: name, path, keys, replication key, schema, parent, page style.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, ClassVar, cast
from urllib.parse import urlparse

import backoff
import requests
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from singer_sdk.pagination import BaseAPIPaginator
from singer_sdk.streams import RESTStream
from typing_extensions import override

from tap_kit.calendar_windows import CalendarMonths
from tap_kit.errors import (
    MalformedBodyError,
    PartitionUnavailableError,
    RequestFailedError,
    TapFatalError,
)
from tap_kit.pagination import PAGE_AND_PER_PAGE, GuardedPageNumberPaginator, PageStyle
from tap_kit.responses import json_body, rows_in
from tap_kit.retry import RETRIED_ERRORS, describe_failure
from tap_kit.sdk_compat import (
    ChildSyncHooks,
    SchemaMessageHook,
    finalize_partition,
    write_record,
    write_state,
)
from tap_kit.unions import json_text, loadable_unions

if TYPE_CHECKING:
    from backoff.types import Details
    from singer_sdk import Stream
    from singer_sdk.helpers.types import Context

    from tap_kit.tap import KitTap

# Statuses that say "not yours to read": a whole partition is unavailable, not a transient fault.
_PARTITION_STATUSES = frozenset({401, 403, 404})
_MAX_API_MESSAGE = 200
_ROWS_ATTR = "_tap_kit_rows"
# Context key of the calendar window being read: its query parameters.
_WINDOW_KEY = "calendar_window"


def _endpoint(url: str) -> str:
    """`host/path` of a URL: where a request went, without its query."""
    parts = urlparse(url)
    return f"{parts.netloc}{parts.path}"


def _parse_timestamp(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            return None
    else:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _descendants(stream: Stream) -> list[Stream]:
    return [d for child in stream.child_streams for d in (child, *_descendants(child))]


class KitStream(ChildSyncHooks, SchemaMessageHook):
    """Record handling shared by HTTP streams and streams fed from a parent's embedded list."""

    #: Context keys copied into every record: the parents' keys (docs/design.md, "Records").
    parent_keys: ClassVar[tuple[str, ...]] = ()
    #: Context keys handed on to children without entering records (for example a base URL).
    passed_keys: ClassVar[tuple[str, ...]] = ()
    #: Name under which this stream passes its record's key to its children's context.
    child_context_key: ClassVar[str | None] = None
    #: Record fields handed on to children's context under their own names.
    child_context_fields: ClassVar[tuple[str, ...]] = ()
    #: When resuming from a bookmark, drop rows stamped exactly at it (the API re-sends them).
    bookmark_is_exclusive: ClassVar[bool] = False
    #: Array setting that, when set, keeps only the rows whose key it lists (e.g. page_ids).
    filter_setting: ClassVar[str | None] = None
    #: Fields of varying JSON type also written as JSON text to `<field>_json` (declared in the
    #: schema): a loader's text column cannot tell `true` from `"true"`, the JSON text can.
    json_text_fields: ClassVar[tuple[str, ...]] = ()

    _record_in_sync: dict[str, Any] | None = None
    _context_in_sync: Context | None = None

    @override
    def post_process(
        self, row: dict[str, Any], context: Context | None = None
    ) -> dict[str, Any] | None:
        allowed = self.config.get(self.filter_setting) if self.filter_setting else None
        if allowed:
            self.kit_tap.ids_read.setdefault(self.name, set()).add(row.get(self.primary_keys[0]))
            if row.get(self.primary_keys[0]) not in allowed:
                return None
        for key in self.parent_keys:
            if context is not None and key in context and row.get(key) is None:
                row[key] = context[key]
        if self.replication_key and not self.is_sorted:
            # No server-side "updated since" filter exists: drop rows older than the bookmark here.
            bookmark = _parse_timestamp(self.get_starting_replication_key_value(context))
            value = _parse_timestamp(row.get(self.replication_key))
            if bookmark is not None and value is not None:
                resumed = bool(self.get_context_state(context).get("replication_key_value"))
                if value < bookmark or (
                    value == bookmark and resumed and self.bookmark_is_exclusive
                ):
                    return None
        for field in self.json_text_fields:
            if field in row:
                row[f"{field}_json"] = json_text(row[field])
        return row

    @override
    def announced_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        # Loaders read only the SCHEMA message: there each mixed-type union becomes loadable.
        return loadable_unions(schema)

    @override
    def get_child_context(
        self, record: dict[str, Any], context: Context | None
    ) -> dict[str, Any] | None:
        self.current_record = self._record_in_sync = record
        self._context_in_sync = context
        handed_on = (*self.parent_keys, *self.passed_keys)
        child: dict[str, Any] = {
            key: context[key] for key in handed_on if context and key in context
        }
        if self.child_context_key is not None:
            child[self.child_context_key] = record[
                self.primary_keys[0] if self.primary_keys else "id"
            ]
        for field in self.child_context_fields:
            child[field] = record.get(field)
        return child

    @override
    def children_synced(self, child_context: Context | None) -> None:
        # A descendant's partition keyed by values this record handed on is now complete, unless
        # this stream's own context already fixed them (then later records of it share it).
        if not child_context:
            return
        handed_on, fixed_above = set(child_context), set(self._context_in_sync or {})
        finalized = [
            stream
            for stream in _descendants(self)
            if stream.selected
            and stream.replication_key
            and (keys := set(stream.state_partitioning_keys or ()))
            and keys <= handed_on
            and not keys <= fixed_above
            and finalize_partition(stream, {k: child_context[k] for k in keys})
        ]
        if finalized:
            write_state(finalized[0])  # One STATE for the record: the tap's state is shared.

    @override
    def children_failed(self) -> None:
        # The SDK writes a parent's RECORD after its children: write it before the failure ends
        # the run, so no record read before the failure is lost.
        if self.selected and self._record_in_sync is not None:
            write_record(self, self._record_in_sync)

    @property
    def parent_stream(self) -> Stream | None:
        return next(
            (s for s in self.kit_tap.streams.values() if self in (s.child_streams or [])), None
        )

    @property
    def kit_tap(self) -> KitTap:
        return cast("KitTap", self._tap)

    @override
    def log_sync_costs(self) -> None:
        super().log_sync_costs()
        # The SDK calls this on every stream once all syncing is done: the run's end.
        self.kit_tap.finish_run()


class KitRESTStream(KitStream, RESTStream[Any]):
    """A REST stream with pacing, retry, error policy and page-number pagination from the kit."""

    #: How the endpoint pages; SINGLE_PAGE for unpaginated endpoints.
    page_style: ClassVar[PageStyle] = PAGE_AND_PER_PAGE
    #: Key of the record list in an object body; None when the body is the list itself.
    records_key: ClassVar[str | None] = None
    #: True when the endpoint answers one object (at records_key, or the body itself), not a
    #: list: that object is the one row. On a list endpoint an object is an error, never a row.
    body_is_object: ClassVar[bool] = False
    #: Fixed query parameters of the endpoint (for example a filter that widens the default).
    extra_params: ClassVar[Mapping[str, Any]] = {}
    #: The setting this stream's URLs come from, named when its host cannot be reached.
    url_setting: ClassVar[str] = "api_url"
    #: A source outside the API (e.g. public pages) is best effort: any failure of it skips the
    #: partition with a warning naming its host and url_setting, never the run.
    best_effort_source: ClassVar[bool] = False
    #: Refusal statuses that mean the whole parent record is refused (a page the key may not
    #: read): the parent's other children with the same statuses skip it without a request.
    parent_refusal_statuses: ClassVar[frozenset[int]] = frozenset()
    #: Refusal statuses that mean the credential itself was rejected: fatal on any request.
    credential_statuses: ClassVar[frozenset[int]] = frozenset()
    #: Statuses that make a partition unavailable (skipped with a warning), not the run fail.
    partition_statuses: ClassVar[frozenset[int]] = _PARTITION_STATUSES
    #: Context key that, when true, marks a partition with nothing to read (no request).
    skip_partitions_flagged: ClassVar[str | None] = None
    #: Read each partition as one request per calendar month (see tap_kit.calendar_windows).
    calendar_windows: ClassVar[CalendarMonths | None] = None
    #: The paginator of the listing being read: it knows which rows were already emitted.
    _listing: BaseAPIPaginator[Any] | None = None

    @classmethod
    def derived_secrets(cls, config: Mapping[str, Any]) -> Iterable[str]:
        """Secret values the stream builds from the settings (an encoded token): redacted too."""
        del config
        return ()

    @property
    @override
    def url_base(self) -> str:
        return str(self.config["api_url"]).rstrip("/")

    @property
    @override
    def requests_session(self) -> requests.Session:
        return self.kit_tap.http_session

    @property
    @override
    def timeout(self) -> float:  # type: ignore[override]  # requests takes fractional seconds
        return self.kit_tap.number_setting("request_timeout_seconds")

    @property
    def response_records_key(self) -> str | None:
        """Key of the record list in the response being read (several feeds: override)."""
        return self.records_key

    @override
    def get_new_paginator(self) -> BaseAPIPaginator[Any]:
        key_fields = tuple(self.primary_keys or ("id",))
        self._listing = self.page_style.new_paginator(
            self.response_rows, key_fields=key_fields, label=self.name
        )
        return self._listing

    @override
    def get_url_params(
        self, context: Context | None, next_page_token: Any | None
    ) -> dict[str, Any]:
        window = (context or {}).get(_WINDOW_KEY) or {}
        return {**self.extra_params, **self.page_style.url_params(next_page_token), **window}

    def response_rows(self, response: requests.Response) -> list[Any]:
        """The rows of a validated response, decoded once; [] for a null body."""
        cached = response.__dict__.get(_ROWS_ATTR)
        if cached is not None:
            return cast("list[Any]", cached)
        try:
            rows = rows_in(
                json_body(response), self.response_records_key, one_object=self.body_is_object
            )
            self._check_child_keys(rows or [])
        except TypeError as exc:
            head, api_message = self._status_line(response)
            message = f"{head}: {exc}" + (f" ({api_message})" if api_message else "")
            raise MalformedBodyError(
                self.kit_tap.redactor.redact(message), response, f"{exc} in the body"
            ) from None
        if rows is None:
            self.logger.warning(
                "%s answered null instead of %s: no rows from it.",
                _endpoint(response.url),
                "an object" if self.body_is_object else "an array",
            )
            rows = []
        response.__dict__[_ROWS_ATTR] = rows
        return rows

    def _check_child_keys(self, rows: list[Any]) -> None:
        # Children are read by this key: a row without it is a broken answer, not a record.
        if self.child_context_key is None:
            return
        key_field = self.primary_keys[0] if self.primary_keys else "id"
        if any(isinstance(row, dict) and row.get(key_field) is None for row in rows):
            msg = f"a row without {key_field}"
            raise TypeError(msg)

    @override
    def parse_response(self, response: requests.Response) -> Iterable[dict[str, Any]]:
        rows = self.response_rows(response)
        if isinstance(self._listing, GuardedPageNumberPaginator):
            rows = self._listing.unseen(rows, response)
        for row in rows:
            if isinstance(row, dict):
                yield row

    # Error policy: classify here, wait only in the backoff hooks.

    @override
    def validate_response(self, response: requests.Response) -> None:
        status = response.status_code
        if status in self.kit_tap.retry_policy.rate_limit_statuses or status >= 500:
            raise RetriableAPIError(self.response_error_message(response), response)
        if status in self.partition_statuses:
            raise PartitionUnavailableError(
                self.response_error_message(response), status, urlparse(response.url).path
            )
        if status >= 400:
            raise TapFatalError(self.response_error_message(response))
        # A body that is not JSON, or not the endpoint's shape, fails here: before any record.
        self.response_rows(response)

    def api_error_message(self, body: Any) -> str | None:
        """The API's own error text; override for APIs that nest it differently."""
        if isinstance(body, dict):
            message = body.get("message")
            if isinstance(message, str):
                return message
            error = body.get("error")
            if isinstance(error, dict) and isinstance(error.get("message"), str):
                return cast("str", error["message"])
        return None

    def _status_line(self, response: requests.Response) -> tuple[str, str | None]:
        """`200 OK from GET /path`, and the API's own message, flattened and bounded."""
        try:
            phrase = HTTPStatus(response.status_code).phrase
        except ValueError:
            phrase = response.reason or ""
        head = f"{response.status_code} {phrase}".strip()
        head += f" from {response.request.method or 'GET'} {urlparse(response.url).path}"
        try:
            api_message = self.api_error_message(json_body(response))
        except (TapFatalError, RetriableAPIError):
            api_message = None
        # One line, bounded, and never a raw body: the API's message only.
        flat = " ".join(api_message.split())[:_MAX_API_MESSAGE] if api_message else None
        return head, flat or None

    @override
    def response_error_message(self, response: requests.Response) -> str:
        head, api_message = self._status_line(response)
        text = f"{head}: {api_message}" if api_message else head
        return self.kit_tap.redactor.redact(text)

    @override
    def request_decorator(self, func: Callable[..., Any]) -> Callable[..., Any]:
        retrying = backoff.on_exception(
            self.backoff_wait_generator,
            RETRIED_ERRORS,
            max_tries=self.backoff_max_tries,
            on_backoff=self.backoff_handler,
            jitter=self.backoff_jitter,
            logger=None,  # backoff_handler logs the one line per retry; backoff's own is raw.
        )(func)

        def request(prepared_request: requests.PreparedRequest, context: Context | None) -> Any:
            try:
                return retrying(prepared_request, context)
            except RETRIED_ERRORS as exc:
                raise RequestFailedError(
                    self.final_error_line(exc, prepared_request), str(prepared_request.url), exc
                ) from exc
            except PartitionUnavailableError as exc:
                if exc.status == HTTPStatus.NOT_FOUND and not context:
                    # A list every run reads is missing: the base URL is wrong, not one partition.
                    hint = f"{str(exc).rstrip('.')}. Check the {self.url_setting} setting"
                    raise PartitionUnavailableError(
                        self.kit_tap.redactor.redact(hint), exc.status, exc.path
                    ) from None
                raise

        return request

    def final_error_line(self, exc: BaseException, request: requests.PreparedRequest) -> str:
        """One line for a request that failed on every try: the endpoint, why, what to check."""
        tries = self.kit_tap.retry_policy.max_tries
        endpoint = _endpoint(str(request.url))
        host = urlparse(str(request.url)).netloc
        head = f"{request.method or 'GET'} {endpoint} failed on all {tries} tries (max_tries)"
        if isinstance(exc, requests.exceptions.Timeout):
            seconds = float(self.timeout)
            return (
                f"{head}: no complete answer within {seconds:g} s. Check that {host} is "
                f"reachable, or raise request_timeout_seconds."
            )
        if isinstance(exc, RetriableAPIError):
            return self.kit_tap.redactor.redact(
                f"{head}: {exc}. The service is failing: try again later, or raise max_tries."
            )
        cause = describe_failure(exc)
        return f"{head}: {cause}. Check the {self.url_setting} setting ({host}) and the network."

    @override
    def backoff_wait_generator(self) -> Any:
        return self.kit_tap.retry_policy.wait_generator()

    @override
    def backoff_max_tries(self) -> int:
        return self.kit_tap.retry_policy.max_tries

    @override
    def backoff_jitter(self, value: float) -> float:
        return value  # Waits are exact: Retry-After means what it says.

    @override
    def backoff_handler(self, details: Details) -> None:
        exc = details.get("exception")
        tries = int(details.get("tries", 0))
        reason = self.kit_tap.retry_policy.wait_for(exc, tries).reason if exc else "retry"
        args = details.get("args") or ()
        request = args[0] if args and isinstance(args[0], requests.PreparedRequest) else None
        target = (
            f"{request.method or 'GET'} {_endpoint(str(request.url))}"
            if request is not None
            else self.path or self.name
        )
        self.logger.warning(
            "Waiting %.1f s before try %d of %d of %s (stream %s): %s",
            details.get("wait", 0.0),
            tries + 1,
            self.kit_tap.retry_policy.max_tries,
            target,
            self.name,
            self.kit_tap.redactor.redact(reason),
        )

    @override
    def request_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        # A list that answers a row, or answers to its end, is one the credentials can read.
        counted = False
        for record in super().request_records(context):
            if not counted:
                counted = True
                self.kit_tap.readable_lists[self.name] += 1
            yield record
        if not counted:
            self.kit_tap.readable_lists[self.name] += 1

    def read_partition(self, context: Context | None) -> Iterable[dict[str, Any]]:
        """Every record of one partition; a failure here skips (or fails) the whole partition."""
        if self.skip_partitions_flagged and (context or {}).get(self.skip_partitions_flagged):
            return ()
        if self.calendar_windows is not None:
            return self._read_calendar_windows(self.calendar_windows, context or {})
        return super().get_records(context)

    def _read_calendar_windows(
        self, windows: CalendarMonths, context: Context
    ) -> Iterable[dict[str, Any]]:
        bookmark = self.get_starting_replication_key_value(context)
        for window in windows.months(context, bookmark, self.config.get("start_date")):
            yield from super().get_records({**context, _WINDOW_KEY: window})

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        if self.kit_tap.skip_if_parent_refused(self, context):
            return
        try:
            yield from self.read_partition(context)
        except (
            FatalAPIError,
            RetriableAPIError,
            requests.RequestException,
            ConnectionError,
        ) as exc:
            if self.best_effort_source:
                self.kit_tap.skip_failed_source(self, exc, context)
            elif isinstance(exc, PartitionUnavailableError):
                self.kit_tap.handle_unavailable(self, exc, context)
            else:
                raise
        else:
            self.kit_tap.warn_unknown_ids(self)


class KitEmbeddedStream(KitStream):
    """A child stream whose records are a list embedded in each parent record: no requests."""

    #: Field of the parent record that holds this stream's rows.
    embedded_field: ClassVar[str]
    _schema_written = False

    @override
    def _write_schema_message(self) -> None:
        # The SDK writes SCHEMA on every child sync, here once per parent record: once is enough.
        if not self._schema_written:
            self._schema_written = True
            super()._write_schema_message()

    @override
    def get_records(self, context: Context | None) -> Iterable[dict[str, Any]]:
        rows = getattr(self.parent_stream, "current_record", {}).get(self.embedded_field) or []
        for row in [rows] if isinstance(rows, dict) else rows:  # one embedded object, or a list
            if isinstance(row, dict):
                yield dict(row)

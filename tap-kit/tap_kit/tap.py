"""The base tap of the kit: shared pacer and session, retry policy, skip ledger, one-line errors."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import requests
from singer_sdk import Stream, Tap
from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from typing_extensions import override

from tap_kit.errors import PartitionUnavailableError, TapFatalError
from tap_kit.pacing import Pacer, paced_session
from tap_kit.retry import RetryPolicy
from tap_kit.secrets import SecretRedactor
from tap_kit.settings import number_setting

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_kit.stream import KitRESTStream, KitStream


@dataclass(frozen=True)
class SkippedPartition:
    stream: str
    partition: str
    reason: str
    #: A best-effort source (public page) failed, rather than the API refusing the credentials.
    source_failed: bool = False


def describe_partition(stream: Stream, context: Context | None) -> str:
    """`page_id=abc` style label of a partition: its state keys (or all its scalar values)."""
    if not context:
        return "(whole stream)"
    keys = stream.state_partitioning_keys or tuple(context)
    return ", ".join(
        f"{key}={context[key]}"
        for key in keys
        if key in context and isinstance(context[key], (str, int, float))
    )


def _discard_progress(stream: Stream, context: Context) -> None:
    """Forget the bookmark progress of a partition (and its children) that was not fully read."""
    if stream.replication_key:
        stream.get_context_state(context).pop("progress_markers", None)
    for child in stream.child_streams:
        _discard_progress(child, context)


def _parent_record_key(stream: Stream, context: Context) -> tuple[str, str]:
    """The parent record a child context comes from: siblings are handed the same context."""
    parent = stream.parent_stream_type.__name__ if stream.parent_stream_type else ""
    return parent, repr(sorted((key, repr(value)) for key, value in context.items()))


def describe_source_failure(exc: BaseException, path: str, tries: int) -> str:
    """What went wrong with one request to a source, naming its path, in one line."""
    if isinstance(exc, RetriableAPIError):
        return f"{' '.join(str(exc).split())}, on each of {tries} tries"
    if isinstance(exc, FatalAPIError):
        return " ".join(str(exc).split())
    if isinstance(exc, requests.exceptions.Timeout):
        return f"GET {path} timed out on each of {tries} tries"
    if isinstance(exc, (requests.exceptions.ConnectionError, ConnectionError)):
        return f"GET {path} could not connect on each of {tries} tries"
    return f"GET {path} failed: {type(exc).__name__}"


class KitTap(Tap):
    """A tap whose streams share one pacer, one HTTP session and one retry policy."""

    message_writer_class = MsgSpecWriter
    #: Settings that name credentials, for error messages on a 401.
    credential_settings: ClassVar[tuple[str, ...]] = ("api_key",)
    #: The tap's streams, in sync order (parents before their children).
    stream_types: ClassVar[tuple[type[Stream], ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.skipped: list[SkippedPartition] = []
        #: Lists that answered, per stream: a stream with none and a refusal failed entirely.
        self.readable_lists: Counter[str] = Counter()
        #: Keys read by each stream that filters on an id setting (page_ids, product_ids, ...).
        self.ids_read: dict[str, set[Any]] = {}
        #: Parent records whose every child list is refused, by the first refusal.
        self._refused_parents: dict[tuple[str, str], str] = {}
        self._run_finished = False
        super().__init__(*args, **kwargs)
        self.redactor.install()
        # A setting that is not a number fails here, before any request, not mid-run.
        for name, spec in self.config_jsonschema.get("properties", {}).items():
            if "number" in spec.get("type", ()):
                self.number_setting(name)

    @override
    def discover_streams(self) -> list[Stream]:
        return [stream_type(tap=self) for stream_type in self.stream_types]

    @cached_property
    def redactor(self) -> SecretRedactor:
        properties = self.config_jsonschema.get("properties", {})
        secret_names = [name for name, spec in properties.items() if spec.get("secret")]
        return SecretRedactor(
            str(self.config[name]) for name in secret_names if self.config.get(name)
        )

    def number_setting(self, name: str) -> float:
        """A numeric setting as a float, its default taken from the settings schema."""
        default = self.config_jsonschema["properties"][name].get("default")
        return number_setting(self.config, name, float(default) if default is not None else 0.0)

    @cached_property
    def pacer(self) -> Pacer:
        rate = self.number_setting("requests_per_second")
        if rate < 0:
            msg = f"requests_per_second must be 0 (no pacing) or positive, not {rate:g}"
            raise TapFatalError(msg)
        return Pacer(rate or None)

    @cached_property
    def http_session(self) -> requests.Session:
        return paced_session(self.pacer)

    @cached_property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_tries=int(self.number_setting("max_tries")),
            max_wait_seconds=self.number_setting("max_wait_seconds"),
            backoff_base_seconds=self.number_setting("backoff_base_seconds"),
        )

    def handle_unavailable(
        self, stream: KitRESTStream, exc: PartitionUnavailableError, context: Context | None
    ) -> None:
        """Skip a refused partition with a warning, or fail when it must not be skipped."""
        rejected_credential = exc.status in stream.credential_statuses
        if not context or rejected_credential:
            hint = (
                f" Check the {' / '.join(self.credential_settings)} setting."
                if exc.status == 401 or rejected_credential
                else ""
            )
            raise TapFatalError(f"{str(exc).rstrip('.')}.{hint}") from None
        # Rows already read from this partition must not move its bookmark past unread ones.
        _discard_progress(stream, context)
        if self.config.get("fail_on_skipped_partitions"):
            msg = (
                f"{exc} ({describe_partition(stream, context)}; fail_on_skipped_partitions is true)"
            )
            raise TapFatalError(msg) from None
        skip = SkippedPartition(stream.name, describe_partition(stream, context), str(exc))
        self.skipped.append(skip)
        siblings = self._siblings_refused_with(stream, exc.status)
        if siblings:
            self._refused_parents[_parent_record_key(stream, context)] = str(exc)
            self.logger.warning(
                "Skipped streams %s for %s: %s (one refusal covers them all: no other request)",
                ", ".join(siblings),
                skip.partition,
                skip.reason,
            )
            return
        self.logger.warning(
            "Skipped stream %s for %s: %s", skip.stream, skip.partition, skip.reason
        )

    def _siblings_refused_with(self, stream: KitRESTStream, status: int) -> list[str]:
        """The stream and its selected later siblings that a refusal with `status` covers."""
        if status not in stream.parent_refusal_statuses or stream.parent_stream is None:
            return []
        siblings = stream.parent_stream.child_streams
        return [stream.name] + [
            sibling.name
            for sibling in siblings[siblings.index(stream) + 1 :]
            if sibling.selected and status in getattr(sibling, "parent_refusal_statuses", ())
        ]

    def skip_if_parent_refused(self, stream: KitRESTStream, context: Context | None) -> bool:
        """True, with the skip recorded, when a sibling's refusal already covers this context."""
        if not context or not stream.parent_refusal_statuses:
            return False
        reason = self._refused_parents.get(_parent_record_key(stream, context))
        if reason is None:
            return False
        self.skipped.append(
            SkippedPartition(stream.name, describe_partition(stream, context), reason)
        )
        return True

    def skip_failed_source(
        self, stream: KitRESTStream, exc: BaseException, context: Context | None
    ) -> None:
        """Skip a partition whose best-effort source (e.g. a public page) failed, with a warning."""
        if context:
            _discard_progress(stream, context)
        source = urlsplit(stream.get_url(context))
        reason = describe_source_failure(exc, source.path, self.retry_policy.max_tries)
        skip = SkippedPartition(
            stream.name, describe_partition(stream, context), reason, source_failed=True
        )
        self.skipped.append(skip)
        self.logger.warning(
            "Skipped stream %s for %s: source host %s failed: %s; check %s (the run goes on)",
            skip.stream,
            skip.partition,
            source.netloc,
            skip.reason,
            stream.source_setting,
        )

    def warn_unknown_ids(self, stream: KitStream) -> None:
        """A warning for each id of a filter setting (page_ids, ...) that no record matched."""
        setting = stream.filter_setting
        wanted = self.config.get(setting) if setting else None
        if not wanted:
            return
        read = self.ids_read.get(stream.name, set())
        for unknown in [value for value in wanted if value not in read]:
            self.logger.warning(
                "Setting %s lists %s, which matches no %s record read (a wrong id, one the "
                "credentials cannot see, or one excluded by another filter)",
                setting,
                unknown,
                stream.name,
            )

    def finish_run(self) -> None:
        """At the end of the run: one summary of every skip; fail if a stream read nothing.

        The rule: a partition the API refuses (401/403/404 on a page-scoped request) is
        skipped with a warning, but when every partition of a stream was refused, so that it
        read no list at all, the run fails with one line naming the streams and the setting to
        check. A refusal of a root list (no partition) fails at once, and so does any status a
        stream declares a rejected credential (`credential_statuses`). A best-effort source
        (`source_setting`, e.g. public pages) never fails the run: its failures are skipped.
        """
        if self._run_finished:
            return
        self._run_finished = True
        if not self.skipped:
            return
        self._log_skip_summary()
        refused = sorted(
            {
                skip.stream
                for skip in self.skipped
                if not skip.source_failed and not self.readable_lists[skip.stream]
            }
        )
        if refused:
            partitions = sorted({skip.partition for skip in self.skipped if skip.stream in refused})
            filters = [
                name
                for name in (getattr(s, "filter_setting", None) for s in self.streams.values())
                if name and self.config.get(name)
            ]
            check = " / ".join((*self.credential_settings, *filters))
            msg = (
                f"every partition of stream(s) {', '.join(refused)} was refused "
                f"({'; '.join(partitions)}), so none of them could be read. "
                f"Check the {check} setting, or deselect those streams."
            )
            raise TapFatalError(msg)

    def _log_skip_summary(self) -> None:
        partitions = sorted({skip.partition for skip in self.skipped})
        self.logger.warning(
            "Run finished with %d skipped stream partition(s) across %d partition(s): %s",
            len(self.skipped),
            len(partitions),
            "; ".join(
                f"{p} ({', '.join(sorted({s.stream for s in self.skipped if s.partition == p}))})"
                for p in partitions
            ),
        )


def _one_line(exc: BaseException, credential_settings: tuple[str, ...]) -> str:
    if isinstance(exc, RetriableAPIError):
        return f"gave up after max_tries: {exc}"
    if isinstance(exc, requests.exceptions.Timeout):
        return "gave up after max_tries: requests timed out (see request_timeout_seconds)"
    if isinstance(exc, requests.exceptions.InvalidHeader):
        names = " / ".join(credential_settings)
        return f"check the {names} setting: it holds characters a header cannot carry (a newline?)"
    if isinstance(exc, requests.exceptions.ConnectionError):
        return "connection failed on every try: check the api_url setting and the network"
    return " ".join(str(exc).split())


def run_cli(tap_class: type[KitTap]) -> None:
    """Run the tap's CLI; a failure ends with one clear line on stderr and exit code 1."""
    try:
        tap_class.cli()
    except (FatalAPIError, RetriableAPIError, requests.exceptions.RequestException) as exc:
        sys.stdout.flush()
        # One line, no traceback: the message already names the setting or the endpoint.
        logger = logging.getLogger(tap_class.name)
        logger.error("%s: error: %s", tap_class.name, _one_line(exc, tap_class.credential_settings))  # noqa: TRY400
        sys.exit(1)

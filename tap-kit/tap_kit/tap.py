"""The base tap of the kit: shared pacer and session, retry policy, skip ledger, one-line errors."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlparse, urlsplit

import requests
from singer_sdk import Stream
from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from typing_extensions import override

from tap_kit.capabilities import EmbeddedRows, FanOut, Refused, StreamKeys
from tap_kit.errors import PartitionUnavailableError, SettingsError, TapFatalError
from tap_kit.pacing import Pacer
from tap_kit.retry import RetryPolicy, describe_failure
from tap_kit.sdk_compat import ConfigValidationHook, RunEndHook, discard_progress
from tap_kit.secrets import SecretRedactor, secret_strings
from tap_kit.settings import number_setting
from tap_kit.stream import KitRESTStream
from tap_kit.transport import kit_session
from tap_kit.validation import CredentialRule, check_config_files, settings_problems

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context

    from tap_kit.stream import KitStream


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
        discard_progress(stream, context)
    for child in stream.child_streams:
        _discard_progress(child, context)


def _parent_record_key(stream: Stream, context: Context) -> tuple[str, str]:
    """The parent record a child context comes from: siblings are handed the same context."""
    parent = stream.parent_stream_type.__name__ if stream.parent_stream_type else ""
    return parent, repr(sorted((key, repr(value)) for key, value in context.items()))


def describe_source_failure(exc: BaseException, path: str, setting: str) -> str:
    """What went wrong with a best-effort source, in one line that names its setting."""
    if isinstance(exc, FatalAPIError):  # The kit's own line: the endpoint, tries, the cause.
        text = " ".join(str(exc).split())
    else:
        text = f"GET {path}: {describe_failure(exc)}"
    return text if setting in text else f"{text.rstrip('.')}; check {setting}"


class KitTap(ConfigValidationHook, RunEndHook):
    """A tap whose streams share one pacer, one HTTP session and one retry policy."""

    message_writer_class = MsgSpecWriter
    #: Settings that name credentials: required and not blank before any request, never
    #: printed, named on a 401.
    credential_settings: ClassVar[tuple[str, ...]] = ("api_key",)
    #: Settings any one of which, when set, lets the tap run without credentials (public mode).
    credentials_optional_with: ClassVar[tuple[str, ...]] = ()
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
        #: Rows parent records embed, handed to their embedded child streams.
        self.embedded_rows = EmbeddedRows()
        #: Keys read by the streams others fan out over, per partition.
        self.stream_keys = StreamKeys()
        # Redaction starts first: validation may quote a setting, the SDK logs as it starts.
        self.redactor = SecretRedactor()
        self.redactor.install(logging.getLogger(self.name))
        super().__init__(*args, **kwargs)

    @override
    def discover_streams(self) -> list[Stream]:
        return [stream_type(tap=self) for stream_type in self.stream_types]

    @classmethod
    def derived_secrets(cls, config: Mapping[str, Any]) -> list[str]:
        """Secret values the tap's streams build from the settings (e.g. a Basic token)."""
        found: list[str] = []
        for stream_type in cls.stream_types:
            if issubclass(stream_type, KitRESTStream):
                try:
                    found.extend(stream_type.derived_secrets(config))
                except (TypeError, ValueError, AttributeError):
                    continue  # Settings too malformed to build from: validation names them.
        return found

    @override
    def validate_settings(
        self, config: MutableMapping[str, Any], *, raise_errors: bool
    ) -> list[str]:
        properties = self.config_jsonschema.get("properties", {})
        hidden = {name for name, spec in properties.items() if spec.get("secret")}
        for name in {*hidden, *self.credential_settings}:
            self.redactor.add(secret_strings(config.get(name)))
        self.redactor.add(self.derived_secrets(config))
        schema = self.config_jsonschema
        self.append_builtin_config(schema)
        rule = CredentialRule(self.credential_settings, self.credentials_optional_with)
        problems = settings_problems(config, schema, credentials=rule)
        if problems and raise_errors:
            raise SettingsError("invalid settings: " + "; ".join(problems))
        if problems:
            self.logger.info("Settings a sync would refuse: %s", "; ".join(problems))
        return problems

    def setting_default(self, name: str) -> Any:
        """The default the settings schema declares for `name` (None without one)."""
        return self.config_jsonschema["properties"][name].get("default")

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
        return kit_session(self.pacer)

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
        reason = describe_source_failure(exc, source.path, stream.url_setting)
        skip = SkippedPartition(
            stream.name, describe_partition(stream, context), reason, source_failed=True
        )
        self.skipped.append(skip)
        self.logger.warning(
            "Skipped stream %s for %s: source host %s failed: %s (the run goes on)",
            skip.stream,
            skip.partition,
            source.netloc,
            skip.reason,
        )

    def fan_out_over(self, stream: Stream) -> FanOut | None:
        """The fan-out of another stream over this stream's keys, if any stream declares one."""
        return next(
            (
                fan_out
                for other in self.streams.values()
                if (fan_out := getattr(other, "fan_out", None)) is not None
                and fan_out.stream == stream.name
            ),
            None,
        )

    def keys_read(self, fan_out: FanOut, context: Context, keys: list[Any]) -> None:
        """The fan-out source read its partition `context` to its end: these are its keys."""
        self.stream_keys.record(fan_out.stream, fan_out.scope_of(context), keys)

    def keys_refused(
        self, fan_out: FanOut, context: Context, exc: PartitionUnavailableError
    ) -> None:
        """The API refused the fan-out source's partition `context`."""
        self.stream_keys.record(fan_out.stream, fan_out.scope_of(context), Refused(exc))

    def fan_out_keys(self, stream: KitRESTStream, context: Context) -> list[Any]:
        """The keys `stream` fans out over in `context`: as its source read them in this run,
        else read now (without emitting them); raises a refusal of that source's list."""
        fan_out = stream.fan_out
        if fan_out is None:
            return []
        scope = fan_out.scope_of(context)
        keys = self.stream_keys.get(fan_out.stream, scope)
        if keys is None:
            source = self.streams[fan_out.stream]
            if not isinstance(source, KitRESTStream):
                msg = f"stream {stream.name} fans out over {fan_out.stream}, which is not a list"
                raise TypeError(msg)
            try:
                keys = [row[fan_out.key] for row in source.request_records(scope)]
            except PartitionUnavailableError as exc:
                keys = Refused(exc)
            self.stream_keys.record(fan_out.stream, scope, keys)
        if isinstance(keys, Refused):
            refused = keys.error
            where = ", ".join(f"{name}={value}" for name, value in scope.items())
            msg = (
                f"the {fan_out.stream} list of {where} was refused, so there is no "
                f"{fan_out.key} to read: {refused}"
            )
            raise PartitionUnavailableError(msg, refused.status, refused.path)
        return keys

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

    def _fail_if_every_source_failed(self) -> None:
        """A root stream read only from best-effort sources, all of which failed, read nothing:
        that is a wrong setting or no network, not a partial success."""
        failed = {
            skip.stream: stream
            for skip in self.skipped
            if skip.source_failed
            and not self.readable_lists[skip.stream]
            and (stream := self.streams.get(skip.stream)) is not None
            and stream.parent_stream_type is None
        }
        if not failed:
            return
        settings = sorted({getattr(stream, "url_setting", "api_url") for stream in failed.values()})
        partitions = sorted({skip.partition for skip in self.skipped if skip.stream in failed})
        msg = (
            f"every source of stream(s) {', '.join(sorted(failed))} failed "
            f"({'; '.join(partitions)}), so nothing was read. Check the "
            f"{' / '.join(settings)} setting and the network."
        )
        raise TapFatalError(msg)

    @override
    def run_finished(self, *, failed: bool) -> None:
        self.finish_run(failed=failed)

    def finish_run(self, *, failed: bool = False) -> None:
        """At the end of the run: one summary of every skip; fail if a stream read nothing.

        When the run is already failing, the summary is still logged and the failure stands.

        The rule: a partition the API refuses (401/403/404 on a page-scoped request) is
        skipped with a warning, but when every partition of a stream was refused, so that it
        read no list at all, the run fails with one line naming the streams and the setting to
        check. A refusal of a root list (no partition) fails at once, and so does any status a
        stream declares a rejected credential (`credential_statuses`). A best-effort source
        (`best_effort_source`, e.g. public pages) never fails the run: its failures are skipped.
        """
        if self._run_finished:
            return
        self._run_finished = True
        if not self.skipped:
            return
        self._log_skip_summary()
        if failed:
            return
        refused = sorted(
            {
                skip.stream
                for skip in self.skipped
                if not skip.source_failed and not self.readable_lists[skip.stream]
            }
        )
        self._fail_if_every_source_failed()
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
    # Stream requests fail as RequestFailedError, already one line; these are the fallbacks.
    if isinstance(exc, requests.exceptions.InvalidHeader):
        names = " / ".join(credential_settings)
        return f"check the {names} setting: it holds characters a header cannot carry (a newline?)"
    if isinstance(exc, requests.exceptions.RequestException) and exc.request is not None:
        parts = urlparse(str(exc.request.url))
        return f"GET {parts.netloc}{parts.path} failed: {describe_failure(exc)}"
    if isinstance(exc, RetriableAPIError):
        return f"gave up after max_tries: {exc}"
    return " ".join(str(exc).split())


def run_cli(tap_class: type[KitTap]) -> None:
    """Run the tap's CLI; a failure ends with one clear line on stderr and exit code 1."""
    try:
        check_config_files(sys.argv[1:])
        tap_class.cli()
    except (
        FatalAPIError,
        RetriableAPIError,
        requests.exceptions.RequestException,
        SettingsError,
    ) as exc:
        sys.stdout.flush()
        # One line, no traceback: the message already names the setting or the endpoint.
        logger = logging.getLogger(tap_class.name)
        logger.error("%s: error: %s", tap_class.name, _one_line(exc, tap_class.credential_settings))  # noqa: TRY400
        sys.exit(1)

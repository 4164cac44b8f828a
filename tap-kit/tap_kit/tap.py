"""The base tap of the kit: shared pacer and session, retry policy, skip ledger, one-line errors."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlparse

import requests
from singer_sdk import Stream, Tap
from singer_sdk.contrib.msgspec import MsgSpecWriter
from singer_sdk.exceptions import FatalAPIError, RetriableAPIError
from typing_extensions import override

from tap_kit.errors import PartitionUnavailableError, SettingsError, TapFatalError
from tap_kit.pacing import Pacer
from tap_kit.retry import RetryPolicy, describe_failure
from tap_kit.secrets import SecretRedactor, secret_strings
from tap_kit.stream import KitRESTStream
from tap_kit.transport import kit_session
from tap_kit.validation import CredentialRule, check_config_files, settings_problems

if TYPE_CHECKING:
    from singer_sdk.helpers.types import Context


@dataclass(frozen=True)
class SkippedPartition:
    stream: str
    partition: str
    reason: str


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


class KitTap(Tap):
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
        self._summary_logged = False
        # Redaction starts first: validation may quote a setting, the SDK logs as it starts.
        self.redactor = SecretRedactor()
        self.redactor.install()
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
    def _validate_config(self, *, raise_errors: bool = True) -> list[str]:
        # The SDK's hook, run once the settings are merged (files and environment).
        properties = self.config_jsonschema.get("properties", {})
        hidden = {name for name, spec in properties.items() if spec.get("secret")}
        for name in {*hidden, *self.credential_settings}:
            self.redactor.add(secret_strings(self._config.get(name)))
        self.redactor.add(self.derived_secrets(self._config))
        schema = self.config_jsonschema
        self.append_builtin_config(schema)
        rule = CredentialRule(self.credential_settings, self.credentials_optional_with)
        problems = settings_problems(self._config, schema, credentials=rule)
        if problems and raise_errors:
            raise SettingsError("invalid settings: " + "; ".join(problems))
        if problems:
            self.logger.info("Settings a sync would refuse: %s", "; ".join(problems))
        return problems

    @cached_property
    def pacer(self) -> Pacer:
        rate = self.config.get("requests_per_second")
        if rate is not None and rate < 0:
            msg = f"requests_per_second must be 0 (no pacing) or positive, not {rate}"
            raise TapFatalError(msg)
        return Pacer(float(rate) if rate else None)

    @cached_property
    def http_session(self) -> requests.Session:
        return kit_session(self.pacer)

    @cached_property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_tries=int(self.config.get("max_tries", 5)),
            max_wait_seconds=float(self.config.get("max_wait_seconds", 300)),
            backoff_base_seconds=float(self.config.get("backoff_base_seconds", 2)),
        )

    def handle_unavailable(
        self, stream: Stream, exc: PartitionUnavailableError, context: Context | None
    ) -> None:
        """Skip a refused partition with a warning, or fail when it must not be skipped."""
        if not context:
            hint = (
                f" Check the {' / '.join(self.credential_settings)} setting."
                if exc.status == 401
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
        self.logger.warning(
            "Skipped stream %s for %s: %s", skip.stream, skip.partition, skip.reason
        )

    def log_skip_summary(self) -> None:
        """One summary of every skipped partition, logged once at the end of the run."""
        if self._summary_logged:
            return
        self._summary_logged = True
        if not self.skipped:
            return
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

"""The three taps as their tests see them: sandbox account, settings, published streams and keys.

One `TapSpec` per tap holds what the per-tap tests, the SDK standard tests, the packaging and the
end-to-end tests would otherwise each write down again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from singer_sdk import Tap

from sandbox import Sandbox
from sandbox.configcat import ConfigCatData
from sandbox.instatus import InstatusData
from sandbox.server import StatsSnapshot
from sandbox.statuspage import PageSpec, StatuspageData
from tap_configcat.tap import TapConfigCat
from tap_instatus.tap import TapInstatus
from tap_statuspage.tap import TapStatuspage
from tests.taprun import TapRun, sync_counting_requests

DataT = TypeVar("DataT", StatuspageData, InstatusData, ConfigCatData)

#: The seed of the account the per-tap tests share (the sandbox's "small" size).
SEED = 7
#: One full sync and the sandbox's request stats of exactly that run.
FullSync = tuple[TapRun, StatsSnapshot]
# Before the sandbox's first ConfigCat audit entry: a first run reads the whole history.
CONFIGCAT_START_DATE = "2026-05-01T00:00:00Z"


@dataclass(frozen=True)
class TapSpec(Generic[DataT]):
    """One tap: its API's seeded account in the sandbox and how a test points the tap at it."""

    #: The sandbox's name of the API (`Sandbox(<api>=...)`, `ground_truth(<api>)`).
    api: str
    data_type: type[DataT]
    tap_class: type[Tap]
    #: The settings that point the tap at a running sandbox: URLs and credentials.
    settings_for: Callable[[Sandbox, DataT], dict[str, Any]]
    #: The account's secrets, which no output may show.
    secrets_of: Callable[[DataT], list[str]]
    #: Published streams and their primary keys, which users' tables rely on.
    keys: dict[str, tuple[str, ...]]
    #: Settings the standard tests' class is built with at import time (offline, discovery only).
    placeholder_config: dict[str, Any]
    #: SDK standard tests that cannot apply to this tap, each with the reason.
    inapplicable_standard_tests: dict[str, str] = field(default_factory=dict)
    #: Streams not selected by default (costly); the standard tests select them too.
    opt_in_streams: tuple[str, ...] = ()
    #: The account the standard tests read when the shared one is too big for them.
    standard_data: Callable[[], DataT] | None = None

    @property
    def executable(self) -> str:
        return f"tap-{self.api}"

    def catalog(self, config: dict[str, Any]) -> dict[str, Any]:
        """The tap's catalog with every stream selected, the opt-in ones too."""
        catalog: dict[str, Any] = self.tap_class(config=config, validate_config=False).catalog_dict
        for entry in catalog["streams"]:
            for metadata in entry["metadata"]:
                if metadata["breadcrumb"] == []:
                    metadata["metadata"]["selected"] = True
        return catalog

    def data(self, seed: int = SEED, size: str = "small") -> DataT:
        return self.data_type.from_size(seed=seed, size=size)

    def serve(self, data: DataT) -> Sandbox:
        """A sandbox speaking only this tap's API (start it with `with`)."""
        if isinstance(data, StatuspageData):
            return Sandbox(statuspage=data)
        if isinstance(data, InstatusData):
            return Sandbox(instatus=data)
        return Sandbox(configcat=data)

    def data_in(self, sandbox: Sandbox) -> DataT:
        """This tap's account in a sandbox that may speak several APIs."""
        data = getattr(sandbox, self.api)
        assert isinstance(data, self.data_type), f"the sandbox does not speak {self.api}"
        return data

    def config(self, sandbox: Sandbox, data: DataT, **extra: Any) -> dict[str, Any]:
        """Settings of a quick run against the sandbox: no pacing to speak of, short backoff."""
        return {
            **self.settings_for(sandbox, data),
            "requests_per_second": 1000,
            "backoff_base_seconds": 0.05,
            **extra,
        }

    def env(self, sandbox: Sandbox, data: DataT, **extra: str) -> dict[str, str]:
        """The sandbox's settings as the environment variables Meltano reads, and `extra`.

        Pacing as text, the way Meltano hands over a `kind: string` setting.
        """
        prefix = self.executable.upper().replace("-", "_")
        settings = {**self.settings_for(sandbox, data), "requests_per_second": "1000", **extra}
        return {f"{prefix}_{name.upper()}": str(value) for name, value in settings.items()}


def _statuspage_settings(sandbox: Sandbox, data: StatuspageData) -> dict[str, Any]:
    # The organization id adds the `users` stream.
    return {
        "api_url": sandbox.statuspage_api_url,
        "api_key": data.api_key,
        "organization_id": data.organization_id,
    }


def _instatus_settings(sandbox: Sandbox, data: InstatusData) -> dict[str, Any]:
    return {
        "api_url": sandbox.instatus_api_url,
        "api_key": data.api_key,
        "public_url_template": sandbox.instatus_public_url_template,
    }


def _configcat_settings(sandbox: Sandbox, data: ConfigCatData) -> dict[str, Any]:
    return {
        "api_url": sandbox.configcat_api_url,
        "username": data.username,
        "password": data.password,
        "start_date": CONFIGCAT_START_DATE,
    }


STATUSPAGE = TapSpec(
    api="statuspage",
    data_type=StatuspageData,
    tap_class=TapStatuspage,
    settings_for=_statuspage_settings,
    secrets_of=lambda data: [data.api_key],
    keys=dict.fromkeys(
        [
            "pages",
            "component_groups",
            "components",
            "incidents",
            "incident_updates",
            "incident_templates",
            "subscribers",
            "metrics_providers",
            "metrics",
            "page_access_users",
            "page_access_groups",
            "users",
        ],
        ("id",),
    )
    | {"component_uptime": ("page_id", "component_id", "range_start")},
    placeholder_config={"api_url": "http://127.0.0.1:9/statuspage/v1", "api_key": "placeholder"},
    inapplicable_standard_tests={
        # Declared number | string: real pages send "99.95" too; the SDK's test wants numbers.
        "test_tap_stream_attribute_is_numeric[component_uptime.uptime_percentage]": (
            'numeric text on some pages (docs/apis/statuspage.md, "Component uptime")'
        ),
    },
    opt_in_streams=("component_uptime",),
    # Two pages: every stream has rows, odd pages send the variant types. The dry run reads
    # every component's whole uptime history (a request per month), so few components.
    standard_data=lambda: StatuspageData(
        seed=SEED, pages=[PageSpec(), PageSpec(time_zone="Asia/Tokyo")], users=3
    ),
)
INSTATUS = TapSpec(
    api="instatus",
    data_type=InstatusData,
    tap_class=TapInstatus,
    settings_for=_instatus_settings,
    secrets_of=lambda data: [data.api_key],
    keys={
        "status_pages": ("id",),
        "components": ("id",),
        "incidents": ("id",),
        "incident_updates": ("id",),
        "maintenances": ("id",),
        "maintenance_updates": ("id",),
        "templates": ("id",),
        "team": ("id",),
        "subscribers": ("id",),
        "metrics": ("id",),
        "user": ("id",),
        "public_data": ("page_id",),
    },
    placeholder_config={"api_url": "http://127.0.0.1:9/instatus", "api_key": "placeholder"},
)
CONFIGCAT = TapSpec(
    api="configcat",
    data_type=ConfigCatData,
    tap_class=TapConfigCat,
    settings_for=_configcat_settings,
    secrets_of=lambda data: [data.password],
    keys={
        "organizations": ("organizationId",),
        "organization_members": ("organizationId", "userId", "role"),
        "organization_invitations": ("invitationId",),
        "products": ("productId",),
        "product_members": ("productId", "userId"),
        "product_invitations": ("invitationId",),
        "environments": ("environmentId",),
        "configs": ("configId",),
        "tags": ("tagId",),
        "segments": ("segmentId",),
        "permission_groups": ("permissionGroupId",),
        "webhooks": ("webhookId",),
        "integrations": ("integrationId",),
        "settings": ("settingId",),
        "deleted_settings": ("configId", "key"),
        "stale_flags": ("productId", "settingId"),
        "setting_values": ("configId", "environmentId", "settingId"),
        "audit_logs": ("auditLogId",),
    },
    placeholder_config={
        "api_url": "http://127.0.0.1:9/configcat",
        "username": "placeholder",
        "password": "placeholder",
    },
    inapplicable_standard_tests={
        # A flag's `value` is a boolean, number or string; the SDK's generic "is numeric" test
        # assumes one type per field.
        "test_tap_stream_attribute_is_numeric[setting_values.value]": (
            'polymorphic flag value (docs/apis/configcat.md, "Flag values")'
        ),
    },
)
TAPS: tuple[TapSpec[Any], ...] = (STATUSPAGE, INSTATUS, CONFIGCAT)

#: Statuspage's streams in public mode (`status_page_urls`, no key) and their primary keys.
STATUSPAGE_PUBLIC_KEYS = {
    "pages": ("id",),
    "page_status": ("page_id",),
    "components": ("id",),
    "component_groups": ("id",),
    "incidents": ("id",),
    "incident_updates": ("id",),
}
#: Secret keys of nested site rows (docs/apis/instatus.md, "Secrets in nested site rows").
INSTATUS_SITE_SECRET_FIELDS = (
    "twilioToken",
    "smtpPass",
    "sesSecretAccessKey",
    "datadogApiKey",
    "mailgunKey",
    "secretToBypassPrivacy",
    "secureLinkToken",
)


def tap_named(executable: str) -> TapSpec[Any]:
    """The spec of `tap-<api>`."""
    return next(tap for tap in TAPS if tap.executable == executable)


def streams_and_keys() -> Iterator[tuple[TapSpec[Any], str]]:
    """Every stream a default sync of each tap reads (opt-in ones have tests of their own)."""
    for tap in TAPS:
        for stream in tap.keys:
            if stream not in tap.opt_in_streams:
                yield tap, stream


@dataclass
class _Running(Generic[DataT]):
    data: DataT
    sandbox: Sandbox
    full_sync: FullSync | None = None


class RunningTaps:
    """Per tap, the shared seeded account in a sandbox of its own and one full sync of it.

    Each is started on first use and kept for the session; tests that change the data or the
    sandbox's options start their own.
    """

    def __init__(self, tmp_root: Path) -> None:
        self._tmp_root = tmp_root
        self._stack = ExitStack()
        self._running: dict[str, _Running[Any]] = {}

    def __enter__(self) -> RunningTaps:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stack.close()

    def _get(self, tap: TapSpec[DataT]) -> _Running[DataT]:
        if tap.api not in self._running:
            data = tap.data()
            sandbox = self._stack.enter_context(tap.serve(data))
            self._running[tap.api] = _Running(data, sandbox)
        return self._running[tap.api]

    def data(self, tap: TapSpec[DataT]) -> DataT:
        return self._get(tap).data

    def sandbox(self, tap: TapSpec[DataT]) -> Sandbox:
        return self._get(tap).sandbox

    def full_sync(self, tap: TapSpec[DataT]) -> FullSync:
        """One full sync of the shared account, run once per session."""
        running = self._get(tap)
        if running.full_sync is None:
            config = tap.config(running.sandbox, running.data)
            folder = self._tmp_root / f"{tap.api}-full-sync"
            running.full_sync = sync_counting_requests(
                running.sandbox, tap.executable, config, folder
            )
        return running.full_sync

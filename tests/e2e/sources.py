"""The taps of the end-to-end tests: each against a fresh sandbox, with what it must load."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from tests.e2e.destinations import ARRAY, BOOLEAN, INTEGER, MIXED, NUMBER, OBJECT, TIMESTAMP

SANDBOX_SEED = 7
SANDBOX_SIZE = "small"
# The sandbox puts this inside every secret of another party (webhook headers, integration keys).
LEAK_MARKER = "SANDBOX-SECRET-"
TAPS = ("tap-statuspage", "tap-instatus", "tap-configcat")

# A few columns of each tap and the kind of value they hold, one of each kind where the tap has
# it: timestamps, integers, numbers, booleans, objects, lists and fields of varying JSON type.
COLUMN_KINDS: dict[str, dict[str, dict[str, str]]] = {
    "tap-statuspage": {
        "incidents": {"created_at": TIMESTAMP, "scheduled_remind_prior": BOOLEAN},
        "components": {"position": INTEGER, "showcase": BOOLEAN},
        "incident_updates": {"affected_components": ARRAY, "display_at": TIMESTAMP},
        "metrics": {"y_axis_min": NUMBER, "decimal_places": INTEGER},
    },
    "tap-instatus": {
        "incidents": {"started": TIMESTAMP, "notify": BOOLEAN, "updates": ARRAY},
        "components": {"order": INTEGER, "group": OBJECT, "updatedAt": TIMESTAMP},
        "public_data": {"page": OBJECT},
    },
    "tap-configcat": {
        "audit_logs": {"auditLogDateTime": TIMESTAMP, "auditLogId": INTEGER},
        "environments": {"reasonRequired": BOOLEAN, "product": OBJECT},
        "setting_values": {
            "setting": OBJECT,
            "rolloutRules": ARRAY,
            "settingId": INTEGER,
            "updatedAt": TIMESTAMP,
            "value": MIXED,
        },
    },
}


@dataclass
class Source:
    """A tap pointed at its running sandbox, and the records a correct run loads."""

    tap: str
    load_schema: str  # the extractor's namespace: where meltano.yml's loaders put its tables
    env: dict[str, str]
    secrets: list[str]
    ground_truth: dict[str, list[dict[str, Any]]]
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def column_kinds(self) -> dict[str, dict[str, str]]:
        return COLUMN_KINDS[self.tap]


@contextmanager
def serve(tap: str) -> Iterator[Source]:
    """A fresh seeded sandbox speaking the tap's API, for one test."""
    from sandbox import Sandbox  # noqa: PLC0415 (collecting the other tests must not need it)

    with Sandbox(**{_API[tap]: _data(tap)}) as sandbox:
        yield Source(
            tap=tap,
            load_schema=tap.replace("-", "_"),
            env=tap_env(tap, sandbox),
            secrets=[*credentials(tap, sandbox), LEAK_MARKER],
            ground_truth=sandbox.ground_truth(_API[tap]),
            keys=primary_keys(tap),
        )


_API = {"tap-statuspage": "statuspage", "tap-instatus": "instatus", "tap-configcat": "configcat"}


def _data(tap: str) -> Any:
    from sandbox.configcat import ConfigCatData  # noqa: PLC0415
    from sandbox.instatus import InstatusData  # noqa: PLC0415
    from sandbox.statuspage import StatuspageData  # noqa: PLC0415

    data_type = {
        "tap-statuspage": StatuspageData,
        "tap-instatus": InstatusData,
        "tap-configcat": ConfigCatData,
    }[tap]
    return data_type.from_size(seed=SANDBOX_SEED, size=SANDBOX_SIZE)


def tap_env(tap: str, sandbox: Any) -> dict[str, str]:
    """The tap's settings against a running sandbox, as environment variables."""
    # Pacing as text, the way Meltano hands over a `kind: string` setting; the tap reads a number.
    if tap == "tap-statuspage":
        return {
            "TAP_STATUSPAGE_API_URL": sandbox.statuspage_api_url,
            "TAP_STATUSPAGE_API_KEY": sandbox.statuspage.api_key,
            "TAP_STATUSPAGE_ORGANIZATION_ID": sandbox.statuspage.organization_id,  # + `users`
            "TAP_STATUSPAGE_REQUESTS_PER_SECOND": "1000",
        }
    if tap == "tap-instatus":
        return {
            "TAP_INSTATUS_API_URL": sandbox.instatus_api_url,
            "TAP_INSTATUS_API_KEY": sandbox.instatus.api_key,
            "TAP_INSTATUS_PUBLIC_URL_TEMPLATE": sandbox.instatus_public_url_template,
            "TAP_INSTATUS_REQUESTS_PER_SECOND": "1000",
        }
    return {
        "TAP_CONFIGCAT_API_URL": sandbox.configcat_api_url,
        "TAP_CONFIGCAT_USERNAME": sandbox.configcat.username,
        "TAP_CONFIGCAT_PASSWORD": sandbox.configcat.password,
        # Before the sandbox's first audit entry: the whole history is loaded.
        "TAP_CONFIGCAT_START_DATE": "2026-05-01T00:00:00Z",
        "TAP_CONFIGCAT_REQUESTS_PER_SECOND": "1000",
    }


def credentials(tap: str, sandbox: Any) -> list[str]:
    """The tap's secrets in the sandbox, which no log or table may show."""
    if tap == "tap-statuspage":
        return [sandbox.statuspage.api_key]
    if tap == "tap-instatus":
        return [sandbox.instatus.api_key]
    return [sandbox.configcat.password]


def primary_keys(tap: str) -> dict[str, tuple[str, ...]]:
    """Stream name -> its primary key, as the tap declares it."""
    from tap_configcat.streams import STREAMS as CONFIGCAT  # noqa: PLC0415
    from tap_instatus.streams import STREAMS as INSTATUS  # noqa: PLC0415
    from tap_statuspage.streams import MANAGE_STREAMS  # noqa: PLC0415

    streams = {
        "tap-statuspage": MANAGE_STREAMS,
        "tap-instatus": INSTATUS,
        "tap-configcat": CONFIGCAT,
    }[tap]
    return {stream.name: tuple(stream.primary_keys or ()) for stream in streams}

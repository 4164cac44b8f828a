"""The taps of the end-to-end tests: each against a fresh sandbox, with what it must load."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sandbox import Sandbox
from tests.e2e.destinations import ARRAY, BOOLEAN, INTEGER, MIXED, NUMBER, OBJECT, TIMESTAMP
from tests.taps import tap_named

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
    #: The account's credentials in the sandbox.
    credentials: list[str]
    ground_truth: dict[str, list[dict[str, Any]]]
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def secrets(self) -> list[str]:
        """What no log or table may show: the credentials and every secret of another party."""
        return [*self.credentials, LEAK_MARKER]

    @property
    def column_kinds(self) -> dict[str, dict[str, str]]:
        return COLUMN_KINDS[self.tap]


@contextmanager
def serve(executable: str, data: Any = None, *, readable_only: bool = False) -> Iterator[Source]:
    """A fresh sandbox speaking the tap's API, for one test: `data`, or the seeded small account.

    `readable_only`: the ground truth leaves out what the key may not read.
    """
    tap = tap_named(executable)
    account = tap.data(SANDBOX_SEED, SANDBOX_SIZE) if data is None else data
    with tap.serve(account) as sandbox:
        yield Source(
            tap=executable,
            load_schema=executable.replace("-", "_"),
            env=tap.env(sandbox, account),
            credentials=tap.secrets_of(account),
            ground_truth=sandbox.ground_truth(tap.api, readable_only=readable_only),
            keys=tap.keys,
        )


def tap_env(executable: str, sandbox: Sandbox) -> dict[str, str]:
    """The tap's settings against a running sandbox that may speak several APIs, as env vars."""
    tap = tap_named(executable)
    return tap.env(sandbox, tap.data_in(sandbox))

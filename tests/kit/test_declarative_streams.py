"""Leaf streams are declarations: no SDK hook overridden, no SDK internal touched outside the
one compatibility module, no hidden hand-off between streams.

`python -m tests.kit.test_declarative_streams` prints the counts.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from types import FunctionType

from singer_sdk import Stream
from singer_sdk.streams import RESTStream

from tap_configcat.streams import STREAMS as CONFIGCAT_STREAMS
from tap_instatus.streams import STREAMS as INSTATUS_STREAMS
from tap_statuspage.streams import MANAGE_STREAMS, PUBLIC_STREAMS

ROOT = Path(__file__).resolve().parents[2]
LEAF_STREAMS: dict[str, tuple[type[Stream], ...]] = {
    "statuspage": (*MANAGE_STREAMS, *PUBLIC_STREAMS),
    "instatus": INSTATUS_STREAMS,
    "configcat": CONFIGCAT_STREAMS,
}


def _is_sdk_hook(member: object) -> bool:
    """Code: a method or computed property (settable ones such as `primary_keys` are data)."""
    if isinstance(member, property):
        return member.fset is None
    return isinstance(member, (FunctionType, classmethod, staticmethod))


SDK_METHODS = frozenset(
    name
    for name in dir(RESTStream)
    if not name.startswith("__") and _is_sdk_hook(inspect.getattr_static(RESTStream, name))
)
PACKAGES = ("tap-kit/tap_kit", "tap-statuspage/tap_statuspage", "tap-instatus/tap_instatus")
SOURCES = [
    path
    for folder in (*PACKAGES, "tap-configcat/tap_configcat")
    for path in sorted((ROOT / folder).glob("*.py"))
]
COMPAT_MODULE = ROOT / "tap-kit/tap_kit/sdk_compat.py"
#: SDK internals: private hooks and state keys of singer-sdk, and its private helper modules.
SDK_INTERNALS = re.compile(
    r"\b_tap\b|_write_schema_message|_generate_schema_messages|_write_record_message"
    r"|_write_state_message|_increment_stream_state|_sync_children|_validate_config"
    r"|progress_markers|PROGRESS_MARKERS|singer_sdk\.helpers\._|log_sync_costs"
)
#: Hidden hand-offs between streams: a parent's last record, swapped bodies, mutable cursors.
HIDDEN_HAND_OFFS = re.compile(
    r"current_record|\._summary\b|\._feed\b|\._window\b|environment_ids|self\._tap\b"
)


def overriding_leaf_streams() -> dict[str, list[str]]:
    """Per tap, `Class(method, ...)` for each registered leaf stream that overrides SDK methods."""
    found: dict[str, list[str]] = {}
    for tap, streams in LEAF_STREAMS.items():
        found[tap] = []
        for stream in dict.fromkeys(streams):
            own = sorted(
                name
                for name, member in vars(stream).items()
                if name in SDK_METHODS and _is_sdk_hook(member)
            )
            if own:
                found[tap].append(f"{stream.__name__}({', '.join(own)})")
    return found


def pattern_uses(pattern: re.Pattern[str]) -> list[str]:
    """`path:line: text` of each line matching `pattern` outside the compatibility module."""
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in SOURCES
        if path != COMPAT_MODULE
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]


def test_no_leaf_stream_overrides_an_sdk_hook() -> None:
    assert overriding_leaf_streams() == {tap: [] for tap in LEAF_STREAMS}


def test_sdk_internals_are_touched_only_in_the_compatibility_module() -> None:
    assert pattern_uses(SDK_INTERNALS) == []


def test_no_hidden_hand_off_between_streams() -> None:
    assert pattern_uses(HIDDEN_HAND_OFFS) == []


def main() -> None:
    overriding = overriding_leaf_streams()
    total = sum(len(streams) for streams in LEAF_STREAMS.values())
    print(f"leaf streams overriding SDK methods: {sum(map(len, overriding.values()))} of {total}")
    for tap, classes in overriding.items():
        print(f"  {tap}: {len(classes)} of {len(LEAF_STREAMS[tap])} {', '.join(classes)}")
    for label, pattern in (("SDK internals", SDK_INTERNALS), ("hidden", HIDDEN_HAND_OFFS)):
        uses = pattern_uses(pattern)
        print(f"{label} outside sdk_compat: {len(uses)}")
        for use in uses:
            print(f"  {use}")


if __name__ == "__main__":
    main()

"""Settings checked before the first request: config files, types, ranges, dates, credentials.

Every problem is one phrase naming its setting; the value of a secret is never part of it.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from singer_sdk.typing import DEFAULT_JSONSCHEMA_VALIDATOR, extend_validator_with_defaults

from tap_kit.errors import SettingsError

# The SDK's validator, which also fills in each setting's default.
_Validator = extend_validator_with_defaults(DEFAULT_JSONSCHEMA_VALIDATOR)
_SHOWN_VALUE_LENGTH = 40


@dataclass(frozen=True)
class Minimum:
    """The lowest value a numeric setting may take."""

    setting: str
    value: float
    inclusive: bool = True


#: Below these the shared settings cannot work: 0 tries never ends, a negative wait crashes.
SHARED_MINIMUMS: tuple[Minimum, ...] = (
    Minimum("max_tries", 1),
    Minimum("max_wait_seconds", 0),
    Minimum("backoff_base_seconds", 0),
    Minimum("request_timeout_seconds", 0, inclusive=False),
    Minimum("requests_per_second", 0),
)
#: Settings holding an ISO-8601 date-time, parsed the way the streams parse them.
DATE_TIME_SETTINGS: tuple[str, ...] = ("start_date",)


@dataclass(frozen=True)
class CredentialRule:
    """Credentials a tap cannot authenticate without, unless a public mode is configured."""

    #: Each must be set and not blank.
    required: tuple[str, ...]
    #: Settings any one of which, when set, makes the credentials unnecessary (a public mode).
    unless_any_of: tuple[str, ...] = ()

    def problems(self, config: Mapping[str, Any], skip: Iterable[str] = ()) -> list[str]:
        if any(_is_set(config.get(name)) for name in self.unless_any_of):
            return []
        alternative = (
            f" (or set {' / '.join(self.unless_any_of)} instead)" if self.unless_any_of else ""
        )
        return [
            f"{name} is required and must not be empty{alternative}"
            for name in self.required
            if name not in skip and not _is_set(config.get(name))
        ]


def _is_set(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, dict)):
        return bool(value)
    return value is not None


def as_number(value: Any) -> float | None:
    """A finite number from a JSON number or a numeric string; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


def json_kind(value: Any) -> str:
    """`a string`, `an array`, `null`...: a JSON value's kind, for one-line messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, dict) else type(value).__name__


def _with_article(json_type: str) -> str:
    return f"an {json_type}" if json_type[0] in "aeiou" else f"a {json_type}"


def _shown(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= _SHOWN_VALUE_LENGTH else text[: _SHOWN_VALUE_LENGTH - 3] + "..."


def _describe_schema_error(error: Any, hidden: set[str]) -> tuple[str, str]:
    """(setting, phrase) for one JSON Schema error; hidden settings never show their value."""
    path = list(error.absolute_path)
    setting = str(path[0]) if path else ""
    if not setting and error.validator == "required":
        setting = str(error.message).split("'")[1] if "'" in str(error.message) else ""
        return setting, f"{setting} is required"
    label = setting + "".join(f"[{index}]" for index in path[1:])
    secret = setting in hidden
    if error.validator == "type":
        expected = error.validator_value
        types = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_with_article(t) for t in types if t != "null")
        got = json_kind(error.instance) if secret else _shown(error.instance)
        return setting, f"{label} must be {wanted or 'null'}, not {got}"
    if secret:
        return setting, f"{label} is not valid (it fails the schema's {error.validator!r} rule)"
    return setting, f"{label}: {error.message}"


def settings_problems(
    config: MutableMapping[str, Any],
    schema: dict[str, Any],
    *,
    credentials: CredentialRule,
    minimums: Sequence[Minimum] = SHARED_MINIMUMS,
    date_times: Sequence[str] = DATE_TIME_SETTINGS,
) -> list[str]:
    """Every problem of `config`, each naming its setting; fills in the schema's defaults."""
    properties: dict[str, Any] = schema.get("properties", {})
    hidden = {name for name, spec in properties.items() if spec.get("secret")}
    hidden |= set(credentials.required)
    problems: list[str] = []
    failed: set[str] = set()
    for error in _Validator(schema).iter_errors(config):
        setting, phrase = _describe_schema_error(error, hidden)
        if setting not in failed:
            failed.add(setting)
            problems.append(phrase)
    for minimum in minimums:
        value = config.get(minimum.setting)
        if value is None or minimum.setting in failed:
            continue
        number = as_number(value)
        if number is None:
            problems.append(
                f"{minimum.setting} must be a number (for example 2.5), not {_shown(value)}"
            )
        elif number < minimum.value or (not minimum.inclusive and number == minimum.value):
            bound = "at least" if minimum.inclusive else "more than"
            problems.append(f"{minimum.setting} must be {bound} {minimum.value:g}, not {value}")
    for setting in date_times:
        value = config.get(setting)
        if value is None or setting in failed:
            continue
        try:
            datetime.fromisoformat(str(value))
        except ValueError:
            problems.append(
                f"{setting} must be an ISO-8601 date-time such as 2024-01-31T00:00:00Z, "
                f"not {_shown(value)}"
            )
    problems.extend(credentials.problems(config, skip=failed))
    return problems


def check_config_files(argv: Sequence[str]) -> None:
    """Each `--config` file exists and holds a JSON object; else SettingsError naming it."""
    paths: list[str] = []
    for index, arg in enumerate(argv):
        if arg == "--config" and index + 1 < len(argv):
            paths.append(argv[index + 1])
        elif arg.startswith("--config="):
            paths.append(arg.removeprefix("--config="))
    for name in paths:
        if name == "ENV":  # The SDK's switch for settings from environment variables.
            continue
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            msg = f"config file {name} does not exist"
            raise SettingsError(msg) from None
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "unreadable"
            msg = f"config file {name} cannot be read: {reason}"
            raise SettingsError(msg) from None
        if not text.strip():
            msg = f"config file {name} is empty: it must hold a JSON object of settings"
            raise SettingsError(msg)
        try:
            content = json.loads(text)
        except json.JSONDecodeError as exc:
            # The position only: a quote of the file could show a secret.
            msg = f"config file {name} is not valid JSON (line {exc.lineno}, column {exc.colno})"
            raise SettingsError(msg) from None
        if not isinstance(content, dict):
            msg = (
                f"config file {name} must hold a JSON object of settings, not {json_kind(content)}"
            )
            raise SettingsError(msg)

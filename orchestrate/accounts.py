"""The accounts file: which accounts each tap syncs, with which key, and how Meltano runs them.

The file names the environment variable that holds each key, never a key. Accounts that name
the same variable share a key, so they share its rate limit and never run at the same time.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ACCOUNTS_FILE_ENV = "STATUS_TAPS_ACCOUNTS"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ACCOUNTS_FILE = REPO_ROOT / "orchestrate" / "accounts.yml"
ACCOUNT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")


@dataclass(frozen=True)
class TapKind:
    """How one tap takes an account's credential and filters."""

    key_setting: str
    """The secret setting that `key_env` fills."""
    filters: tuple[str, ...]
    """List settings an account may give to narrow what it syncs."""
    username_setting: str | None = None
    """A second, non-secret credential setting that `username_env` fills."""


TAPS: Mapping[str, TapKind] = {
    "tap-statuspage": TapKind("api_key", ("page_ids",)),
    "tap-instatus": TapKind("api_key", ("page_ids",)),
    "tap-configcat": TapKind("password", ("organization_ids", "product_ids"), "username"),
}


class AccountsFileError(ValueError):
    """The accounts file is missing or invalid; the message names the file and the field."""


@dataclass(frozen=True)
class MeltanoSettings:
    """Where the Meltano project is and what each account's run loads into."""

    project_dir: Path = REPO_ROOT
    environment: str = "prod"
    loader: str = "target-postgres"


@dataclass(frozen=True)
class Account:
    name: str
    tap: str
    key_env: str
    username_env: str | None = None
    filters: Mapping[str, Sequence[str]] = field(default_factory=dict)
    settings: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key_identity(self) -> str:
        """Names the key without revealing it: the variable that holds it."""
        return self.key_env

    @property
    def load_schema(self) -> str:
        """One schema per account, so full syncs of one account never touch another's rows."""
        return f"{self.tap}__{self.name}".replace("-", "_")

    def meltano_env(self, environ: Mapping[str, str]) -> dict[str, str]:
        """The tap's settings for this account as Meltano environment variables."""
        prefix = self.tap.upper().replace("-", "_")
        kind = TAPS[self.tap]
        env = {
            f"{prefix}_{kind.key_setting.upper()}": _required_env(self, "key_env", environ),
            # Meltano's extractor extra; the loaders of meltano.yml write into this schema.
            f"{prefix}__LOAD_SCHEMA": self.load_schema,
        }
        if kind.username_setting:
            env[f"{prefix}_{kind.username_setting.upper()}"] = _required_env(
                self, "username_env", environ
            )
        for name, values in {**self.settings, **self.filters}.items():
            env[f"{prefix}_{name.upper()}"] = (
                values if isinstance(values, str) else json.dumps(values)
            )
        return env


@dataclass(frozen=True)
class AccountsFile:
    path: Path
    meltano: MeltanoSettings
    accounts: tuple[Account, ...]

    def for_tap(self, tap: str) -> list[Account]:
        return [account for account in self.accounts if account.tap == tap]

    def account(self, tap: str, name: str) -> Account:
        for account in self.for_tap(tap):
            if account.name == name:
                return account
        msg = f"{self.path}: no {tap} account named {name!r} (was it removed from the file?)"
        raise AccountsFileError(msg)


def accounts_file_path(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    return Path(environ.get(ACCOUNTS_FILE_ENV) or DEFAULT_ACCOUNTS_FILE)


def load_accounts(path: Path | None = None) -> AccountsFile:
    """Read and check the accounts file ($STATUS_TAPS_ACCOUNTS, else orchestrate/accounts.yml)."""
    path = path or accounts_file_path()
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as missing:
        msg = f"{path}: cannot read the accounts file ({missing.strerror}); set {ACCOUNTS_FILE_ENV}"
        raise AccountsFileError(msg) from None
    except yaml.YAMLError as invalid:
        raise AccountsFileError(f"{path}: not valid YAML ({invalid})") from None
    if not isinstance(document, dict) or not isinstance(document.get("accounts"), list):
        raise AccountsFileError(f"{path}: expected a mapping with an `accounts` list")
    meltano = _meltano_settings(path, document.get("meltano") or {})
    accounts = tuple(
        _account(path, index, entry) for index, entry in enumerate(document["accounts"])
    )
    seen: set[tuple[str, str]] = set()
    for account in accounts:
        if (account.tap, account.name) in seen:
            raise AccountsFileError(
                f"{path}: {account.tap} account {account.name!r} is listed twice"
            )
        seen.add((account.tap, account.name))
    return AccountsFile(path, meltano, accounts)


def _meltano_settings(path: Path, raw: object) -> MeltanoSettings:
    if not isinstance(raw, dict) or not set(raw) <= {"project_dir", "environment", "loader"}:
        msg = f"{path}: `meltano` takes only project_dir, environment and loader"
        raise AccountsFileError(msg)
    project_dir = Path(raw.get("project_dir") or REPO_ROOT)
    if not project_dir.is_absolute():
        project_dir = (path.parent / project_dir).resolve()
    defaults = MeltanoSettings()
    return MeltanoSettings(
        project_dir=project_dir,
        environment=str(raw.get("environment") or defaults.environment),
        loader=str(raw.get("loader") or defaults.loader),
    )


def _account(path: Path, index: int, raw: object) -> Account:
    where = f"{path}: accounts[{index}]"
    if not isinstance(raw, dict):
        raise AccountsFileError(f"{where}: expected a mapping")
    name, tap, key_env = raw.get("name"), raw.get("tap"), raw.get("key_env")
    if not isinstance(name, str) or not ACCOUNT_NAME.match(name):
        msg = f"{where}: `name` must be lower-case letters, digits, '-' or '_' (got {name!r})"
        raise AccountsFileError(msg)
    where = f"{path}: account {name!r}"
    if not isinstance(tap, str) or tap not in TAPS:
        raise AccountsFileError(f"{where}: `tap` must be one of {', '.join(TAPS)} (got {tap!r})")
    kind = TAPS[tap]
    if not isinstance(key_env, str) or not key_env:
        msg = f"{where}: `key_env` must name the environment variable that holds its key"
        raise AccountsFileError(msg)
    username_env = raw.get("username_env")
    if kind.username_setting and not (isinstance(username_env, str) and username_env):
        msg = f"{where}: {tap} needs `username_env`, the variable that holds its username"
        raise AccountsFileError(msg)
    known = {"name", "tap", "key_env", "username_env", "settings", *kind.filters}
    if unknown := sorted(set(raw) - known):
        msg = f"{where}: unknown field(s) {', '.join(unknown)}; {tap} filters: {kind.filters}"
        raise AccountsFileError(msg)
    filters: dict[str, list[str]] = {}
    for setting in kind.filters:
        if setting in raw:
            values = raw[setting]
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise AccountsFileError(f"{where}: `{setting}` must be a list of ids")
            filters[setting] = values
    settings = raw.get("settings") or {}
    if not isinstance(settings, dict):
        raise AccountsFileError(f"{where}: `settings` must be a mapping of the tap's settings")
    secrets = {kind.key_setting, kind.username_setting or kind.key_setting}
    if leaked := sorted(secrets & set(settings)):
        msg = f"{where}: put credentials in environment variables, not `settings` ({leaked[0]})"
        raise AccountsFileError(msg)
    return Account(
        name=name,
        tap=tap,
        key_env=key_env,
        username_env=username_env if kind.username_setting else None,
        filters=filters,
        settings=settings,
    )


def _required_env(account: Account, field_name: str, environ: Mapping[str, str]) -> str:
    variable = getattr(account, field_name)
    value = environ.get(variable, "")
    if not value.strip():
        msg = (
            f"account {account.name!r} ({account.tap}): the environment variable {variable} "
            f"({field_name}) is not set"
        )
        raise AccountsFileError(msg)
    return value

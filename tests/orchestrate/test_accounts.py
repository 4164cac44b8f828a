"""The accounts file and the `meltano run` each account gets: checked before anything runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from orchestrate.accounts import AccountsFileError, load_accounts
from orchestrate.meltano_run import plan_run
from orchestrate.pipes_meltano import dagster_level

EXAMPLE = Path(__file__).resolve().parents[2] / "orchestrate" / "accounts.example.yml"


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "accounts.yml"
    path.write_text(yaml.safe_dump(document))
    return path


def one_account(**fields: object) -> dict[str, object]:
    return {"accounts": [{"name": "acme", "tap": "tap-statuspage", "key_env": "KEY_A", **fields}]}


def test_the_shipped_example_is_valid_and_two_accounts_share_one_key() -> None:
    accounts = load_accounts(EXAMPLE)
    keys = [account.key_identity for account in accounts.for_tap("tap-statuspage")]
    assert len(keys) == 3
    assert len(set(keys)) == 2


def test_an_account_run_is_never_forced_and_has_its_own_state_id_and_schema(tmp_path: Path) -> None:
    path = write(tmp_path, one_account(page_ids=["p1", "p2"], settings={"requests_per_second": 2}))
    accounts = load_accounts(path)
    account = accounts.account("tap-statuspage", "acme")
    plan = plan_run(account, accounts.meltano, "run-1", full_refresh=False, environ={"KEY_A": "s3"})
    assert "--force" not in plan.args
    assert "--full-refresh" not in plan.args
    assert plan.args[1:] == [
        "--environment=prod",
        "--log-format=json",
        "run",
        "--run-id=run-1",
        "--state-id-suffix=acme",
        "tap-statuspage",
        "target-postgres",
    ]
    assert plan.state_id == "prod:tap-statuspage-to-target-postgres:acme"
    assert plan.env["TAP_STATUSPAGE_API_KEY"] == "s3"
    assert json.loads(plan.env["TAP_STATUSPAGE_PAGE_IDS"]) == ["p1", "p2"]
    assert plan.env["TAP_STATUSPAGE_REQUESTS_PER_SECOND"] == "2"
    assert plan.env["TAP_STATUSPAGE__LOAD_SCHEMA"] == "tap_statuspage__acme"
    # The key is in the run's environment only: nothing that is shown or logged carries it.
    assert "s3" not in " ".join(plan.args)
    assert account.key_identity == "KEY_A"
    full = plan_run(account, accounts.meltano, "run-2", full_refresh=True, environ={"KEY_A": "s3"})
    assert "--full-refresh" in full.args


def test_configcat_takes_a_username_variable_and_a_password_variable(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        {
            "accounts": [
                {
                    "name": "org",
                    "tap": "tap-configcat",
                    "key_env": "CC_PASSWORD",
                    "username_env": "CC_USER",
                    "product_ids": ["x"],
                }
            ]
        },
    )
    accounts = load_accounts(path)
    env = accounts.account("tap-configcat", "org").meltano_env(
        {"CC_PASSWORD": "pw", "CC_USER": "u"}
    )
    assert env["TAP_CONFIGCAT_PASSWORD"] == "pw"
    assert env["TAP_CONFIGCAT_USERNAME"] == "u"
    assert env["TAP_CONFIGCAT_PRODUCT_IDS"] == '["x"]'


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({"accounts": "nope"}, "expected a mapping with an `accounts` list"),
        (one_account(tap="tap-unknown"), "`tap` must be one of tap-statuspage"),
        (one_account(name="Acme Corp"), "`name` must be lower-case letters"),
        (one_account(key_env=""), "`key_env` must name the environment variable"),
        (one_account(product_ids=["x"]), "unknown field(s) product_ids"),
        (one_account(page_ids="p1"), "`page_ids` must be a list of ids"),
        (one_account(settings={"api_key": "oops"}), "not `settings` (api_key)"),
        (
            {"accounts": [{"name": "c", "tap": "tap-configcat", "key_env": "P"}]},
            "tap-configcat needs `username_env`",
        ),
        (
            {"accounts": [one_account()["accounts"][0]] * 2},  # type: ignore[index]
            "account 'acme' is listed twice",
        ),
        ({"meltano": {"environmnet": "prod"}, "accounts": []}, "`meltano` takes only"),
    ],
)
def test_a_bad_accounts_file_is_one_line_naming_the_file_and_field(
    tmp_path: Path, document: object, message: str
) -> None:
    path = write(tmp_path, document)
    with pytest.raises(AccountsFileError) as refused:
        load_accounts(path)
    assert message in str(refused.value)
    assert str(path) in str(refused.value)
    assert "\n" not in str(refused.value)


def test_a_missing_accounts_file_names_the_setting(tmp_path: Path) -> None:
    with pytest.raises(AccountsFileError, match="STATUS_TAPS_ACCOUNTS"):
        load_accounts(tmp_path / "absent.yml")


def test_a_missing_key_variable_names_the_account_and_variable_not_a_value(tmp_path: Path) -> None:
    accounts = load_accounts(write(tmp_path, one_account()))
    account = accounts.account("tap-statuspage", "acme")
    with pytest.raises(AccountsFileError) as missing:
        account.meltano_env({"KEY_A": "  "})
    assert str(missing.value) == (
        "account 'acme' (tap-statuspage): the environment variable KEY_A (key_env) is not set"
    )


def test_an_account_removed_from_the_file_is_named_when_its_run_starts(tmp_path: Path) -> None:
    accounts = load_accounts(write(tmp_path, one_account()))
    with pytest.raises(AccountsFileError, match="no tap-statuspage account named 'gone'"):
        accounts.account("tap-statuspage", "gone")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            '{"event": "Running job", "level": "info", "timestamp": "t"}',
            ("info", "Running job", False),
        ),
        (
            '{"event": "Skipped page x", "level": "warning", "string_id": "tap-statuspage",'
            ' "cmd_type": "elb"}',
            ("warning", "[tap-statuspage] Skipped page x", True),
        ),
        (
            '{"event": "METRIC", "level": "info", "string_id": "target-postgres"}',
            ("info", "[target-postgres] METRIC", True),
        ),
        ('{"event": "odd", "level": "notice"}', ("info", "odd", False)),
        ("plain text", ("info", "plain text", False)),
        ("[1, 2]", ("info", "[1, 2]", False)),
    ],
)
def test_meltano_json_log_lines_keep_their_level(
    line: str, expected: tuple[str, str, bool]
) -> None:
    assert dagster_level(line) == expected

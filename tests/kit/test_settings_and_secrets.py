"""Settings are checked before the first request; secrets never reach a log line or an error."""

from __future__ import annotations

import base64
import io
import json
import logging
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tap_kit.errors import SettingsError
from tap_kit.secrets import RedactingFormatter, SecretRedactor
from tap_kit.validation import CredentialRule, as_number
from tests.kit.demo_tap import DemoTap, ItemsStream, OwnersStream, run_demo
from tests.kit.scripted_server import Reply, ScriptedServer
from tests.kit.test_http_policy import SECRET, config

CLI = textwrap.dedent(
    """
    import sys
    from tap_kit import run_cli
    from tests.kit.demo_tap import DemoTap
    sys.argv = ["tap-demo", *sys.argv[1:]]
    run_cli(DemoTap)
    """
)


def run_cli_demo(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CLI, *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def fail(exc: Exception) -> None:
    raise exc


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "tap-demo: error:" in line]


# Finding 5: every setting is validated before the first request.


@pytest.mark.parametrize(
    ("setting", "value", "phrase"),
    [
        ("max_tries", 0, "max_tries must be at least 1, not 0"),
        ("max_tries", -2, "max_tries must be at least 1, not -2"),
        ("max_wait_seconds", -1, "max_wait_seconds must be at least 0, not -1"),
        ("backoff_base_seconds", -0.5, "backoff_base_seconds must be at least 0, not -0.5"),
        ("request_timeout_seconds", 0, "request_timeout_seconds must be more than 0, not 0"),
        ("requests_per_second", -1, "requests_per_second must be at least 0, not -1"),
        ("max_tries", "5x", 'max_tries must be an integer, not "5x"'),
        ("start_date", "yesterday", "start_date must be an ISO-8601 date-time"),
        ("start_date", "2024-13-01T00:00:00Z", "start_date must be an ISO-8601 date-time"),
        ("api_key", "", "api_key is required and must not be empty"),
        ("api_key", "   ", "api_key is required and must not be empty"),
        ("api_key", None, "api_key is required and must not be empty"),
    ],
)
def test_a_bad_setting_fails_before_any_request_naming_it(
    server: ScriptedServer, setting: str, value: Any, phrase: str
) -> None:
    tap_config = config(server)
    if value is None:
        del tap_config[setting]
    else:
        tap_config[setting] = value
    with pytest.raises(SettingsError) as excinfo:
        run_demo(tap_config)
    assert phrase in str(excinfo.value)
    assert server.log == []


def test_valid_numbers_dates_and_credentials_pass(server: ScriptedServer) -> None:
    server.responders["/owners"] = lambda q: Reply(body=[])
    tap_config = config(
        server,
        max_tries=1,
        max_wait_seconds=0,
        backoff_base_seconds=0,
        request_timeout_seconds=2.5,
        start_date="2024-01-31",
    )
    tap, _ = run_demo(tap_config)
    assert tap.config["start_date"] == "2024-01-31"


def test_numbers_may_arrive_as_numeric_strings_or_decimals() -> None:
    assert as_number("2.5") == 2.5
    assert as_number(" 30 ") == 30.0
    assert as_number(Decimal("2.0")) == 2.0
    assert as_number(7) == 7.0
    assert [as_number(v) for v in ("fast", "nan", "inf", True, None, [1])] == [None] * 6


def test_a_public_mode_makes_credentials_optional() -> None:
    rule = CredentialRule(("api_key",), unless_any_of=("status_page_urls",))
    assert rule.problems({"status_page_urls": ["https://status.example.com"]}) == []
    assert rule.problems({"status_page_urls": []}) == [
        "api_key is required and must not be empty (or set status_page_urls instead)"
    ]
    both = CredentialRule(("username", "password"))
    assert both.problems({"username": "u"}) == ["password is required and must not be empty"]


def test_an_empty_config_fails_on_the_credential_not_on_a_default_url() -> None:
    result = run_cli_demo("--config", "ENV")
    assert result.returncode == 1
    [line] = error_lines(result.stderr)
    assert line.endswith(
        "tap-demo: error: invalid settings: api_key is required and must not be empty"
    )
    assert "Traceback" not in result.stderr
    assert "127.0.0.1:9" not in result.stderr  # The default api_url was never tried.


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (None, "does not exist"),
        ("", "is empty: it must hold a JSON object of settings"),
        ("{oops", "is not valid JSON (line 1, column 2)"),
        ('["api_key"]', "must hold a JSON object of settings, not an array"),
    ],
)
def test_a_config_file_missing_empty_or_not_json_is_one_line(
    tmp_path: Path, content: str | None, phrase: str
) -> None:
    path = tmp_path / "config.json"
    if content is not None:
        path.write_text(content)
    result = run_cli_demo("--config", str(path))
    assert result.returncode == 1
    [line] = error_lines(result.stderr)
    assert line.endswith(f"tap-demo: error: config file {path} {phrase}")
    assert "Traceback" not in result.stderr


def test_about_and_discover_need_no_config() -> None:
    about = run_cli_demo("--about", "--format=json")
    assert about.returncode == 0, about.stderr
    assert json.loads(about.stdout)["name"] == "tap-demo"
    discover = run_cli_demo("--discover")
    assert discover.returncode == 0, discover.stderr
    assert {s["tap_stream_id"] for s in json.loads(discover.stdout)["streams"]} == {
        "owners",
        "items",
    }


# Finding 6: secrets.


def test_a_secret_of_the_wrong_type_is_never_printed(
    server: ScriptedServer, tmp_path: Path
) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps(config(server, api_key=[SECRET], max_tries=0)))
    result = run_cli_demo("--config", str(path))
    assert result.returncode == 1
    [line] = error_lines(result.stderr)
    assert "api_key must be a string, not an array" in line
    assert "max_tries must be at least 1, not 0" in line
    assert SECRET not in result.stdout + result.stderr
    assert server.log == []


class BasicItemsStream(ItemsStream):
    """Items behind HTTP Basic built from two settings, like ConfigCat's credential."""

    @classmethod
    def derived_secrets(cls, config: Any) -> list[str]:
        pair = f"{config.get('username', '')}:{config.get('api_key', '')}"
        return [pair, base64.b64encode(pair.encode()).decode()]

    @property
    def http_headers(self) -> dict[str, Any]:
        token = self.derived_secrets(self.config)[1]
        return {**super().http_headers, "Authorization": f"Basic {token}"}


class BasicTap(DemoTap):
    stream_types = (OwnersStream, BasicItemsStream)


def test_a_derived_credential_echoed_by_the_api_is_redacted(server: ScriptedServer) -> None:
    server.responders["/owners"] = lambda q: Reply(body=[{"id": "o1"}])
    pair = f"ann:{SECRET}"
    token = base64.b64encode(pair.encode()).decode()
    server.responders["/owners/o1/items"] = lambda q: Reply(
        400, {"message": f"bad header Basic {token} for {pair}"}
    )
    with pytest.raises(Exception) as excinfo:  # noqa: PT011 (the message is what matters)
        run_demo(config(server, username="ann"), tap_class=BasicTap)
    assert (
        str(excinfo.value)
        == "400 Bad Request from GET /owners/o1/items: bad header Basic *** for ***"
    )


def test_the_redactor_masks_a_secret_in_a_traceback_and_keeps_the_traceback(
    server: ScriptedServer,
) -> None:
    tap = DemoTap(config=config(server))
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(tap.redactor)
    logging.getLogger().addHandler(handler)
    try:
        try:
            fail(RuntimeError(f"header holds {SECRET}"))
        except RuntimeError:
            logging.getLogger("tap-demo.items").exception("sync failed")
            logging.getLogger("some.library").exception("its own failure")
    finally:
        logging.getLogger().removeHandler(handler)
    text = stream.getvalue()
    assert SECRET not in text
    assert text.count("Traceback (most recent call last)") == 2
    assert text.count("RuntimeError: header holds ***") == 2


def test_a_record_without_a_secret_keeps_its_live_traceback() -> None:
    # Other libraries' records (and their exc_info) pass untouched: nothing is stripped.
    redactor = SecretRedactor([SECRET])
    try:
        fail(ValueError("no secret here"))
    except ValueError:
        exc_info = sys.exc_info()
    record = logging.LogRecord("host.app", logging.ERROR, "", 0, "failed", None, exc_info)
    assert redactor.filter(record)
    assert record.exc_info == exc_info
    assert record.exc_text is None
    assert record.getMessage() == "failed"


def test_each_tap_replaces_the_previous_redactor_instead_of_piling_up(
    server: ScriptedServer,
) -> None:
    taps = [DemoTap(config=config(server)) for _ in range(3)]
    root = logging.getLogger()
    assert root.handlers
    for handler in root.handlers:
        assert isinstance(handler.formatter, RedactingFormatter)
        assert not isinstance(handler.formatter.inner, RedactingFormatter)
        assert handler.formatter.redactor is taps[-1].redactor
    assert not any(isinstance(f, SecretRedactor) for f in (*root.filters, *root.handlers))


def test_redaction_masks_the_taps_output_and_leaves_other_handlers_records_alone(
    server: ScriptedServer,
) -> None:
    tap_output, other_output = io.StringIO(), io.StringIO()
    tap_handler = logging.StreamHandler(tap_output)
    root = logging.getLogger()
    root.addHandler(tap_handler)
    try:
        DemoTap(config=config(server))
        # A handler an embedding application adds later: its records are its own business.
        other_handler = logging.StreamHandler(other_output)
        root.addHandler(other_handler)
        try:
            logging.getLogger("some.library").warning("token %s", SECRET)
        finally:
            root.removeHandler(other_handler)
    finally:
        root.removeHandler(tap_handler)
    assert tap_output.getvalue() == "token ***\n"
    assert other_output.getvalue() == f"token {SECRET}\n"

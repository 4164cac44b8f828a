"""Secret hygiene: redact known secret values from anything that could reach a log or an error."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterable
from typing import Any

from typing_extensions import override

REDACTED = "***"
# Values this short would redact ordinary words; real keys are far longer.
_MIN_SECRET_LENGTH = 6


def secret_strings(value: Any) -> list[str]:
    """Every text a setting's value could be printed as: nested strings, numbers as text."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in secret_strings(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in secret_strings(item)]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return [str(value)]
    return []


class SecretRedactor(logging.Filter):
    """Replaces every known secret value in log records and strings with a fixed mask.

    It only masks: a record without a secret passes untouched, and a traceback holding one is
    kept, formatted, with the secret masked.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: tuple[str, ...] = ()
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        for secret in secrets:
            if not isinstance(secret, str):
                continue
            # Also the forms an error message may quote: trimmed, and escaped as in a repr.
            forms = {secret, secret.strip(), repr(secret)[1:-1]}
            known = {*self._secrets, *(f for f in forms if len(f) >= _MIN_SECRET_LENGTH)}
            # Longest first, so a trimmed form never leaves the tail of a longer one behind.
            self._secrets = tuple(sorted(known, key=len, reverse=True))

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    @override
    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            trace = record.exc_text or "".join(traceback.format_exception(*record.exc_info))
            masked = self.redact(trace.rstrip("\n"))
            if masked != trace.rstrip("\n"):
                # The formatted traceback stays, its secret masked; the live exception goes.
                record.exc_info, record.exc_text = None, masked
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True

    def install(self, logger: logging.Logger) -> None:
        """Mask secrets in what the handlers `logger` writes through print (for a tap, its
        stderr), without changing the log records other handlers receive.

        One redactor per handler: installing replaces an earlier tap's, so none pile up.
        """
        for handler in handlers_of(logger):
            formatter = handler.formatter
            if isinstance(formatter, RedactingFormatter):
                formatter.redactor = self
            else:
                handler.setFormatter(RedactingFormatter(formatter, self))


def handlers_of(logger: logging.Logger) -> list[logging.Handler]:
    """The handlers a record of `logger` reaches: its own and its ancestors' while propagating."""
    found: list[logging.Handler] = []
    current: logging.Logger | None = logger
    while current is not None:
        found.extend(h for h in current.handlers if h not in found)
        current = current.parent if current.propagate else None
    return found


class RedactingFormatter(logging.Formatter):
    """A handler's own formatter, its output (message, traceback, stack) with secrets masked."""

    def __init__(self, inner: logging.Formatter | None, redactor: SecretRedactor) -> None:
        super().__init__()
        self.inner = inner or logging.Formatter()
        self.redactor = redactor

    @override
    def format(self, record: logging.LogRecord) -> str:
        return self.redactor.redact(self.inner.format(record))

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

    def install(self) -> None:
        """Mask secrets in what the handlers of the root logger (the tap's stderr) print.

        One redactor per process: installing replaces an earlier tap's, so filters never pile up.
        """
        root = logging.getLogger()
        for filterer in (root, *root.handlers):
            for earlier in [f for f in filterer.filters if isinstance(f, SecretRedactor)]:
                if earlier is not self:
                    filterer.removeFilter(earlier)
            if self not in filterer.filters:
                filterer.addFilter(self)

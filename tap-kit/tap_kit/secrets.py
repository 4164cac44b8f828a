"""Secret hygiene: redact known secret values from anything that could reach a log or an error."""

from __future__ import annotations

import logging
from collections.abc import Iterable

REDACTED = "***"
# Values this short would redact ordinary words; real keys are far longer.
_MIN_SECRET_LENGTH = 6


class SecretRedactor(logging.Filter):
    """Replaces every known secret value in log records and strings with a fixed mask."""

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

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        redacted = self.redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info and record.exc_info[1] is not None:
            # A traceback would print the exception's text unfiltered: fold it into the message.
            exc = record.exc_info[1]
            record.msg = f"{redacted}: {self.redact(f'{type(exc).__name__}: {exc}')}"
            record.args, record.exc_info, record.exc_text = None, None, None
        return True

    def install(self) -> None:
        """Attach to the root logger's handlers so every plugin logger passes through it."""
        root = logging.getLogger()
        for handler in root.handlers:
            if self not in handler.filters:
                handler.addFilter(self)
        if self not in root.filters:
            root.addFilter(self)

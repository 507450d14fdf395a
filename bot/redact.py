"""Keep the bot token out of every log line: httpx and tracebacks print request URLs, which hold it."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from urllib.parse import quote

MASK = "<token>"


class TokenFilter(logging.Filter):
    """Rewrites a record's message, exception and stack text with the token masked.

    Installed on handlers (not loggers) because handler filters see records from every logger.
    """

    def __init__(self, token: str) -> None:
        super().__init__()
        self.secrets = sorted({token, quote(token, safe=""), quote(token)}, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for s in self.secrets:
            if s and s in text:
                text = text.replace(s, MASK)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:  # a bad format string must not hide the record
            msg = str(record.msg)
        record.msg, record.args = self.redact(msg), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def install(token: str) -> TokenFilter:
    """Filter the root handlers (adding a stderr one if there is none) and the crash hooks."""
    flt = TokenFilter(token)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s",
                            stream=sys.stderr)
    for handler in root.handlers:
        if not any(isinstance(f, TokenFilter) for f in handler.filters):
            handler.addFilter(flt)
    if logging.lastResort is not None:
        logging.lastResort.addFilter(flt)

    def excepthook(exc_type, exc, tb) -> None:
        sys.stderr.write(flt.redact("".join(traceback.format_exception(exc_type, exc, tb))))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        excepthook(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
    return flt

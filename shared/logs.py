"""JSON logs with structlog, with secrets and report material redacted before rendering."""

from __future__ import annotations

import logging
import sys
from collections.abc import Mapping, MutableMapping
from typing import Any

import structlog

# Keys whose values are confidential by nature: report ciphertext, receipts, keys, tokens.
# Redacting by key name means a careless `log.info(..., envelope=...)` cannot leak.
CONFIDENTIAL_KEYS = frozenset(
    {
        "envelope",
        "ciphertext",
        "sealed_key",
        "secret",
        "receipt",
        "mailbox",
        "lookup",
        "token",
        "access_token",
        "refresh_token",
        "code",
        "link",
        "authorization",
        "password",
        "passphrase",
        "private_key",
        "content_key",
        "body",
        "value",
    }
)
REDACTED = "[redacted]"


def _redact(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {
            k: REDACTED if str(k).lower() in CONFIDENTIAL_KEYS else _redact(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_redact(v) for v in value]
    return value


def redact_confidential(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    return {
        k: REDACTED if k.lower() in CONFIDENTIAL_KEYS else _redact(v) for k, v in event_dict.items()
    }


def configure_logging(service: str, level: str = "INFO") -> None:
    """Route stdlib and structlog records through one JSON renderer on stderr."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_confidential,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Python warnings (a library's deprecation notice) become records of the `py.warnings`
    # logger, so they arrive as JSON lines too and never break the log stream with plain text.
    logging.captureWarnings(True)
    # FastStream installs its own plain-text handler on import (and stops propagation),
    # which would write between the JSON lines: send its records through ours instead.
    faststream = logging.getLogger("faststream")
    faststream.handlers.clear()
    faststream.propagate = True
    # Access logs would carry client addresses; reporters must stay untraceable.
    logging.getLogger("uvicorn.access").disabled = True
    structlog.contextvars.bind_contextvars(service=service)


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)

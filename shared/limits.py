"""Limits that the gateway and the services must agree on, named once."""

from __future__ import annotations

from typing import Final

# The largest request body anything accepts. A report is a few KiB of ciphertext, so
# 2 MiB leaves room for attachments-to-come without letting one request tie up a service.
# The gateway refuses larger bodies with 413 (deploy/Caddyfile's GATEWAY_MAX_BODY_BYTES,
# set from this constant locally and checked against docker-compose.yml by the tests).
MAX_REQUEST_BODY_BYTES: Final = 2 * 1024 * 1024

"""Benchmark of report sealing and opening: `python bench/crypto.py [--runs N]`.

Prints the median time to seal and to open a 4 KiB report for 1, 2 and 5 VCPs in both
suites, next to the bare cost of one HPKE encrypt and one HPKE decrypt of a 32-byte key
measured in the same run, so the overhead of the envelope format can be read off as a
ratio rather than compared with numbers from another machine or moment.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import cryptography

from shared.crypto import (
    SUITES,
    PrivateKey,
    SuiteName,
    hpke_suite,
    open_envelope,
    padded_size,
    report_context,
    seal,
)

REPORT_SIZE = 4096
RECIPIENT_COUNTS = (1, 2, 5)
CONTEXT = report_context("bench-org", "00000000-0000-4000-8000-000000000000")


def _report_body() -> dict[str, Any]:
    """A report whose UTF-8 JSON is REPORT_SIZE - 4 bytes, so it fills the 4 KiB bucket."""
    body: dict[str, Any] = {
        "category": "other",
        "description": "",
        "occurred_on": "2026-05-01",
        "wants_contact": False,
    }
    overhead = len(json.dumps(body, separators=(",", ":")).encode())
    body["description"] = "x" * (REPORT_SIZE - 4 - overhead)
    return body


# Each figure is measured this many times over (each a median of --runs timings).
ROUNDS = 3


def _median_ms(cases: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Median wall time per case, in ms.

    The cases are timed round-robin, one run each per round, so a slow stretch of the
    machine (other processes, frequency scaling) hits every case alike and the ratios
    between them stay meaningful.
    """
    for fn in cases.values():  # warm caches and lazy initialisation
        for _ in range(3):
            fn()
    samples: dict[str, list[int]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, fn in cases.items():
            start = time.perf_counter_ns()
            fn()
            samples[name].append(time.perf_counter_ns() - start)
    return {name: statistics.median(times) / 1e6 for name, times in samples.items()}


def _bench_suite(suite: SuiteName, runs: int) -> list[str]:
    keys = [PrivateKey.generate(suite) for _ in range(max(RECIPIENT_COUNTS))]
    body = _report_body()
    hpke = hpke_suite(suite)
    content_key = os.urandom(32)
    info = CONTEXT.encode()
    hpke_public = keys[0].public_key.to_hpke()
    hpke_private = keys[0].to_hpke()
    sealed = hpke.encrypt(content_key, hpke_public, info=info)

    cases: dict[str, Callable[[], object]] = {
        "enc": partial(hpke.encrypt, content_key, hpke_public, info=info),
        "dec": partial(hpke.decrypt, sealed, hpke_private, info=info),
    }
    sizes: dict[int, int] = {}
    for n in RECIPIENT_COUNTS:
        public_keys = [k.public_key for k in keys[:n]]
        envelope = seal(body, public_keys, CONTEXT)
        sizes[n] = len(envelope.model_dump_json())
        cases[f"seal{n}"] = partial(seal, body, public_keys, CONTEXT)
        # Open as the last recipient, the worst case for finding one's entry.
        cases[f"open{n}"] = partial(open_envelope, envelope, keys[n - 1], CONTEXT)
    # Each figure ROUNDS times: the median of the rounds, and their spread beside it.
    rounds = [_median_ms(cases, runs) for _ in range(ROUNDS)]
    ms = {name: statistics.median(r[name] for r in rounds) for name in cases}

    def spread(name: str) -> float:
        return max(r[name] for r in rounds) - min(r[name] for r in rounds)

    enc_ms, dec_ms = ms["enc"], ms["dec"]
    lines = [
        f"{suite}: bare HPKE encrypt {enc_ms:.3f} ms (spread {spread('enc'):.3f}), decrypt "
        f"{dec_ms:.3f} ms (spread {spread('dec'):.3f}) (sealed key {len(sealed)} B)",
        f"  {'VCPs':>4}  {'seal ms':>8}  {'spread':>7}  {'/(n*enc)':>8}  {'open ms':>8}"
        f"  {'spread':>7}  {'/dec':>6}  {'envelope JSON':>13}",
    ]
    for n in RECIPIENT_COUNTS:
        seal_ms, open_ms = ms[f"seal{n}"], ms[f"open{n}"]
        lines.append(
            f"  {n:>4}  {seal_ms:>8.3f}  {spread(f'seal{n}'):>7.3f}"
            f"  {seal_ms / (n * enc_ms):>8.2f}  {open_ms:>8.3f}  {spread(f'open{n}'):>7.3f}"
            f"  {open_ms / dec_ms:>6.2f}  {sizes[n]:>11} B"
        )
    one, five, fifteen = os.getloadavg()
    lines.append(f"  [load average {one:.2f} {five:.2f} {fifteen:.2f}]")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=300, help="timed runs per figure")
    args = parser.parse_args()

    body_len = len(json.dumps(_report_body(), separators=(",", ":")).encode())
    print(
        f"SafeHands crypto benchmark — Python {platform.python_version()}, "
        f"cryptography {cryptography.__version__}, {platform.machine()}, "
        f"median of {args.runs} runs, each figure in {ROUNDS} rounds: their median and spread"
    )
    print(f"report body {body_len} B JSON, padded to {padded_size(body_len)} B")
    print("/(n*enc): seal time over n bare HPKE encrypts; /dec: open time over one decrypt")
    for suite in SUITES:
        print()
        for line in _bench_suite(suite, args.runs):
            print(line)


if __name__ == "__main__":
    main()

"""`safehands dlq list|replay TOPIC`: inspect dead-lettered records and re-inject them once
their cause is fixed."""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

import typer
from aiokafka.errors import KafkaError

from cli.dead_letters import DeadLetter, dead_letters_of, origin_topic, replay
from shared.messaging import dead_letters

dlq_app = typer.Typer(
    help="Dead-lettered records of a topic (<topic>.dlq): list them, replay them.",
    no_args_is_help=True,
    add_completion=False,
)

TopicArgument = Annotated[
    str, typer.Argument(help="The topic, e.g. safehands.volunteer (or its .dlq).")
]
BootstrapOption = Annotated[str, typer.Option(help="Kafka bootstrap servers.")]


def _load(bootstrap: str, topic: str) -> list[DeadLetter]:
    try:
        return asyncio.run(dead_letters_of(bootstrap, topic))
    except (KafkaError, OSError) as exc:
        typer.echo(f"Cannot read from Kafka at {bootstrap}: {type(exc).__name__}.", err=True)
        raise typer.Exit(2) from None


def letter_row(letter: DeadLetter) -> dict[str, Any]:
    """One dead letter as `dlq list --json` prints it (headers only, never the payload)."""
    return {
        "position": letter.position,
        "failed_at": letter.header(dead_letters.FAILED_AT) or None,
        "consumer": letter.header(dead_letters.CONSUMER) or None,
        "origin_topic": letter.header(dead_letters.ORIGIN_TOPIC) or None,
        "origin_partition": letter.header(dead_letters.ORIGIN_PARTITION) or None,
        "origin_offset": letter.header(dead_letters.ORIGIN_OFFSET) or None,
        "type": letter.header("ce_type") or None,
        "event_id": letter.event_id or None,
        "replayed": letter.replayed,
        "reason": letter.header(dead_letters.REASON) or None,
    }


@dlq_app.command("list")
def list_dead_letters(
    topic: TopicArgument,
    bootstrap: BootstrapOption = "127.0.0.1:9092",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON for scripts instead of lines.")
    ] = False,
) -> None:
    """Show each dead letter: partition:offset, time, consumer, origin, event type and id,
    whether it was replayed, and the reason it failed."""
    letters = _load(bootstrap, topic)
    if as_json:
        typer.echo(json.dumps([letter_row(letter) for letter in letters], indent=2))
        return
    if not letters:
        typer.echo(f"No dead letters for {origin_topic(topic)}.")
        return
    typer.echo(f"{len(letters)} dead letter(s) of {origin_topic(topic)}:")
    for letter in letters:
        typer.echo(
            "  ".join(
                (
                    letter.position,
                    letter.header(dead_letters.FAILED_AT) or "-",
                    f"consumer={letter.header(dead_letters.CONSUMER) or '-'}",
                    f"origin={_origin(letter)}",
                    f"type={letter.header('ce_type') or '-'}",
                    f"id={letter.event_id or '-'}",
                    "REPLAYED" if letter.replayed else "",
                )
            ).rstrip()
        )
        typer.echo(f"    reason: {letter.header(dead_letters.REASON)}")


def _origin(letter: DeadLetter) -> str:
    topic = letter.header(dead_letters.ORIGIN_TOPIC)
    partition = letter.header(dead_letters.ORIGIN_PARTITION)
    return f"{topic}[{partition}]@{letter.header(dead_letters.ORIGIN_OFFSET)}"


@dlq_app.command("replay")
def replay_dead_letters(
    topic: TopicArgument,
    id: Annotated[
        str | None,
        typer.Option("--id", help="Only this record: its event id (ce_id) or partition:offset."),
    ] = None,
    again: Annotated[
        bool, typer.Option(help="Replay records that were replayed before, too.")
    ] = False,
    bootstrap: BootstrapOption = "127.0.0.1:9092",
) -> None:
    """Re-inject dead letters into their origin topic, with their original headers, for the
    consumer that failed on them only: the topic's other consumers skip them."""
    letters = _load(bootstrap, topic)
    chosen = [letter for letter in letters if id is None or letter.matches(id)]
    if id is not None and not chosen:
        typer.echo(f"No dead letter of {origin_topic(topic)} has the id {id!r}.", err=True)
        raise typer.Exit(1)
    skipped = [letter for letter in chosen if letter.replayed and not again]
    due = [letter for letter in chosen if letter not in skipped]
    for letter in skipped:
        typer.echo(
            f"{letter.position} ({letter.event_id or 'no event id'}) was replayed before; --again replays it anyway."
        )
    if due:
        asyncio.run(replay(bootstrap, topic, due))
    for letter in due:
        destination = letter.header(dead_letters.ORIGIN_TOPIC) or origin_topic(topic)
        addressee = (
            f"for {letter.consumer} only"
            if letter.consumer
            else "for every consumer (the dead letter does not name the one that failed)"
        )
        typer.echo(
            f"Replayed {letter.position} ({letter.event_id or 'no event id'}) to {destination}, {addressee}."
        )
    if not due and not skipped:
        typer.echo(f"No dead letters for {origin_topic(topic)}.")

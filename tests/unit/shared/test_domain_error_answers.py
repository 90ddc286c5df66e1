"""A domain error is answered with the status its service maps it to and its message as the
detail; one the service did not map is a bug, answered as any unexpected error."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from shared.domain.errors import DomainError
from shared.http.http_errors import install_error_handlers


class NotThere(DomainError):
    pass


class GoneForGood(NotThere):
    pass


class Forgotten(DomainError):
    pass


def client() -> TestClient:
    app = FastAPI()
    install_error_handlers(app, {NotThere: 404, GoneForGood: 410})

    @app.get("/{what}")
    async def refuse(what: str) -> None:
        raise {"missing": NotThere, "gone": GoneForGood, "forgotten": Forgotten}[what](
            f"The {what} thing is refused."
        )

    return TestClient(app, raise_server_exceptions=False)


def test_a_mapped_domain_error_answers_its_status_and_sentence() -> None:
    answer = client().get("/missing")
    assert (answer.status_code, answer.json()) == (404, {"detail": "The missing thing is refused."})


def test_the_most_specific_mapping_wins() -> None:
    assert client().get("/gone").status_code == 410


def test_an_unmapped_domain_error_is_a_500_that_tells_nothing() -> None:
    answer = client().get("/forgotten")
    assert answer.status_code == 500
    assert "forgotten" not in answer.text

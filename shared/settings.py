"""Settings of a SafeHands process, read from `SAFEHANDS_*` environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from shared.failpoints import FAILPOINTS_ENV
from shared.http.client_address import IPNetwork, parse_networks
from shared.private_files import next_key_path
from shared.storage.deadlines import DEFAULT_MAX_POOL_SIZE, DEFAULT_OPERATION_TIMEOUT_MS

ENV_PREFIX = "SAFEHANDS_"


class SettingsError(Exception):
    """A setting is unknown or malformed; the message names it in one sentence."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="forbid", frozen=True)

    service_name: str = "safehands"
    http_host: str = "127.0.0.1"
    # None: the service's own port from the public contract (intake 8081 … notify 8084).
    http_port: int | None = Field(default=None, ge=1, le=65535)
    # None: the service's own limit (intake and reports: the largest sealed report).
    http_max_body_bytes: int | None = Field(default=None, ge=1)
    # How long an idle client connection is kept open. Longer than any client keeps an idle
    # connection for reuse (httpx 5 s, Caddy's upstream pool 2 min): a server that closes
    # first races the client's next request on that connection, which then fails with a
    # reset (httpx.ReadError) although nothing was wrong.
    http_keep_alive_seconds: int = Field(default=130, ge=1, le=3600)

    kafka_bootstrap_servers: str = "127.0.0.1:9092"
    # One on the embedded default, which runs one instance of each service: every partition
    # is read on every fetch, on both sides (issue 27's idle platform). Compose and
    # Kubernetes, where a service can have several instances, make 6.
    kafka_topic_partitions: int = Field(default=1, ge=1, le=64)
    # Instances of one service share the group `<prefix>-<service>` and so split the partitions.
    consumer_group_prefix: str = Field(default="safehands", pattern=r"^[A-Za-z0-9._-]+$")
    # How long the broker may hold a fetch with nothing new, while records flow and once a
    # consumer has been quiet for 10 s (shared/messaging/fetch_wait.py). Real Kafka answers as
    # soon as a record arrives (compose and Kubernetes: 500 and 500). Tansu, the embedded
    # default, looks again only a few times during the wait: 50 ms is each hop's latency
    # while busy, 500 ms what an idle consumer costs it.
    kafka_fetch_max_wait_ms: int = Field(default=50, ge=1, le=5000)
    kafka_idle_fetch_max_wait_ms: int = Field(default=500, ge=0, le=5000)
    kafka_batch_max_records: int = Field(default=500, ge=1, le=10_000)
    # How long the group waits for a silent consumer before giving its partitions to another.
    # Tansu also holds every group join for half of it, so it is each start's wait too.
    kafka_session_timeout_ms: int = Field(default=6_000, ge=1_500, le=300_000)

    mongo_uri: str = "mongodb://127.0.0.1:27017/?directConnection=true"
    mongo_database: str = "safehands"
    # The longest any one database operation may take (pymongo's timeoutMS).
    mongo_timeout_ms: int = Field(default=DEFAULT_OPERATION_TIMEOUT_MS, ge=100, le=600_000)
    # The most connections one service instance holds to the database; an operation beyond
    # them waits its turn in the service, within mongo_timeout_ms (README, "A short queue at
    # the database").
    mongo_max_pool_size: int = Field(default=DEFAULT_MAX_POOL_SIZE, ge=1, le=1000)

    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=1025, ge=1, le=65535)
    smtp_sender: str = "SafeHands <no-reply@safehands.local>"
    # A relay in production: STARTTLS required (a server that does not offer it gets no
    # mail), and a login whose password is read from a file (a compose secret).
    smtp_starttls: bool = False
    smtp_username: str | None = None
    smtp_password_file: Path | None = None

    # Credentials (SCRAM), each service its own user; the passwords are read from files
    # (compose secrets), never from the environment. Unset: no authentication (the
    # embedded broker and database of `safehands up`).
    mongo_username: str | None = None
    mongo_password_file: Path | None = None
    kafka_sasl_username: str | None = None
    kafka_sasl_password_file: Path | None = None
    kafka_sasl_mechanism: Literal["SCRAM-SHA-256", "SCRAM-SHA-512"] = "SCRAM-SHA-512"

    data_dir: Path = Path(".safehands")
    # `safehands up` only: the embedded broker keeps its topics in the object store under
    # data_dir (durable: they survive a restart) or in memory (faster; gone on a restart).
    embedded_broker: Literal["durable", "memory"] = "durable"
    # Access tokens are verified with this key file, with identity's JWKS, or both: the key
    # file alone when no JWKS URL is set (then it defaults to the local pair in data_dir),
    # as one more trusted key when it is set explicitly beside a JWKS URL.
    jwt_public_key_file: Path | None = None
    jwks_url: str | None = Field(default=None, pattern=r"^https?://")
    # The `iss` that access tokens carry and services require.
    token_issuer: str = Field(default="safehands", min_length=1)
    # identity's signing key (Ed25519, PEM); by default the local pair `safehands token` uses.
    jwt_private_key_file: Path | None = None
    # identity's next signing key, published in the JWKS before it signs anything; by
    # default beside the signing key (`<name>.next.pem`), where `safehands keys rotate` keeps it.
    jwt_next_private_key_file: Path | None = None
    # Services refuse a token whose lifetime (exp - iat) is longer than this.
    token_max_lifetime_seconds: int = Field(default=3600, ge=60, le=86_400)

    # identity: the operators' addresses (comma-separated), and the web app that sign-in
    # links point to (`<web_url>/sign-in/callback#code=…`).
    operator_emails: str = ""
    web_url: str = Field(default="http://127.0.0.1:8080", pattern=r"^https?://[^#?]+$")
    sign_in_limit_per_address: int = Field(default=5, ge=1)
    sign_in_limit_per_client: int = Field(default=30, ge=1)
    sign_in_limit_window_seconds: int = Field(default=900, ge=1)
    # Sign-in mails to one address per UTC day, whoever asks: past it (or past the per-address
    # limit above) a request is answered 202 and mails nothing, so nobody is locked out by 429.
    sign_in_mails_per_address_per_day: int = Field(default=10, ge=1)

    log_level: str = Field(default="INFO", pattern="^(DEBUG|INFO|WARNING|ERROR)$")
    webhooks_allow_private_networks: bool = False
    # One deadline for a whole webhook attempt (resolve, connect, send, status and headers).
    # It must stay well below the 60 s claim lease, or a slow attempt would be claimed and
    # posted again by another instance.
    webhook_attempt_deadline_seconds: float = Field(default=10.0, gt=0, le=30)
    # How many of a notify instance's 8 delivery slots one organisation may hold at once.
    webhook_deliveries_per_org: int = Field(default=2, ge=1, le=8)
    # Multiplies notify's retry delays (webhook schedule, SMTP backoff): 1 in production,
    # small in tests so that a day of retries takes seconds.
    notify_retry_scale: float = Field(default=1.0, gt=0, le=1)

    handler_max_attempts: int = Field(default=3, ge=1, le=20)
    handler_retry_base_seconds: float = Field(default=0.2, ge=0, le=60)
    # How often the outbox relay, the audit chainer and notify's mail and webhook workers
    # look for rows this instance did not write (another instance's, a retry that came
    # due). Its own commits wake each of them at once. The embedded default runs one
    # instance of each service: 2 s (issue 27's idle platform: at 0.5 these looks were
    # most of the database's idle work). Compose and Kubernetes, where a service may have
    # several instances, set 0.5.
    outbox_poll_seconds: float = Field(default=2.0, gt=0, le=60)
    # A commit's outbox records as one document (shared/storage/outbox_bundles.py). Off only
    # while instances of a release before bundles still run beside this one: their relay
    # cannot read a bundle (README, "Upgrades").
    outbox_bundles: bool = True
    # How often each consumer group's lag is read from the broker (`safehands_consumer_lag`,
    # which the production alerts watch: compose and Kubernetes set 15). Once a minute on the
    # embedded default: Tansu answers the end offsets by listing every record batch of each
    # partition in the object store, a cost that grows with the topics (issue 27), and
    # `safehands status` reads the lag itself.
    consumer_lag_sample_seconds: float = Field(default=60.0, gt=0, le=300)
    # How often each instance commits a small timed write to its database
    # (shared/storage/write_probe.py), which the alert on a database that takes no writes
    # watches: readiness only pings, and a ping waits on no write.
    database_probe_seconds: float = Field(default=15.0, gt=0, le=300)
    # Live pages (shared/runtime/live.py): how often each instance looks for hints committed
    # by the others, how often an open stream checks its holder is still a member, and how
    # often a quiet stream sends a comment so that no proxy closes it.
    live_poll_seconds: float = Field(default=1.0, gt=0, le=60)
    live_membership_check_seconds: float = Field(default=2.0, gt=0, le=60)
    live_keepalive_seconds: float = Field(default=15.0, gt=0, le=300)
    startup_retry_max_seconds: float = Field(default=10.0, gt=0, le=300)
    scheduler_interval_seconds: float = Field(default=60.0, gt=0)
    # How many days of audit log each service keeps (0: all). Older whole days are dropped
    # hourly; the chain then starts at its anchor (shared/audit/log.py).
    audit_retention_days: int = Field(default=0, ge=0, le=36_500)
    lease_seconds: float = Field(default=15.0, gt=0)

    # Attachments of a report (issue 24): how many files, how many bytes of ciphertext in
    # all, and how long an upload may wait for its report before it is deleted.
    attachments_max_files: int = Field(default=5, ge=0, le=50)
    attachments_max_bytes: int = Field(default=20 << 20, ge=0, le=1 << 30)
    attachment_expiry_seconds: int = Field(default=3600, ge=60, le=7 * 86_400)
    # Where reports keeps attachments' ciphertext: an S3 bucket when an endpoint is set (the
    # bucket is created if missing), its database otherwise. The secret comes from the
    # environment (`safehands up`) or from a file (a compose or Kubernetes secret).
    attachment_s3_endpoint: str | None = Field(default=None, pattern=r"^https?://")
    attachment_s3_bucket: str = Field(
        default="safehands-attachments", pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"
    )
    attachment_s3_region: str = "us-east-1"
    attachment_s3_access_key_id: str | None = None
    attachment_s3_secret_access_key: SecretStr | None = None
    attachment_s3_secret_access_key_file: Path | None = None

    # Anonymous applications in flight on one instance; the next is answered 503 at once
    # (shared/runtime/lanes.py says why). Far above what a normal day or a crowd at a fair
    # sends; reached only when the database falls behind.
    max_applications_in_flight: int = Field(default=32, ge=1)
    # How long an application beyond the lane may wait for a place before its 503, in a queue
    # as long as the lane: a burst of a moment is taken late rather than refused; 0 refuses
    # at once.
    application_wait_ms: int = Field(default=100, ge=0, le=2000)
    rate_limit_per_client: int = Field(default=20, ge=1)
    rate_limit_window_seconds: int = Field(default=3600, ge=1)
    # No limit per organisation (anyone could use it up): above this many anonymous requests
    # a minute for one organisation, every client first solves an ALTCHA proof of work
    # (shared/runtime/proof_of_work.py). Cost: PBKDF2 iterations per try; the client tries
    # half of max_counter on average (about a second in a browser or the CLI by default).
    proof_of_work_above_per_minute: int = Field(default=60, ge=1)
    proof_of_work_cost: int = Field(default=1000, ge=1, le=1_000_000)
    proof_of_work_max_counter: int = Field(default=2000, ge=1, le=10_000_000)
    proof_of_work_expiry_seconds: int = Field(default=600, ge=10, le=86_400)
    # The rate limiter's keys derive from this secret, shared by every instance and never
    # stored in the database. Unset: read from RATE_LIMIT_SECRET_FILE, by default
    # <DATA_DIR>/keys/rate_limit_secret (`safehands up` creates it).
    rate_limit_secret: SecretStr | None = None
    rate_limit_secret_file: Path | None = None
    # Peers whose X-Forwarded-For names the client: none by default, so that a request sent
    # to a service's port directly, from loopback too, cannot claim another address. Where
    # the gateway runs, it is set to the gateway's address (`safehands up`: loopback;
    # docker-compose.yml: the caddy service's fixed address).
    trusted_proxies: str = ""

    @field_validator("trusted_proxies")
    @classmethod
    def _check_trusted_proxies(cls, value: str) -> str:
        parse_networks(value)
        return value

    @property
    def trusted_proxy_networks(self) -> tuple[IPNetwork, ...]:
        return parse_networks(self.trusted_proxies)

    @property
    def rate_limit_secret_path(self) -> Path:
        return self.rate_limit_secret_file or self.data_dir / "keys" / "rate_limit_secret"

    @property
    def jwt_public_key_path(self) -> Path:
        return self.jwt_public_key_file or self.data_dir / "keys" / "jwt_public.pem"

    @property
    def jwt_private_key_path(self) -> Path:
        return self.jwt_private_key_file or self.data_dir / "keys" / "jwt_private.pem"

    @property
    def smtp_login(self) -> tuple[str, str] | None:
        return _login("SMTP", self.smtp_username, self.smtp_password_file)

    @property
    def mongo_login(self) -> tuple[str, str] | None:
        return _login("MONGO", self.mongo_username, self.mongo_password_file)

    @property
    def kafka_login(self) -> tuple[str, str] | None:
        return _login("KAFKA_SASL", self.kafka_sasl_username, self.kafka_sasl_password_file)

    @property
    def attachment_s3_login(self) -> tuple[str, str] | None:
        """The object store's access key id and secret, or None without an endpoint."""
        if self.attachment_s3_endpoint is None:
            return None
        name = f"{ENV_PREFIX}ATTACHMENT_S3_SECRET_ACCESS_KEY"
        key_id, secret = self.attachment_s3_access_key_id, self.attachment_s3_secret_access_key
        if secret is None and self.attachment_s3_secret_access_key_file is not None:
            try:
                text = self.attachment_s3_secret_access_key_file.read_text("utf-8").strip()
            except OSError as exc:
                raise SettingsError(f"{name}_FILE cannot be read ({exc.strerror}).") from None
            secret = SecretStr(text) if text else None
        if key_id is None or secret is None:
            raise SettingsError(
                f"{ENV_PREFIX}ATTACHMENT_S3_ENDPOINT needs {ENV_PREFIX}ATTACHMENT_S3_ACCESS_KEY_ID "
                f"and a secret ({name}, or a file named in {name}_FILE)."
            )
        return key_id, secret.get_secret_value()

    @property
    def jwt_next_private_key_path(self) -> Path:
        return self.jwt_next_private_key_file or next_key_path(self.jwt_private_key_path)

    @property
    def operators(self) -> frozenset[str]:
        return frozenset(
            address.strip().lower()
            for address in self.operator_emails.split(",")
            if address.strip()
        )


def _unknown_settings(environ: dict[str, str]) -> list[str]:
    known = {ENV_PREFIX + name.upper() for name in Settings.model_fields}
    known.add(ENV_PREFIX + FAILPOINTS_ENV)
    return sorted(k for k in environ if k.startswith(ENV_PREFIX) and k not in known)


def _login(kind: str, username: str | None, password_file: Path | None) -> tuple[str, str] | None:
    """A user name and the password its file holds, or None when neither is set."""
    if username is None and password_file is None:
        return None
    if username is None or password_file is None:
        raise SettingsError(
            f"Set both {ENV_PREFIX}{kind}_USERNAME and {ENV_PREFIX}{kind}_PASSWORD_FILE, or neither."
        )
    try:
        password = password_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise SettingsError(
            f"{ENV_PREFIX}{kind}_PASSWORD_FILE cannot be read ({exc.strerror})."
        ) from None
    if not password:
        raise SettingsError(f"{ENV_PREFIX}{kind}_PASSWORD_FILE is empty.")
    return username, password


def load_settings(**overrides: object) -> Settings:
    """Read the settings, or raise `SettingsError` with a sentence naming the culprit."""
    unknown = _unknown_settings(dict(os.environ))
    if unknown:
        raise SettingsError(
            f"Unknown setting {unknown[0]}: check its spelling "
            f"(known settings are SAFEHANDS_ followed by one of "
            f"{', '.join(n.upper() for n in Settings.model_fields)})."
        )
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ENV_PREFIX + str(first["loc"][0]).upper() if first["loc"] else "a setting"
        raise SettingsError(f"Setting {name} is malformed: {first['msg']}.") from None

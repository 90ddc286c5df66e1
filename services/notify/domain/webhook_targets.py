"""Server-side request forgery guard for webhook targets.

An admin chooses the URL we POST to; without this check they could make the platform call
its own database, the cloud metadata service (169.254.169.254) or anything else on the
internal network. We refuse targets whose host resolves to a non-public address.

Resolving here and letting the HTTP client resolve the name again to connect would leave a
window in which DNS can change its answer (DNS rebinding): a low-TTL name answers a public
address to the check and 127.0.0.1 to the connection. So a delivery resolves once, with
`vet_target`, and connects to the address it vetted (the name stays in the Host header and
the TLS server name).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass

import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], list[str]]

ALLOWED_SCHEMES = frozenset({"http", "https"})

# Listed explicitly rather than trusting `is_global` alone, because what Python's
# `ipaddress` calls private or global has changed between patch releases.
_NON_PUBLIC_IPV4_NETWORKS = tuple(
    ipaddress.IPv4Network(network)
    for network in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT, often the provider's internal network
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, home of cloud metadata services
        "172.16.0.0/12",
        "192.0.0.0/24",  # IETF protocol assignments
        "192.0.2.0/24",  # documentation
        "192.88.99.0/24",  # deprecated 6to4 relay anycast
        "192.168.0.0/16",
        "198.18.0.0/15",  # benchmarking
        "198.51.100.0/24",  # documentation
        "203.0.113.0/24",  # documentation
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, includes the broadcast address
    )
)

# Only 2000::/3 is handed out as global unicast; everything outside it is reserved,
# loopback, unique-local (fc00::/7), link-local, site-local (fec0::/10) or multicast.
_GLOBAL_UNICAST_IPV6 = ipaddress.IPv6Network("2000::/3")
_NON_PUBLIC_IPV6_NETWORKS = tuple(
    ipaddress.IPv6Network(network)
    for network in (
        "2001::/23",  # IETF protocol assignments, including Teredo tunnels
        "2001:db8::/32",  # documentation
        "3fff::/20",  # documentation
    )
)

# These prefixes carry an IPv4 address inside the IPv6 one, so the IPv4 address decides.
_NAT64_PREFIX = ipaddress.IPv6Network("64:ff9b::/96")

# Hostnames after IDNA encoding (httpx does that): letters, digits, dots, hyphens and the
# underscores some internal DNS names use. Anything else ("%", spaces) is refused rather
# than guessing how a resolver would read it.
_HOSTNAME_PATTERN = re.compile(r"[A-Za-z0-9._-]+")


class UnsafeWebhookTarget(ValueError):
    """A webhook URL the platform refuses to call; `reason` says why in plain words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UnresolvableWebhookTarget(UnsafeWebhookTarget):
    """The host did not resolve; possibly temporary, so a delivery may retry later."""


def resolve_host_addresses(host: str) -> list[str]:
    """Return every address the system resolver gives for `host` (the one I/O in this package)."""
    infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def is_public_address(ip: str | IPAddress) -> bool:
    """True when `ip` is an ordinary internet address that is safe to connect to."""
    address = ipaddress.ip_address(ip) if isinstance(ip, str) else ip
    embedded_ipv4 = _embedded_ipv4(address)
    if embedded_ipv4 is not None:
        return is_public_address(embedded_ipv4)
    if isinstance(address, ipaddress.IPv6Address):
        if address not in _GLOBAL_UNICAST_IPV6 or address.is_site_local:
            return False
        networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = (
            _NON_PUBLIC_IPV6_NETWORKS
        )
    else:
        networks = _NON_PUBLIC_IPV4_NETWORKS
    if (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    ):
        return False
    return not any(address in network for network in networks)


@dataclass(frozen=True)
class VettedTarget:
    """A webhook URL and the addresses its host had when it was vetted: connect to these."""

    url: httpx.URL
    # The host as the request names it (IDNA-encoded), for the Host header and TLS SNI.
    host: str
    addresses: tuple[IPAddress, ...]


def check_target_url(
    url: str,
    allow_private_networks: bool,
    resolve: Resolver = resolve_host_addresses,
) -> None:
    """Raise UnsafeWebhookTarget unless `url` is an http(s) URL to public addresses only.

    Every address the host resolves to must be public: a name that resolves to one public
    and one private address would otherwise reach the private one some of the time.
    `allow_private_networks` (the embedded default) keeps the URL checks but skips the
    address checks, so that local receivers work.
    """
    _url, host, literal = _checked_url(url)
    if allow_private_networks:
        return
    addresses = [literal] if literal is not None else _resolve(host, resolve)
    _refuse_non_public(host, addresses)


def vet_target(
    url: str,
    allow_private_networks: bool,
    resolve: Resolver = resolve_host_addresses,
) -> VettedTarget:
    """Like `check_target_url`, but always resolve (once) and return what was vetted, so
    that the caller connects to exactly those addresses and DNS gets no second say."""
    parsed, host, literal = _checked_url(url)
    addresses = [literal] if literal is not None else _resolve(host, resolve)
    if not allow_private_networks:
        _refuse_non_public(host, addresses)
    return VettedTarget(parsed, host, tuple(addresses))


def _checked_url(url: str) -> tuple[httpx.URL, str, IPAddress | None]:
    """The parsed URL, its host, and the host as an address if it is an IP literal."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as error:
        raise UnsafeWebhookTarget(f"The webhook URL is not valid: {error}.") from error
    # We vet with the same parser that will make the request, so both agree on the host.
    if parsed.scheme not in ALLOWED_SCHEMES:
        raise UnsafeWebhookTarget("A webhook URL must start with http:// or https://.")
    if parsed.userinfo:
        raise UnsafeWebhookTarget(
            "A webhook URL must not contain a user name or password; use the signing secret."
        )
    host = parsed.raw_host.decode("ascii")
    if not host:
        raise UnsafeWebhookTarget("A webhook URL must name a host.")
    if parsed.port is not None and not 1 <= parsed.port <= 65535:
        raise UnsafeWebhookTarget(f"The webhook URL's port {parsed.port} does not exist.")
    # "%" would be an IPv6 zone identifier or a percent-encoded name: neither is a webhook.
    literal = None if "%" in host else _ip_literal(host)
    if literal is None and not _HOSTNAME_PATTERN.fullmatch(host):
        raise UnsafeWebhookTarget(f"The webhook URL's host {host!r} is not a valid host name.")
    return parsed, host, literal


def _refuse_non_public(host: str, addresses: list[IPAddress]) -> None:
    for address in addresses:
        if not is_public_address(address):
            raise UnsafeWebhookTarget(
                f"The webhook host {host!r} points to {address}, which is not a public"
                " internet address."
            )


def _resolve(host: str, resolve: Resolver) -> list[IPAddress]:
    try:
        answers = resolve(host)
    except (OSError, UnicodeError) as error:
        raise UnresolvableWebhookTarget(
            f"The webhook host {host!r} could not be resolved."
        ) from error
    if not answers:
        raise UnresolvableWebhookTarget(f"The webhook host {host!r} has no addresses.")
    try:
        return [ipaddress.ip_address(answer) for answer in answers]
    except ValueError as error:
        raise UnsafeWebhookTarget(
            f"The webhook host {host!r} resolved to something that is not an address."
        ) from error


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None

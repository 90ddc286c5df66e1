"""Who the client is, for the rate limiter: the peer, or what a trusted proxy says it is.

The gateway (Caddy) connects from loopback, so behind it every request's peer is the same
address; the real client is in `X-Forwarded-For`. That header is believed only when the
peer is a trusted proxy: anyone else could write any address into it and so escape the
per-client limit.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# An IPv6 client typically holds a whole /64; counting per address would let it rotate.
IPV6_CLIENT_PREFIX = 64


def parse_networks(value: str) -> tuple[IPNetwork, ...]:
    """`"127.0.0.1/32, ::1"` → networks; ValueError naming the entry that is not one."""
    networks = []
    for entry in (part.strip() for part in value.split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"{entry!r} is not an IP address or network") from None
    return tuple(networks)


def _address(text: str) -> IPAddress | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress, proxies: Sequence[IPNetwork]) -> bool:
    return any(address in network for network in proxies)


def client_address(
    peer: str | None, forwarded_for: Sequence[str], proxies: Sequence[IPNetwork]
) -> IPAddress | None:
    """The client's address: the peer's, unless the peer is a trusted proxy; then the
    right-most `X-Forwarded-For` entry that is not itself a trusted proxy (entries further
    left were written by the client and prove nothing)."""
    address = _address(peer) if peer else None
    if address is None or not _trusted(address, proxies):
        return address
    hops = [hop for header in forwarded_for for hop in header.split(",")]
    for hop in reversed(hops):
        forwarded = _address(hop)
        if forwarded is None:
            # A hop a proxy could not have written: believe nothing further left.
            return address
        address = forwarded
        if not _trusted(forwarded, proxies):
            return forwarded
    return address


def client_identity(address: IPAddress | None) -> str:
    """What the rate limiter counts: an IPv4 address, or the /64 of an IPv6 address."""
    if address is None:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        network = ipaddress.IPv6Network((address, IPV6_CLIENT_PREFIX), strict=False)
        return str(network)
    return str(address)

import socket

import pytest

from services.notify.domain.webhook_targets import (
    UnresolvableWebhookTarget,
    UnsafeWebhookTarget,
    check_target_url,
    is_public_address,
    vet_target,
)


class FakeDns:
    """A stand-in for DNS that also records what it was asked."""

    def __init__(self, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        if host not in self.answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return self.answers[host]


def never_resolve(host: str) -> list[str]:
    raise AssertionError(f"no DNS lookup expected, got one for {host}")


NON_PUBLIC_ADDRESSES = [
    "127.0.0.1",
    "127.255.255.254",
    "::1",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "100.127.255.254",
    "0.0.0.0",
    "::",
    "224.0.0.1",
    "239.255.255.250",
    "255.255.255.255",
    "240.0.0.1",
    "192.0.2.10",
    "198.18.0.1",
    "fc00::1",
    "fd12:3456:789a::1",
    "fe80::1",
    "fec0::1",  # site-local
    "ff02::1",
    "2001:db8::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "::ffff:100.64.0.1",
    "::127.0.0.1",  # deprecated IPv4-compatible form
    "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:a9fe:a9fe::",  # 6to4 of 169.254.169.254
]

PUBLIC_ADDRESSES = [
    "93.184.215.14",
    "8.8.8.8",
    "1.1.1.1",
    "100.128.0.1",  # just past carrier-grade NAT
    "172.32.0.1",  # just past 172.16/12
    "2606:4700:4700::1111",
    "2a00:1450:4001:82a::200e",
    "::ffff:8.8.8.8",
    "64:ff9b::808:808",  # NAT64 of 8.8.8.8, what an IPv6-only host sees
]


@pytest.mark.parametrize("address", NON_PUBLIC_ADDRESSES)
def test_non_public_addresses_are_recognised(address: str) -> None:
    assert not is_public_address(address)


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_public_addresses_are_recognised(address: str) -> None:
    assert is_public_address(address)


@pytest.mark.parametrize("address", NON_PUBLIC_ADDRESSES)
def test_urls_to_non_public_addresses_are_refused(address: str) -> None:
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(UnsafeWebhookTarget, match="not a public"):
        check_target_url(f"https://{host}/hook", False, resolve=never_resolve)


@pytest.mark.parametrize("address", NON_PUBLIC_ADDRESSES)
def test_private_addresses_are_allowed_with_the_flag(address: str) -> None:
    host = f"[{address}]" if ":" in address else address
    check_target_url(f"http://{host}:8080/hook", True, resolve=never_resolve)


def test_a_public_ip_literal_is_accepted_without_dns() -> None:
    check_target_url("https://93.184.215.14/hook", False, resolve=never_resolve)
    check_target_url("https://[2606:4700:4700::1111]:8443/hook", False, resolve=never_resolve)


def test_a_hostname_resolving_to_public_addresses_is_accepted() -> None:
    resolve = FakeDns({"hooks.example.org": ["93.184.215.14", "2606:4700:4700::1111"]})
    check_target_url("https://Hooks.Example.org/in?x=1", False, resolve=resolve)
    assert resolve.asked == ["hooks.example.org"]


def test_a_hostname_resolving_to_public_and_private_addresses_is_refused() -> None:
    resolve = FakeDns({"mixed.example.org": ["93.184.215.14", "10.0.0.5"]})
    with pytest.raises(UnsafeWebhookTarget, match=r"10\.0\.0\.5"):
        check_target_url("https://mixed.example.org/hook", False, resolve=resolve)


def test_every_resolved_address_is_checked_even_when_the_private_one_comes_last() -> None:
    answers = ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:127.0.0.1"]
    resolve = FakeDns({"rebind.example.org": answers})
    with pytest.raises(UnsafeWebhookTarget, match=r"rebind\.example\.org.*not a public"):
        check_target_url("https://rebind.example.org/hook", False, resolve=resolve)


def test_a_mixed_hostname_is_allowed_with_the_flag_without_dns() -> None:
    check_target_url("http://receiver.local:9000/hook", True, resolve=never_resolve)


def test_an_unresolvable_host_is_refused_as_unresolvable() -> None:
    with pytest.raises(UnresolvableWebhookTarget, match="could not be resolved"):
        check_target_url("https://nowhere.invalid/hook", False, resolve=FakeDns({}))
    with pytest.raises(UnresolvableWebhookTarget, match="no addresses"):
        check_target_url("https://empty.example/", False, resolve=FakeDns({"empty.example": []}))


def test_an_unusual_ipv4_spelling_is_judged_by_what_it_resolves_to() -> None:
    # glibc's resolver reads "0x7f.1" as 127.0.0.1; the check must see that too.
    resolve = FakeDns({"0x7f.1": ["127.0.0.1"]})
    with pytest.raises(UnsafeWebhookTarget, match=r"127\.0\.0\.1"):
        check_target_url("http://0x7f.1/", False, resolve=resolve)


def test_idn_hosts_are_resolved_in_their_ascii_form() -> None:
    resolve = FakeDns({"xn--bcher-kva.example": ["93.184.215.14"]})
    check_target_url("https://bücher.example/hook", False, resolve=resolve)


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("ftp://example.org/hook", "http"),
        ("file:///etc/passwd", "http"),
        ("gopher://example.org:70/", "http"),
        ("javascript:alert(1)", "http"),
        ("//example.org/hook", "http"),
        ("example.org/hook", "http"),
        ("https://user:pass@example.org/hook", "user name or password"),
        ("https://user@example.org/hook", "user name or password"),
        ("https://:pass@example.org/hook", "user name or password"),
        ("http:///hook", "host"),
        ("https://exa mple.org/", "host"),
        ("https://example.org:99999/", "port"),
        ("https://[fe80::1%25eth0]/", "host"),
    ],
)
@pytest.mark.parametrize("allow_private_networks", [False, True])
def test_malformed_or_risky_urls_are_refused_even_with_the_flag(
    url: str, complaint: str, allow_private_networks: bool
) -> None:
    resolve = FakeDns({"example.org": ["93.184.215.14"]})
    with pytest.raises(UnsafeWebhookTarget, match=complaint) as refused:
        check_target_url(url, allow_private_networks, resolve=resolve)
    assert refused.value.reason == str(refused.value)


def test_a_resolver_answer_that_is_not_an_address_is_refused() -> None:
    with pytest.raises(UnsafeWebhookTarget):
        check_target_url("https://odd.example/", False, resolve=FakeDns({"odd.example": ["x"]}))


def test_the_default_resolver_sees_that_localhost_is_loopback() -> None:
    # Uses the real resolver; "localhost" comes from the hosts file, not from the network.
    with pytest.raises(UnsafeWebhookTarget, match="not a public"):
        check_target_url("http://localhost:8084/hook", False)


def test_vetting_resolves_once_and_returns_the_addresses_to_connect_to() -> None:
    resolve = FakeDns({"hooks.example.org": ["93.184.215.14", "2606:4700:4700::1111"]})
    target = vet_target("https://Hooks.Example.org:8443/in", False, resolve=resolve)
    assert resolve.asked == ["hooks.example.org"]
    assert [str(a) for a in target.addresses] == ["93.184.215.14", "2606:4700:4700::1111"]
    assert target.host == "hooks.example.org" and target.url.port == 8443


def test_vetting_with_the_flag_still_resolves_but_allows_private_addresses() -> None:
    resolve = FakeDns({"receiver.local": ["10.0.0.7"]})
    target = vet_target("http://receiver.local:9000/hook", True, resolve=resolve)
    assert [str(a) for a in target.addresses] == ["10.0.0.7"]
    with pytest.raises(UnsafeWebhookTarget):
        vet_target("http://receiver.local:9000/hook", False, resolve=resolve)


def test_an_ip_literal_target_is_its_own_address() -> None:
    target = vet_target("http://[2606:4700:4700::1111]/", False, resolve=never_resolve)
    assert [str(a) for a in target.addresses] == ["2606:4700:4700::1111"]

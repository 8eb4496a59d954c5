"""Outbound requests to user-given URLs: only to public addresses (no SSRF into our network)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from layerminder.errors import AddressNotAllowed, InvalidRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class HostNotFound(InvalidRequest):
    """A URL whose host name does not resolve (a typo, or a host that no longer exists)."""


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    return address.is_global and not address.is_multicast


def check_url_shape(url: str) -> str:
    """The URL's host, when the URL is an absolute http(s) URL without credentials."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidRequest("the URL must be an absolute http:// or https:// URL")
    if parts.username or parts.password:
        raise InvalidRequest("the URL must not carry a user name or password")
    return parts.hostname


async def resolve(host: str, port: int) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise HostNotFound(f"the host {host} cannot be resolved ({exc})") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


async def _allowed_addresses(url: str, *, allow_private: bool) -> tuple[str, list[IPAddress]]:
    host = check_url_shape(url)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = await resolve(host, port)
    refused = [str(a) for a in addresses if not is_public(a)]
    if refused and not allow_private:
        raise AddressNotAllowed(
            f"{host} is a private, loopback or link-local address ({', '.join(refused)}): "
            "webhooks go to public addresses only"
        )
    return host, addresses


async def check_public_url(url: str, *, allow_private: bool) -> None:
    """Refuse a URL whose host resolves to any non-public address (every address it has:
    one private answer is enough for a request to land inside)."""
    await _allowed_addresses(url, allow_private=allow_private)


@dataclass(frozen=True)
class PinnedRequest:
    """Where to send a request so it reaches the address that was checked, not whatever a
    second DNS answer says (DNS rebinding): the URL names the IP, the Host header and the TLS
    server name (httpx's `sni_hostname` extension, which certificate checks also use) keep the
    original host."""

    url: str
    headers: dict[str, str]
    extensions: dict[str, str]


async def pinned_request(url: str, *, allow_private: bool) -> PinnedRequest:
    host, addresses = await _allowed_addresses(url, allow_private=allow_private)
    parts = urlsplit(url)
    # IPv4 first: a host without an IPv6 route would otherwise fail on an AAAA answer.
    address = sorted(addresses, key=lambda a: a.version)[0]
    literal = f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else str(address)
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    host_header = parts.netloc.rsplit("@", 1)[-1]
    extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
    return PinnedRequest(
        urlunsplit(parts._replace(netloc=netloc)), {"Host": host_header}, extensions
    )

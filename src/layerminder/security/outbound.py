"""Outbound requests to user-given URLs: only to public addresses (no SSRF into our network)."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from layerminder.errors import AddressNotAllowed, InvalidRequest

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


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
        raise InvalidRequest(f"the host {host} cannot be resolved ({exc})") from None
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


async def check_public_url(url: str, *, allow_private: bool) -> None:
    """Refuse a URL whose host resolves to any non-public address (every address it has:
    one private answer is enough for a request to land inside)."""
    host = check_url_shape(url)
    if allow_private:
        return
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    refused = [str(a) for a in await resolve(host, port) if not is_public(a)]
    if refused:
        raise AddressNotAllowed(
            f"{host} is a private, loopback or link-local address ({', '.join(refused)}): "
            "webhooks go to public addresses only"
        )

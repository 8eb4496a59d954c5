"""The client's address: the TCP peer, or what trusted proxies say it was (and nothing else)."""

from __future__ import annotations

from ipaddress import IPv4Network, IPv6Network, ip_address

from starlette.requests import HTTPConnection


def _trusted(address: str, networks: list[IPv4Network | IPv6Network]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in networks)


def client_address(
    connection: HTTPConnection, trusted_proxies: list[IPv4Network | IPv6Network]
) -> str:
    """Who sent this request, for rate limits.

    X-Forwarded-For is anyone's to write, so it counts only when the peer is a trusted proxy;
    then it is read from the right (each trusted proxy appends the address it saw), and the
    first hop not in the trusted list is the client. A client cannot hide behind a value it
    put on the left.
    """
    peer = connection.client.host if connection.client else "unknown"
    if not trusted_proxies or not _trusted(peer, trusted_proxies):
        return peer
    hops = [
        hop.strip()
        for header in connection.headers.getlist("x-forwarded-for")
        for hop in header.split(",")
        if hop.strip()
    ]
    for hop in reversed(hops):
        if not _trusted(hop, trusted_proxies):
            return hop
    return hops[0] if hops else peer

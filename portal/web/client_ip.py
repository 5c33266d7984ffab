"""The client's address: from X-Forwarded-For only when the direct peer is a trusted proxy."""

from __future__ import annotations

from litestar.connection import ASGIConnection

from portal.settings import get_settings


def client_ip(connection: ASGIConnection) -> str:
    peer = connection.client.host if connection.client else ""
    trusted = get_settings().trusted_proxies
    if trusted and peer in trusted:
        forwarded = connection.headers.get("x-forwarded-for", "")
        # Walk from the right: the last address not belonging to our proxies is the client.
        for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
            if hop not in trusted:
                return hop[:45]
    return peer[:45]

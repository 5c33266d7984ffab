"""Outbound links built from our own data: maps and WhatsApp sharing.

No map script or embed: a link opens the phone's map app (``geo:``) or OpenStreetMap's
search, so pages stay small and nothing is loaded from another host.
"""

from __future__ import annotations

from urllib.parse import quote, quote_plus, urljoin


def map_query(name: str, address: str | None, area: str) -> str:
    """What to search for: the address when we have one, else the place name, always with
    the area so "Kantor Kecamatan Gondang" finds the one in Mojokerto."""
    base = address or name
    return base if area.lower() in base.lower() else f"{base}, {area}"


def osm_search_url(query: str) -> str:
    return "https://www.openstreetmap.org/search?query=" + quote_plus(query)


def geo_uri(query: str) -> str:
    """RFC 5870 with the Android query extension: opens the installed map app."""
    return "geo:0,0?q=" + quote(query, safe="")


def absolute_url(base_url: str, path: str) -> str:
    return urljoin(base_url.rstrip("/") + "/", path.lstrip("/"))


def whatsapp_share_url(text: str) -> str:
    """A link that opens WhatsApp (app or web) with `text` ready to send to anyone."""
    return "https://wa.me/?text=" + quote(text, safe="")

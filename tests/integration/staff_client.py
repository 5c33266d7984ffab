"""Request helpers for staff-area tests: CSRF-carrying posts and parsed pages."""

from __future__ import annotations

from bs4 import BeautifulSoup


async def csrf(client) -> str:
    token = client.cookies.get("csrftoken")
    if not token:
        await client.get("/petugas")
        token = client.cookies.get("csrftoken")
    return token


async def post(client, path: str, data: dict | list | None = None, **kwargs):
    token = await csrf(client)
    kwargs.setdefault("follow_redirects", False)
    return await client.post(
        path, data=data or {}, headers={"x-csrftoken": token, **kwargs.pop("headers", {})}, **kwargs
    )


def page(response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split()) if node is not None else ""

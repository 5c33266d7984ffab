"""CSRF protection: Litestar's double-submit middleware, hardened against malformed tokens.

Litestar compares the token's HMAC with ``hmac.compare_digest`` on ``str``, which raises
``TypeError`` for non-ASCII text: a scanner posting "é…" as a token got a 500. Here a token
that cannot be one of ours (not ASCII, or longer than any we issue) is simply not a valid
token, so every malformed token gets the normal 403 page.

The middleware is installed by ``create_app`` (last in the list, so it runs next to the
handler as Litestar's own would); ``cookie_name`` is read by the render helper too.
"""

from __future__ import annotations

from litestar.config.csrf import CSRFConfig
from litestar.middleware import DefineMiddleware
from litestar.middleware.csrf import CSRF_SECRET_LENGTH, CSRFMiddleware

from portal.settings import Settings, get_settings

# Our tokens are a hex secret and a hex SHA-256 HMAC; anything much longer is not ours.
MAX_TOKEN_LENGTH = 4 * CSRF_SECRET_LENGTH + 64


def cookie_name(settings: Settings | None = None) -> str:
    # The __Host- prefix pins the cookie to this host, path / and HTTPS.
    return "__Host-csrftoken" if (settings or get_settings()).production else "csrftoken"


def csrf_config(settings: Settings) -> CSRFConfig:
    return CSRFConfig(
        secret=settings.secret_key,
        cookie_name=cookie_name(settings),
        cookie_secure=settings.production,
        cookie_httponly=True,
        header_name="x-csrftoken",
        exclude_from_csrf_key="skip_csrf",
    )


class PortalCSRFMiddleware(CSRFMiddleware):
    def _decode_csrf_token(self, token: str) -> str | None:
        if not token.isascii() or len(token) > MAX_TOKEN_LENGTH:
            return None
        return super()._decode_csrf_token(token)


def csrf_middleware(settings: Settings) -> DefineMiddleware:
    return DefineMiddleware(PortalCSRFMiddleware, config=csrf_config(settings))

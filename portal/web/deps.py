"""The signed-in user, who acts and what they may see, as Litestar dependencies.

Registered once on the app (``DEPENDENCIES``); a handler asks for them by parameter name:
``user: User``, ``actor: Actor``, ``access: Scope`` (not ``scope``: Litestar reserves
that name for the ASGI scope). Routes behind a role guard are the only
ones that ask, so a missing user here is a programming error answered like any other
unauthenticated request (401 → the sign-in page).
"""

from __future__ import annotations

from litestar import Request
from litestar.di import NamedDependency, Provide
from litestar.exceptions import NotAuthorizedException

from portal.domain.actor import Actor
from portal.domain.scope import Scope, scope_for
from portal.tables.accounts import User
from portal.web.client_ip import client_ip

# What a handler writes to receive them: ``access: Access``. Litestar 3 injects only
# parameters marked as dependencies, so the marks live here once.
CurrentUser = NamedDependency[User]
CurrentActor = NamedDependency[Actor]
Access = NamedDependency[Scope]


def provide_user(request: Request) -> User:
    user = request.scope.get("user")
    if user is None:
        raise NotAuthorizedException()
    return user


def provide_actor(request: Request, user: CurrentUser) -> Actor:
    return Actor.of(user, client_ip(request))


async def provide_scope(request: Request, user: CurrentUser) -> Scope:
    """``?kantor=<slug>`` is an admin's choice of office for listings (ignored for others);
    a POST carries it as a form field of the same name when it matters."""
    return await scope_for(user, kantor=request.query_params.get("kantor"), ip=client_ip(request))


DEPENDENCIES = {
    "user": Provide(provide_user, sync_to_thread=False),
    "actor": Provide(provide_actor, sync_to_thread=False),
    "access": Provide(provide_scope),
}

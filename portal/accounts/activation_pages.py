"""/aktivasi/<token>: a coordinator (or staff member) opens the one-time link that staff
handed over, usually on a phone, and sets a password."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import FromPath

from portal.accounts.pages import PUBLIC_FORM, form_secret, page
from portal.accounts.passwords import new_password_problems
from portal.accounts.signin import begin_second_factor, complete_login, needs_second_factor
from portal.audit import record
from portal.auth import totp
from portal.auth.activation import LinkState, find_link, use_link
from portal.auth.passwords import hash_password
from portal.auth.scope import fk_id
from portal.auth.sessions import bump_auth_version
from portal.tables.accounts import User

PROBLEMS = {
    "unknown": (404, "Tautan tidak dikenal"),
    "used": (410, "Tautan ini sudah dipakai"),
    "expired": (410, "Tautan ini sudah tidak berlaku"),
}


def _problem_page(request: Request, state: LinkState) -> Response:
    status, title = PROBLEMS[state.problem]
    return page(
        request,
        "accounts/activation_problem.html",
        {"title": title, "problem": state.problem},
        status=status,
    )


def _form_page(request: Request, state: LinkState, *, errors=None, status: int = 200):
    return page(
        request,
        "accounts/activation.html",
        {
            "account": state.user,
            "reset": state.token.purpose == "reset",
            "errors": errors or {},
            "action": request.url.path,
        },
        status=status,
    )


@get("/aktivasi/{token:str}", opt=PUBLIC_FORM)
async def activation_form(request: Request, token: FromPath[str]) -> Response:
    state = await find_link(token)
    if state.problem:
        return _problem_page(request, state)
    return _form_page(request, state)


@post("/aktivasi/{token:str}", opt=PUBLIC_FORM)
async def activation_submit(request: Request, token: FromPath[str]) -> Response:
    state = await find_link(token)
    if state.problem:
        return _problem_page(request, state)
    user = state.user
    form = await request.form()
    password = form_secret(form, "password")
    confirm = form_secret(form, "password_confirm")
    errors = await new_password_problems(user, password, confirm)
    if errors:
        return _form_page(request, state, errors=errors, status=400)
    if not await use_link(state.token):
        # A double submit: the first request already set the password.
        return _problem_page(request, LinkState(state.token, user, "used"))
    await User.update({User.password_hash: await hash_password(password)}).where(User.id == user.id)
    reset = state.token.purpose == "reset"
    if reset:
        # A reset is issued because the person lost access: the old authenticator may be
        # lost too, so it is set up again (staff/admin at once, below).
        await totp.disable_two_factor(user.id)
    await bump_auth_version(user.id)  # every older session of the account ends
    await record(
        "account.password_reset" if reset else "account.activated",
        connection=request,
        actor=user,
        office_id=fk_id(user.office),
        object_type="user",
        object_id=user.id,
    )
    fresh = await User.objects().where(User.id == user.id).first()
    if needs_second_factor(fresh):
        return await begin_second_factor(fresh, "")
    return await complete_login(request, fresh, "", method="activation_link")


ACTIVATION_ROUTES = [activation_form, activation_submit]

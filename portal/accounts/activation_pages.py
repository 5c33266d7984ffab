"""/aktivasi/<token>: a coordinator (or staff member) opens the one-time link that staff
handed over, usually on a phone, and sets a password."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath

from portal.accounts import activation
from portal.accounts.signin_pages import PUBLIC_FORM, after_password
from portal.auth.activation import LinkState
from portal.domain.errors import Conflict, Invalid
from portal.web.client_ip import client_ip
from portal.web.forms import Secret, form_of
from portal.web.render import render
from portal.web.urls import url


@dataclass
class NewPasswordForm:
    password: Secret = ""
    password_confirm: Secret = ""


def _problem(request: Request, problem: str) -> Response:
    status, title = activation.PROBLEMS[problem]
    context = {"title": title, "problem": problem}
    return render(request, "accounts/activation_problem.html", context, status_code=status)


def _form(request: Request, state: LinkState, token: str, errors: dict | None = None) -> Response:
    context = {
        "account": state.user,
        "reset": state.token is not None and state.token.purpose == "reset",
        "errors": errors or {},
        "action": url(request, "accounts:activation-submit", token=token),
    }
    return render(request, "accounts/activation.html", context, status_code=400 if errors else 200)


@get("/aktivasi/{token:str}", opt=PUBLIC_FORM, name="accounts:activation")
async def activation_page(request: Request, token: FromPath[str]) -> Response:
    state = await activation.open_link(token)
    return _problem(request, state.problem) if state.problem else _form(request, state, token)


@post(
    "/aktivasi/{token:str}",
    opt=PUBLIC_FORM,
    name="accounts:activation-submit",
    dependencies={"form": form_of(NewPasswordForm)},
)
async def activation_submit(
    request: Request, token: FromPath[str], form: NamedDependency[NewPasswordForm]
) -> Response:
    state = await activation.open_link(token)
    if state.problem:
        return _problem(request, state.problem)
    try:
        user = await activation.set_password(
            state, form.password, form.password_confirm, client_ip(request)
        )
    except Invalid as exc:
        return _form(request, state, token, exc.errors)
    except Conflict:
        return _problem(request, "used")  # a double submit: the first set the password
    return await after_password(request, user, "", method="activation_link")


HANDLERS = [activation_page, activation_submit]

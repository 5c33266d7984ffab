"""The pages of the account life cycle (``portal.accounts.manage``), one set of handlers
for both kinds of managed accounts: ``handlers(kind)`` names them for one kind, and its
router (``portal.accounts.routes``) gives the path, the guard and the ``kind`` dependency:
/petugas/koordinator (staff manage coordinators), /admin/petugas (admin manages staff)."""

from __future__ import annotations

from dataclasses import dataclass

from litestar import Request, Response, get, post
from litestar.di import NamedDependency
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath

from portal.accounts import manage
from portal.accounts.account_fields import AccountInput
from portal.accounts.manage import AccountFilters, Issued, Kind
from portal.accounts.web import Again, given, refusal
from portal.domain.errors import Conflict, DomainError, Invalid
from portal.domain.scope import Scope
from portal.web import flash
from portal.web.deps import Access
from portal.web.forms import Secret, form_of, query_of, refill
from portal.web.render import render
from portal.web.urls import url

flash.messages(
    {
        "nonaktif": flash.ok("Akun sudah dinonaktifkan. Semua sesi akun ini sudah diakhiri."),
        "aktif": flash.ok("Akun sudah diaktifkan kembali."),
        "wilayah": flash.ok("Wilayah sudah diubah. Koordinator perlu masuk lagi."),
        "peran": flash.ok(
            "Peran dan wilayah sudah diubah. Semua sesi akun ini sudah diakhiri; pemiliknya "
            "perlu masuk lagi."
        ),
        "peran-2fa": flash.ok(
            "Peran sudah diubah. Semua sesi akun ini sudah diakhiri. Saat masuk lagi, "
            "pemiliknya wajib memasang aplikasi autentikator (verifikasi dua langkah) sebelum "
            "bisa memakai area petugas."
        ),
        "tetap": flash.ok(
            "Tidak ada yang diubah: peran, kantor dan wilayah sama seperti sebelumnya."
        ),
    }
)


async def list_page(
    request: Request,
    access: Access,
    kind: NamedDependency[Kind],
    filters: NamedDependency[AccountFilters],
) -> Response:
    listing = await manage.list_accounts(access, kind, filters)
    context = {"kind": kind, "listing": listing, "filters": filters, "access": access}
    context.update(await manage.form_choices(access, kind))
    return render(request, "accounts/manage.html", context, block="results")


async def new_page(request: Request, access: Access, kind: NamedDependency[Kind]) -> Response:
    return await _new(request, access, kind)


async def _new(request: Request, access: Scope, kind: Kind, again: Again | None = None) -> Response:
    shown = refusal(again)
    context = {"kind": kind, "values": (again and again.values) or {}, **shown.context}
    context.update(await manage.form_choices(access, kind))
    return render(request, "accounts/manage_new.html", context, status_code=shown.status)


async def create(
    request: Request,
    access: Access,
    kind: NamedDependency[Kind],
    form: NamedDependency[AccountInput],
) -> Response:
    try:
        issued = await manage.create_account(access, kind, form)
    except Invalid as exc:
        return await _new(request, access, kind, Again(exc, refill(form)))
    return _link(request, kind, issued)


def _link(request: Request, kind: Kind, issued: Issued) -> Response:
    return render(request, "accounts/manage_link.html", {"kind": kind, "issued": issued})


async def detail_view(
    request: Request, access: Scope, kind: Kind, user_id: int, exc: DomainError | None = None
) -> Response:
    """An account's page, also as the answer to its forms that went wrong."""
    shown = refusal(exc)
    account = await manage.account_detail(access, kind, user_id)
    context = {"kind": kind, "account": account, **shown.context}
    return render(request, "accounts/manage_detail.html", context, status_code=shown.status)


async def detail_page(
    request: Request, access: Access, kind: NamedDependency[Kind], user_id: FromPath[int]
) -> Response:
    return await detail_view(request, access, kind, user_id)


@dataclass
class ConfirmForm:
    """The acting admin's password, needed when the account is an admin's."""

    current_password_tautan: Secret = ""
    current_password_nonaktifkan: Secret = ""
    current_password_aktifkan: Secret = ""

    def password(self, action: str) -> str:
        """What was typed in the field of ``action`` (link, deactivate, reactivate)."""
        return str(getattr(self, manage.CONFIRM_FIELDS[action]))


async def reissue(
    request: Request,
    access: Access,
    kind: NamedDependency[Kind],
    user_id: FromPath[int],
    form: NamedDependency[ConfirmForm],
) -> Response:
    try:
        issued = await manage.reissue_link(access, kind, user_id, form.password("link"))
    except Invalid as exc:
        return await detail_view(request, access, kind, user_id, exc)
    return _link(request, kind, issued)


async def set_active(
    request: Request,
    access: Access,
    kind: NamedDependency[Kind],
    user_id: FromPath[int],
    form: NamedDependency[ConfirmForm],
    active: NamedDependency[bool],
) -> Response:
    """Deactivate or reactivate (``active`` comes with the route: see ``handlers``)."""
    password = form.password("reactivate" if active else "deactivate")
    try:
        await manage.set_active(access, kind, user_id, password, active=active)
    except (Invalid, Conflict) as exc:
        return await detail_view(request, access, kind, user_id, exc)
    target = url(request, kind.route("detail"), user_id=user_id)
    return flash.redirect(target, "aktif" if active else "nonaktif")


def handlers(kind: Kind) -> list[HTTPRouteHandler]:
    """The handlers above, named for ``kind`` (``accounts:<key>-<page>``)."""
    name = kind.route
    confirm = {"form": form_of(ConfirmForm)}
    off, on = {**confirm, "active": given(False)}, {**confirm, "active": given(True)}
    return [
        get("/", name=name("list"), dependencies={"filters": query_of(AccountFilters)})(list_page),
        get("/baru", name=name("new"))(new_page),
        post("/baru", name=name("create"), dependencies={"form": form_of(AccountInput)})(create),
        get("/{user_id:int}", name=name("detail"))(detail_page),
        post("/{user_id:int}/tautan", name=name("link"), dependencies=confirm)(reissue),
        post("/{user_id:int}/nonaktifkan", name=name("deactivate"), dependencies=off)(set_active),
        post("/{user_id:int}/aktifkan", name=name("reactivate"), dependencies=on)(set_active),
    ]

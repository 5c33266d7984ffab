"""Submitting a list to staff, withdrawing it, reopening it as a draft, deleting a draft.
A state that does not allow it shows the list again with the reason (409)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from litestar import Request, Response, post
from litestar.di import NamedDependency

from portal.coordinator import submit as lists
from portal.coordinator.web import OwnedList, changed
from portal.domain import form_tokens
from portal.web.deps import Access
from portal.web.forms import Limit, form_of
from portal.web.urls import url


@dataclass
class SubmitForm:
    submit_token: Annotated[str, Limit(form_tokens.MAX_LENGTH)] = ""


SUBMIT = {"form": form_of(SubmitForm)}


@post("/daftar/{list_id:str}/kirim", name="coordinator:submit", dependencies=SUBMIT)
async def submit(
    request: Request, access: Access, own: OwnedList, form: NamedDependency[SubmitForm]
) -> Response:
    change = lists.submit_list(access, own, token=form.submit_token)
    return await changed(request, own, change, "terkirim")


@post("/daftar/{list_id:str}/tarik", name="coordinator:withdraw")
async def withdraw(request: Request, access: Access, own: OwnedList) -> Response:
    return await changed(request, own, lists.withdraw_list(access, own), "ditarik")


@post("/daftar/{list_id:str}/buka", name="coordinator:reopen")
async def reopen(request: Request, access: Access, own: OwnedList) -> Response:
    return await changed(request, own, lists.reopen_list(access, own), "dibuka")


@post("/daftar/{list_id:str}/hapus", name="coordinator:delete-list")
async def delete_list(request: Request, access: Access, own: OwnedList) -> Response:
    home = url(request, "coordinator:home")
    return await changed(request, own, lists.delete_list(access, own), "draf-dihapus", to=home)

"""Accounts and contacts: scoped CRUD."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response, status
from sqlalchemy import select

from api.deps import ScopeDep, SessionDep
from api.pagination import Page, PageParams, page_params, paginate
from api.schemas import AccountIn, AccountOut, AccountPatch, ContactIn, ContactOut, ContactPatch
from crm import service
from crm.models import Account, Contact

router = APIRouter(prefix="/api/v1", tags=["accounts"])
PageDep = Annotated[PageParams, Depends(page_params)]


@router.get("/accounts", response_model=Page[AccountOut])
def list_accounts(
    session: SessionDep, scope: ScopeDep, page: PageDep,
    q: Annotated[str | None, Query(max_length=100, description="name contains")] = None,
    industry: str | None = None, region_id: int | None = None, owner_id: int | None = None,
) -> Page[AccountOut]:
    stmt = scope.apply(select(Account), Account)
    if q:
        stmt = stmt.where(Account.name.contains(q))
    if industry:
        stmt = stmt.where(Account.industry == industry)
    if region_id is not None:
        stmt = stmt.where(Account.region_id == region_id)
    if owner_id is not None:
        stmt = stmt.where(Account.owner_id == owner_id)
    rows, total, nxt = paginate(session, stmt, page, [Account.id])
    return Page(items=[AccountOut.model_validate(r) for r in rows], total=total, next=nxt)


@router.post("/accounts", response_model=AccountOut, status_code=status.HTTP_201_CREATED)
def create_account(body: AccountIn, session: SessionDep, scope: ScopeDep) -> Account:
    return service.create_account(session, scope, body.model_dump())


@router.get("/accounts/{account_id}", response_model=AccountOut)
def get_account(account_id: int, session: SessionDep, scope: ScopeDep) -> Account:
    return scope.get(session, Account, account_id)


@router.patch("/accounts/{account_id}", response_model=AccountOut)
def patch_account(account_id: int, body: AccountPatch, session: SessionDep, scope: ScopeDep) -> Account:
    return service.update_account(session, scope, account_id, body.model_dump(exclude_unset=True))


@router.delete("/accounts/{account_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_account(account_id: int, session: SessionDep, scope: ScopeDep) -> Response:
    session.delete(scope.get(session, Account, account_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/contacts", response_model=Page[ContactOut])
def list_contacts(
    session: SessionDep, scope: ScopeDep, page: PageDep, account_id: int | None = None,
    q: Annotated[str | None, Query(max_length=100)] = None,
) -> Page[ContactOut]:
    stmt = scope.apply(select(Contact), Contact)
    if account_id is not None:
        stmt = stmt.where(Contact.account_id == account_id)
    if q:
        stmt = stmt.where(Contact.name.contains(q))
    rows, total, nxt = paginate(session, stmt, page, [Contact.id])
    return Page(items=[ContactOut.model_validate(r) for r in rows], total=total, next=nxt)


@router.post("/contacts", response_model=ContactOut, status_code=status.HTTP_201_CREATED)
def create_contact(body: ContactIn, session: SessionDep, scope: ScopeDep) -> Contact:
    return service.create_contact(session, scope, body.model_dump())


@router.get("/contacts/{contact_id}", response_model=ContactOut)
def get_contact(contact_id: int, session: SessionDep, scope: ScopeDep) -> Contact:
    return scope.get(session, Contact, contact_id)


@router.patch("/contacts/{contact_id}", response_model=ContactOut)
def patch_contact(contact_id: int, body: ContactPatch, session: SessionDep, scope: ScopeDep) -> Contact:
    contact = scope.get(session, Contact, contact_id)
    for k, v in body.model_dump(exclude_unset=True).items():
        setattr(contact, k, v)
    session.flush()
    return contact


@router.delete("/contacts/{contact_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_contact(contact_id: int, session: SessionDep, scope: ScopeDep) -> Response:
    session.delete(scope.get(session, Contact, contact_id))
    return Response(status_code=status.HTTP_204_NO_CONTENT)

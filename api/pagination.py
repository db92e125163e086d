"""Offset pagination with the list envelope every list endpoint returns: {items, total, next}."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    next: int | None = None  # the offset of the next page, or null on the last page


class PageParams(BaseModel):
    limit: int = 50
    offset: int = 0


def page_params(
    limit: Annotated[int, Query(ge=1, le=500, description="page size")] = 50,
    offset: Annotated[int, Query(ge=0, description="items to skip")] = 0,
) -> PageParams:
    return PageParams(limit=limit, offset=offset)


def paginate(session: Session, stmt: Select[Any], params: PageParams, order_by: Any) -> tuple[list[Any], int, int | None]:
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = list(session.scalars(stmt.order_by(*order_by).limit(params.limit).offset(params.offset)))
    nxt = params.offset + params.limit if params.offset + params.limit < total else None
    return rows, total, nxt

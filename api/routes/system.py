"""Liveness, readiness, the caller's own profile, and reference data (stages, regions, teams, products)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from sqlalchemy import select, text

from api.deps import CurrentUser, ScopeDep, SessionDep
from api.schemas import UserOut
from crm.models import OrgProfile, Product, Region, Stage, Team, User

router = APIRouter(tags=["system"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> dict[str, str]:
    try:
        with request.app.state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # the database is what readiness means here
        raise HTTPException(503, f"database unreachable: {type(exc).__name__}") from exc
    return {"status": "ready"}


@router.get("/api/v1/me", response_model=UserOut, tags=["users"])
def me(user: CurrentUser) -> User:
    return user


@router.get("/api/v1/users", response_model=list[UserOut], tags=["users"])
def users(session: SessionDep, scope: ScopeDep) -> list[User]:
    """The users the caller may see (themselves; their team; everyone for admins)."""
    return list(session.scalars(select(User).where(scope.user_filter()).order_by(User.id)))


@router.get("/api/v1/reference", tags=["system"])
def reference(session: SessionDep, _user: CurrentUser) -> dict[str, Any]:
    """Stages, regions, teams, products and our organization profile, for forms and parsers."""
    org = session.scalar(select(OrgProfile))
    return {
        "org": {"name": org.name, "aliases": org.aliases, "competitors": org.competitors} if org else None,
        "stages": [{"name": s.name, "order": s.order, "kind": s.kind}
                   for s in session.scalars(select(Stage).order_by(Stage.order))],
        "regions": [{"id": r.id, "name": r.name} for r in session.scalars(select(Region).order_by(Region.id))],
        "teams": [{"id": t.id, "name": t.name, "region_id": t.region_id, "manager_id": t.manager_id}
                  for t in session.scalars(select(Team).order_by(Team.id))],
        "products": [{"id": p.id, "name": p.name, "product_line": p.product_line, "list_price": p.list_price}
                     for p in session.scalars(select(Product).order_by(Product.id))],
    }

"""First-run data: the default catalogue, counters 1-4 serving everything, one admin."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from antrian.catalogue import DEFAULT_COUNTERS, DEFAULT_SERVICES, IUMK_CHECKLIST
from antrian.models import ChecklistItem, Counter, Service, Staff
from antrian.roles import format_roles, parse_roles


def seed_catalogue(session: Session) -> bool:
    """Adds the default services and counters when there are none. Returns True if it added."""
    if session.scalar(select(Service.id).limit(1)) is not None:
        return False
    services = [Service(sort_order=i, **spec) for i, spec in enumerate(DEFAULT_SERVICES)]
    session.add_all(services)
    for spec in DEFAULT_COUNTERS:
        session.add(Counter(services=list(services), **spec))
    session.flush()
    for service in services:
        if service.needs_checklist:
            session.add_all(
                ChecklistItem(service_id=service.id, sort_order=n, **item)
                for n, item in enumerate(IUMK_CHECKLIST)
            )
    session.flush()
    return True


def add_staff(
    session: Session,
    username: str,
    full_name: str,
    password: str,
    roles: str | Iterable[str],
    now: datetime,
) -> Staff:
    """A new account; `roles` as 'front_office,supervisor' or a list (ValueError if unknown)."""
    roles = format_roles(parse_roles(roles))
    if session.scalar(select(Staff).where(Staff.username == username)) is not None:
        raise ValueError(f"Nama pengguna '{username}' sudah dipakai.")
    staff = Staff(
        username=username,
        full_name=full_name,
        roles=roles,
        created_dt=now,
        password_hash=generate_password_hash(password),
    )
    session.add(staff)
    session.flush()
    return staff


def ensure_admin(session: Session, now: datetime) -> str | None:
    """Creates the first admin with a random password and returns it (shown once), or None."""
    if session.scalar(select(Staff.id).limit(1)) is not None:
        return None
    password = secrets.token_urlsafe(9)
    add_staff(session, "admin", "Administrator", password, "admin", now)
    return password

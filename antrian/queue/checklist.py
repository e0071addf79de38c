"""The requirement checklist a service's kiosk page asks about: data the admin edits per
service. What travels with a ticket is only yes/no per item's key (and the applicant type)."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from antrian.events import record_event
from antrian.models import ChecklistItem, Service
from antrian.operations.errors import Invalid, NotFound

_KEY = re.compile(r"^[a-z][a-z0-9_]{0,19}$")


def checklist_of(session: Session, service: Service) -> list[ChecklistItem]:
    return list(
        session.scalars(
            select(ChecklistItem)
            .where(ChecklistItem.service_id == service.id)
            .order_by(ChecklistItem.sort_order, ChecklistItem.id)
        )
    )


def missing_items(items: list[ChecklistItem], answers, applicant_type: str) -> list[ChecklistItem]:
    """What the applicant said they lack; a business-only item only for a business."""
    needed = [i for i in items if not i.business_only or applicant_type == "badan"]
    return [item for item in needed if answers.get(f"has_{item.key}") != "1"]


def answers_of(items: list[ChecklistItem], missing: list[ChecklistItem], applicant_type: str):
    """Yes/no per key: all a ticket keeps of the checklist."""
    return {"applicant_type": applicant_type, **{i.key: i not in missing for i in items}}


def save_item(session: Session, service_code: str, values: dict, actor: str, now: datetime,
              item_id: int | None = None) -> ChecklistItem:  # fmt: skip
    """Add (item_id None) or change an item. Raises Invalid with an Indonesian message."""
    service = session.scalar(select(Service).where(Service.code == service_code))
    if service is None:
        raise NotFound(f"Layanan '{service_code}' tidak dikenal.", code="unknown_service")
    key = (values.get("key") or "").strip().lower()
    label_id = (values.get("label_id") or "").strip()
    if not _KEY.match(key):
        raise Invalid("Kunci: huruf kecil, angka atau _, paling panjang 20 (misal: npwp).",
                      code="bad_key")  # fmt: skip
    if not label_id or len(label_id) > 160:
        raise Invalid("Tulis nama persyaratan dalam bahasa Indonesia (paling panjang 160 huruf).",
                      code="bad_label")  # fmt: skip
    item = session.get(ChecklistItem, item_id) if item_id else None
    if item_id and (item is None or item.service_id != service.id):
        raise NotFound("Persyaratan tidak ditemukan.", code="unknown_item")
    clash = session.scalar(
        select(ChecklistItem.id).where(
            ChecklistItem.service_id == service.id, ChecklistItem.key == key
        )
    )
    if clash is not None and clash != item_id:
        raise Invalid(f"Kunci '{key}' sudah dipakai layanan ini.", code="bad_key")
    if item is None:
        count = len(checklist_of(session, service))
        item = ChecklistItem(service_id=service.id, sort_order=count)
        session.add(item)
        service.needs_checklist = True
    item.key, item.label_id = key, label_id
    item.label_en = (values.get("label_en") or "").strip()[:160]
    item.missing_id = (values.get("missing_id") or "").strip()
    item.missing_en = (values.get("missing_en") or "").strip()
    item.business_only = bool(values.get("business_only"))
    session.flush()
    record_event(session, "checklist.changed", now, actor, service=service_code, key=key)
    return item


def remove_item(session: Session, item_id: int, actor: str, now: datetime) -> None:
    item = session.get(ChecklistItem, item_id)
    if item is None:
        raise NotFound("Persyaratan tidak ditemukan.", code="unknown_item")
    service = session.get(Service, item.service_id)
    session.delete(item)
    session.flush()
    if not checklist_of(session, service):
        service.needs_checklist = False  # nothing left to ask
    record_event(session, "checklist.changed", now, actor, service=service.code, key=item.key)

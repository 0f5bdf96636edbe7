"""Printing forms: check the permission, load the data, render the PDF, log the print.

The form modules (and reportlab with them) are imported only when something is printed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from app.db import Database
from app.errors import DomainError, ValidationError
from app.formatting import format_date, local_today, to_local, utcnow
from app.i18n import _
from app.models import Resident
from app.models.reception import DISPOSITION_POLICE, DISPOSITION_RETURNED
from app.queries.residents import room_names
from app.permissions import Permission, require
from app.services import (allowance, attendance, audit, centre, incidents, lost_property, missing,
                          residents, visitors)
from app.services.lost_property import ItemView, RegisterFilter
from app.unit_of_work import Actor, audit_entry


def _printed_by(actor: Actor) -> str:
    return actor.full_name or actor.username


def record_sheet_pdf(db: Database, actor: Actor, resident_id: uuid.UUID) -> bytes:
    """The resident's record sheet as PDF bytes; the print is written to the audit trail."""
    require(actor, Permission.PRINT_RECORD_SHEET)
    resident = residents.get_resident(db, actor, resident_id)
    centre_view = centre.get_centre(db)
    from app.forms.record_sheet import render_record_sheet

    pdf = render_record_sheet(centre_view, resident, printed_at=utcnow(),
                              printed_by=_printed_by(actor))
    audit.record_print(db, actor, "resident", resident_id, summary="record sheet")
    return pdf


def round_sheet_pdf(db: Database, actor: Actor, round_id: uuid.UUID) -> bytes:
    """The paper round sheet of one round, with the marks made so far, as PDF bytes.

    The paper fallback when the PC is going down: staff finish the round on paper and
    type the marks in afterwards with their real time. The print is audited.
    """
    require(actor, Permission.TAKE_ROUNDS)
    view = attendance.get_round(db, actor, round_id)
    centre_view = centre.get_centre(db)
    from app.forms.round_sheet import render_round_sheet

    pdf = render_round_sheet(centre_view, view, printed_at=utcnow(),
                             printed_by=_printed_by(actor))
    audit.record_print(db, actor, "attendance_round", round_id, summary="round sheet")
    return pdf


def round_sheet_pdf_for(db: Database, actor: Actor, day: date, slot: str, *,
                        now: datetime | None = None) -> bytes:
    """The round sheet of the ``slot`` round on ``day``, opening the round if nobody has yet.

    Opening it pre-marks residents on approved leave, exactly as the round screen does, so
    the sheet and the screen agree; the round then shows as started on the Today page.
    """
    require(actor, Permission.TAKE_ROUNDS)
    view = attendance.open_round(db, actor, day, slot, now=now)
    return round_sheet_pdf(db, actor, view.round_id)


def missing_report_pdf(db: Database, actor: Actor, case_id: uuid.UUID) -> bytes:
    """The missing-resident report of one case (for the police, the municipality, the
    Agency and the representative) as PDF bytes; the print is audited."""
    require(actor, Permission.HANDLE_MISSING)
    case = missing.get_case(db, actor, case_id)
    centre_view = centre.get_centre(db)
    from app.forms.missing_report import render_missing_report

    pdf = render_missing_report(centre_view, case, printed_at=utcnow(),
                                printed_by=_printed_by(actor))
    audit.record_print(db, actor, "missing_case", case_id, summary="missing-resident report")
    return pdf


# --- the reception desk: lost property and visitors ---------------------------------------------

#: The register for a period is printed whole, however many items it holds.
REGISTER_PRINT_LIMIT = 1_000_000


def _record_prints(db: Database, actor: Actor, entity: str, ids: Iterable[uuid.UUID | None],
                   summary: str, changes: dict[str, Any] | None = None) -> None:
    """One audit entry per record printed (one transaction), so each item's trail shows it."""
    with db.unit(actor) as session:
        for entity_id in ids:
            audit_entry(session, "print", entity, entity_id, changes=changes, summary=summary)


def _items(db: Database, actor: Actor, item_ids: Sequence[uuid.UUID]) -> list[ItemView]:
    ids = list(dict.fromkeys(item_ids))
    if not ids:
        raise ValidationError({"items": _("Choose at least one item.")})
    return [lost_property.get_item(db, actor, item_id) for item_id in ids]


def lost_property_register_pdf(db: Database, actor: Actor, *, found_from: date | None,
                               found_to: date | None) -> bytes:
    """The lost-property register of the items found in the period: the Agency's inspection
    copy (every field of domain-rules §5, corrections visible), landscape; audited."""
    require(actor, Permission.VIEW_LOST_PROPERTY)
    if found_from is not None and found_to is not None and found_from > found_to:
        raise ValidationError({"found_to": _("The period ends ({end}) before it starts "
                                             "({start}).").format(end=format_date(found_to),
                                                                  start=format_date(found_from))})
    items = lost_property.register(
        db, actor, RegisterFilter(view="all", found_from=found_from, found_to=found_to),
        limit=REGISTER_PRINT_LIMIT)
    centre_view = centre.get_centre(db)
    from app.forms.lost_property import render_register

    pdf = render_register(centre_view, items, found_from=found_from, found_to=found_to,
                          printed_at=utcnow(), printed_by=_printed_by(actor))
    period = {"found_from": found_from.isoformat() if found_from else None,
              "found_to": found_to.isoformat() if found_to else None, "items": len(items)}
    _record_prints(db, actor, "lost_item", [None], "lost-property register", period)
    return pdf


def lost_item_label_pdf(db: Database, actor: Actor, item_ids: Sequence[uuid.UUID]) -> bytes:
    """Labels for the bags or boxes of the items (four to an A4 sheet); audited per item."""
    require(actor, Permission.VIEW_LOST_PROPERTY)
    items = _items(db, actor, item_ids)
    centre_view = centre.get_centre(db)
    from app.forms.lost_property import render_labels

    pdf = render_labels(centre_view, items, printed_at=utcnow())
    _record_prints(db, actor, "lost_item", [item.id for item in items], "lost-property label")
    return pdf


def _common_record(items: list[ItemView], kind: str):
    """The date and staff member of ``kind`` if every item's record in force is of that
    kind (a receipt or list printed again later keeps its date), else ``None``."""
    records = [item.current for item in items]
    if not records or any(r is None or r.kind != kind for r in records):
        return None
    return max(records, key=lambda r: r.on)


def return_receipt_pdf(db: Database, actor: Actor, item_ids: Sequence[uuid.UUID],
                       recipient_name: str, recipient_person_id: str, *,
                       today: date | None = None) -> bytes:
    """The receipt the resident signs on getting items back; audited per item.

    Printed before the return is recorded, it is dated today and made out by the actor;
    printed again after, it keeps the date and staff member of the recorded return. Items
    already handed to the police, destroyed or given away are refused.
    """
    require(actor, Permission.MANAGE_LOST_PROPERTY)
    recipient_name = " ".join((recipient_name or "").split())
    recipient_person_id = (recipient_person_id or "").strip()
    problems = {}
    if not recipient_name:
        problems["recipient_name"] = _("Write the name of the resident who gets the items.")
    if not recipient_person_id:
        problems["recipient_person_id"] = _("Write the person ID of the resident who gets "
                                            "the items.")
    if problems:
        raise ValidationError(problems)
    items = _items(db, actor, item_ids)
    for item in items:
        if item.disposition not in (None, DISPOSITION_RETURNED):
            raise DomainError(_("Item {number} is recorded as “{kind}”: it cannot be handed "
                                "back.").format(number=item.number,
                                                kind=lost_property.disposition_label(
                                                    item.disposition)))
    returned = _common_record(items, DISPOSITION_RETURNED)
    on = returned.on if returned else (today or local_today())
    by = (returned.by if returned and returned.by else None) or _printed_by(actor)
    centre_view = centre.get_centre(db)
    from app.forms.lost_property import render_return_receipt

    pdf = render_return_receipt(centre_view, items, recipient_name=recipient_name,
                                recipient_person_id=recipient_person_id, handed_over_on=on,
                                handed_over_by=by, printed_at=utcnow(),
                                printed_by=_printed_by(actor))
    _record_prints(db, actor, "lost_item", [item.id for item in items], "return receipt",
                   {"recipient_person_id": recipient_person_id})
    return pdf


def police_handover_pdf(db: Database, actor: Actor, item_ids: Sequence[uuid.UUID], *,
                        today: date | None = None) -> bytes:
    """The list of items handed to the police, for the officer to sign; audited per item.

    Dated like the receipt: the recorded handover if every item has one, else today.
    Items returned, destroyed or given away are refused.
    """
    require(actor, Permission.MANAGE_LOST_PROPERTY)
    items = _items(db, actor, item_ids)
    for item in items:
        if item.disposition not in (None, DISPOSITION_POLICE):
            raise DomainError(_("Item {number} is recorded as “{kind}”: it cannot be handed "
                                "to the police.").format(number=item.number,
                                                         kind=lost_property.disposition_label(
                                                             item.disposition)))
    handed = _common_record(items, DISPOSITION_POLICE)
    on = handed.on if handed else (today or local_today())
    by = (handed.by if handed and handed.by else None) or _printed_by(actor)
    centre_view = centre.get_centre(db)
    from app.forms.lost_property import render_police_handover

    pdf = render_police_handover(centre_view, items, handed_over_on=on, handed_over_by=by,
                                 printed_at=utcnow(), printed_by=_printed_by(actor))
    _record_prints(db, actor, "lost_item", [item.id for item in items], "police handover list")
    return pdf


def visitors_in_building_pdf(db: Database, actor: Actor) -> bytes:
    """The list of visitors in the building now (for a fire alarm); audited with the count
    only, never the visitors' identity."""
    require(actor, Permission.LOG_VISITORS)
    visits = visitors.in_building(db, actor)
    centre_view = centre.get_centre(db)
    from app.forms.visitors import render_visitors_in_building

    pdf = render_visitors_in_building(centre_view, visits, printed_at=utcnow(),
                                      printed_by=_printed_by(actor))
    _record_prints(db, actor, "visit", [None], "visitors in the building",
                   {"count": len(visits)})
    return pdf


# --- incidents: the Agency's report forms ---------------------------------------------------------

#: The report forms Centre Desk prints from an incident (domain-rules §4).
INCIDENT_FORM_CODES = ("IN8", "IN9", "IN10", "IN12")


def _involved_residents(db: Database, detail: incidents.IncidentDetail) -> dict:
    """The details the forms print about each resident involved, by resident id: date of
    birth, name in own script, nationality, the room on the day it happened, the personal
    representative. Whoever may read the incident may see these on its forms."""
    from app.forms.incident_reports import InvolvedResident

    ids = {rid for rid, _name, _person_id, _role in detail.residents}
    ids |= {force.resident_id for force in detail.uses_of_force}
    if not ids:
        return {}
    day = to_local(detail.happened_at).date()
    with db.read() as session:
        rooms = room_names(session, ids, on=day)
        people = {}
        for resident in session.scalars(select(Resident).where(Resident.id.in_(ids))):
            people[resident.id] = InvolvedResident(
                id=resident.id, name=f"{resident.given_names} {resident.family_name}",
                person_id=resident.person_id, date_of_birth=resident.date_of_birth,
                name_in_own_script=resident.name_in_own_script,
                nationality=resident.nationality or None, age_disputed=resident.age_disputed,
                room=rooms.get(resident.id), representative=resident.representative_name)
        return people


def incident_form_pdf(db: Database, actor: Actor, incident_id: uuid.UUID, code: str) -> bytes:
    """Form ``code`` (IN8, IN9, IN10 or IN12) of an incident as PDF bytes, for preview,
    printing or e-mailing to the Agency; the print is audited with the version printed.

    Only for those who may read the incident (``incidents.get_incident`` refuses the
    others), and only a form on the incident's reports checklist: add the report to the
    incident first if the rule did not ask for it.
    """
    require(actor, Permission.LOG_INCIDENTS)
    if code not in INCIDENT_FORM_CODES:
        raise DomainError(_("{code} is not a report form Centre Desk prints; the forms are "
                            "{forms}.").format(code=code, forms=", ".join(INCIDENT_FORM_CODES)))
    detail = incidents.get_incident(db, actor, incident_id)
    on_checklist = [r.code for r in detail.reports if r.code in INCIDENT_FORM_CODES]
    if code not in on_checklist:
        if on_checklist:
            raise DomainError(_("Incident {number} does not call for form {code}; its forms "
                                "are {forms}. Add {code} to the incident's reports first if "
                                "it is needed.").format(number=detail.number, code=code,
                                                        forms=", ".join(on_checklist)))
        raise DomainError(_("Incident {number} does not call for form {code}; it needs no "
                            "report form. Add {code} to the incident's reports first if it "
                            "is needed.").format(number=detail.number, code=code))
    people = _involved_residents(db, detail)
    centre_view = centre.get_centre(db)
    from app.forms.incident_reports import render_incident_form

    decisions = allowance.decisions_for_incident(db, actor, incident_id)
    pdf = render_incident_form(code, centre_view, detail, people, printed_at=utcnow(),
                               printed_by=_printed_by(actor), decisions=decisions)
    _record_prints(db, actor, "incident", [detail.id], f"{code} form",
                   {"code": code, "version": detail.version})
    return pdf


# --- transfer to integration: the handover form ---------------------------------------------------

def handover_form_pdf(db: Database, actor: Actor, resident_id: uuid.UUID) -> bytes:
    """The handover form for the integration municipality of the resident's integration case
    (the open one, else the latest) as PDF bytes; the print is audited. Refused when no
    residence permit is recorded for the resident."""
    require(actor, Permission.PRINT_RECORD_SHEET)
    from app.services import integration

    case = integration.integration_case(db, actor, resident_id)
    resident = residents.get_resident(db, actor, resident_id)
    if case is None:
        raise DomainError(_("No residence permit is recorded for {name}: record the permit "
                            "first.").format(name=resident.display_name))
    centre_view = centre.get_centre(db)
    from app.forms.handover import render_handover_form

    pdf = render_handover_form(centre_view, resident, case, printed_at=utcnow(),
                               printed_by=_printed_by(actor))
    audit.record_print(db, actor, "integration_case", case.id, summary="handover form")
    return pdf


# --- development plans and the social report (issue 4) -------------------------------------------

def development_plan_pdf(db: Database, actor: Actor, resident_id: uuid.UUID) -> bytes:
    """The resident's current development plan (the draft, or the latest signed-off version)
    as PDF bytes, for those who may read it (``plans.current_plan`` refuses the others and
    audits the read); the print is audited with the version."""
    from app.services import plans

    plan = plans.current_plan(db, actor, resident_id)
    if plan is None:
        raise DomainError(_("There is no development plan to print yet: start one first."))
    centre_view = centre.get_centre(db)
    from app.forms.development_plan import render_development_plan

    pdf = render_development_plan(centre_view, plan, printed_at=utcnow(),
                                  printed_by=_printed_by(actor))
    _record_prints(db, actor, "development_plan", [plan.id], "development plan",
                   {"resident_id": str(resident_id), "version": plan.version})
    return pdf


def social_report_pdf(db: Database, actor: Actor, resident_id: uuid.UUID) -> bytes:
    """The resident's saved social report as PDF bytes (audited read and print)."""
    from app.services import plans

    report = plans.social_report(db, actor, resident_id)
    if report is None:
        raise DomainError(_("There is no social report to print yet: write and save it "
                            "first."))
    centre_view = centre.get_centre(db)
    from app.forms.social_report import render_social_report

    pdf = render_social_report(centre_view, report, printed_at=utcnow(),
                               printed_by=_printed_by(actor))
    _record_prints(db, actor, "social_report", [report.id], "social report",
                   {"resident_id": str(resident_id)})
    return pdf


# --- a contact person's one-page overview of a resident (issue 4 item 7) ------------------------

#: The newest notes the overview may show (the form shows fewer if the page is full).
OVERVIEW_NOTES = 5


def resident_overview_pdf(db: Database, actor: Actor, resident_id: uuid.UUID) -> bytes:
    """One A4 page about a resident for the contact person: who they are, room, arrival,
    contact persons, representative, the current plan's goals (status, next review), the
    latest observations, an open missing case and incidents with reports waiting.

    Only for those who may read the resident's notes and plan (``observations._may_read``:
    the contact persons, the social coordinator, the centre leader); the others get a
    ``PermissionDenied``. The notes read and the plan read are audited as when they are
    opened on screen, and the print too."""
    from sqlalchemy import func

    from app.models import (Incident, IncidentReport, IncidentResident, MissingCase,
                            Observation)
    from app.rules.residents import age_on
    from app.services import observations, plans

    require(actor, Permission.VIEW_RESIDENTS)
    with db.unit(actor) as session:
        resident = observations._resident(session, resident_id)
        if not observations._may_read(session, actor, resident.id):
            raise observations._refusal(observations._name(resident))
        live = (Observation.resident_id == resident.id, Observation.deleted_at.is_(None))
        total = session.scalar(select(func.count()).select_from(Observation).where(*live)) or 0
        latest = list(session.scalars(select(Observation).where(*live).order_by(
            Observation.written_at.desc(), Observation.id).limit(OVERVIEW_NOTES)))
        observations._audit_read(session, resident, "resident overview", notes=len(latest))
        views = observations._views(session, latest, [True] * len(latest))
        missing_since = session.scalar(select(MissingCase.missing_since).where(
            MissingCase.resident_id == resident.id, MissingCase.closed_at.is_(None),
            MissingCase.deleted_at.is_(None)))
        waiting = (select(IncidentReport.incident_id)
                   .where(IncidentReport.done_at.is_(None), IncidentReport.deleted_at.is_(None)))
        open_incidents = list(session.execute(
            select(Incident.number, Incident.happened_at, Incident.kinds)
            .join(IncidentResident, IncidentResident.incident_id == Incident.id)
            .where(IncidentResident.resident_id == resident.id,
                   IncidentResident.deleted_at.is_(None), Incident.voided_at.is_(None),
                   Incident.deleted_at.is_(None), Incident.id.in_(waiting))
            .distinct().order_by(Incident.happened_at.desc())))
    plan = plans.current_plan(db, actor, resident_id)
    detail = residents.get_resident(db, actor, resident_id)
    centre_view = centre.get_centre(db)
    from app.forms.resident_overview import (OverviewIncident, OverviewNote, ResidentOverview,
                                             render_resident_overview)

    today = local_today()
    data = detail.data
    overview = ResidentOverview(
        id=detail.id, name=detail.display_name, name_in_own_script=data.name_in_own_script,
        person_id=data.person_id, date_of_birth=data.date_of_birth,
        age=age_on(data.date_of_birth, today), age_disputed=data.age_disputed,
        nationality=data.nationality or None, languages=tuple(data.languages),
        status=detail.status, room=detail.room_name, arrival_date=data.arrival_date,
        primary_contact=detail.primary_contact_name,
        secondary_contact=detail.secondary_contact_name,
        representative_name=data.representative_name,
        representative_phone=data.representative_phone,
        representative_email=data.representative_email, plan=plan,
        notes=tuple(OverviewNote(v.written_at, v.author_name, tuple(v.categories), v.concern,
                                 v.text or "") for v in views),
        notes_total=total, missing_since=missing_since,
        incidents=tuple(OverviewIncident(number, happened, tuple(kinds or ()))
                        for number, happened, kinds in open_incidents),
        today=today)
    pdf = render_resident_overview(centre_view, overview, printed_at=utcnow(),
                                   printed_by=_printed_by(actor))
    audit.record_print(db, actor, "resident", resident_id, summary="resident overview")
    return pdf

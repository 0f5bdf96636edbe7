"""Printing forms: check the permission, load the data, render the PDF, log the print.

The form modules (and reportlab with them) are imported only when something is printed.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from app.db import Database
from app.formatting import utcnow
from app.permissions import Permission, require
from app.services import attendance, audit, centre, missing, residents
from app.unit_of_work import Actor


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

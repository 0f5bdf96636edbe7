"""Printing forms: check the permission, load the data, render the PDF, log the print.

The form modules (and reportlab with them) are imported only when something is printed.
"""

from __future__ import annotations

import uuid

from app.db import Database
from app.formatting import utcnow
from app.permissions import Permission, require
from app.services import audit, centre, residents
from app.unit_of_work import Actor


def record_sheet_pdf(db: Database, actor: Actor, resident_id: uuid.UUID) -> bytes:
    """The resident's record sheet as PDF bytes; the print is written to the audit trail."""
    require(actor, Permission.PRINT_RECORD_SHEET)
    resident = residents.get_resident(db, actor, resident_id)
    centre_view = centre.get_centre(db)
    from app.forms.record_sheet import render_record_sheet

    pdf = render_record_sheet(centre_view, resident, printed_at=utcnow(),
                              printed_by=actor.full_name or actor.username)
    audit.record_print(db, actor, "resident", resident_id, summary="record sheet")
    return pdf

"""The handover form for the integration municipality (domain-rules §3: "handover form no
later than 14 days after the residence permit is notified").

Who the resident is (name also in own script, person ID, date of birth, nationality,
languages, personal representative), the permit and the municipality, the contact persons,
the integration checklist with its dates, and sections the contact person fills in for the
handover (written by hand on the printed form).
"""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Table

from app.formatting import format_date, utcnow
from app.forms.document import (ACCENT, EMPTY, Block, DataTable, Fields, Layout, Lines, Section,
                                Signatures, Space, Text, para, render_document, table_style)
from app.i18n import _
from app.services.centre import CentreView
from app.services.integration import CaseView
from app.services.residents import ResidentDetail
from app.vocab import CONTACT_KIND_LABELS, SEX_LABELS, label

#: The free sections of the handover, each with a few lines to write on.
HANDOVER_SECTIONS = (
    ("background", 5), ("wellbeing", 5), ("schooling", 4), ("leisure", 4),
    ("everyday_skills", 4), ("wishes", 4), ("practical", 4),
)


def _section_titles() -> dict[str, tuple[str, str]]:
    return {
        "background": (_("Background and current situation"),
                       _("Family, network and what the resident has been through, as much as "
                         "the resident agrees to share.")),
        "wellbeing": (_("Well-being and health (non-clinical)"),
                      _("How the resident is doing; contacts with doctor, dentist or "
                        "psychologist the municipality should know of.")),
        "schooling": (_("Schooling and language"),
                      _("School or education, level, Danish language, attendance.")),
        "leisure": (_("Leisure activities and relationships"),
                    _("Clubs, sports, friends, people who matter to the resident.")),
        "everyday_skills": (_("Everyday skills"),
                            _("Cooking, cleaning, laundry, managing money.")),
        "wishes": (_("The resident's own wishes for the future and the move"),
                   _("In the resident's own words.")),
        "practical": (_("Practical matters"),
                      _("Documents, belongings, bank account, doctor, school records, "
                        "appointments already made.")),
    }


def _date_of_birth(resident: ResidentDetail) -> str | None:
    data = resident.data
    if data.date_of_birth is None:
        return None
    text = format_date(data.date_of_birth)
    return _("{date} (age disputed)").format(date=text) if data.age_disputed else text


def _deadline_box(case: CaseView, layout: Layout) -> Table:
    styles = layout.styles
    style = ParagraphStyle("handover-deadline", parent=styles.body, fontSize=11, leading=14.5)
    text = _("Residence permit notified on {permit}. The handover form is due no later than "
             "{due} (14 days after the notification).").format(
                 permit=format_date(case.permit_notified_on, "long"),
                 due=format_date(case.handover_form_due, "long"))
    return Table([[para(text, style)]], colWidths=[layout.width], hAlign="LEFT",
                 style=table_style([("BACKGROUND", (0, 0), (-1, -1), "#fff4d6"),
                                    ("LINEBEFORE", (0, 0), (0, -1), 3.5, ACCENT),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 9),
                                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 7)]))


def handover_blocks(resident: ResidentDetail, case: CaseView, layout: Layout) -> list[Block]:
    data = resident.data
    checklist = [(task.label, format_date(task.due_on) if task.due_on else _("No due date"),
                  format_date(task.done_on) if task.done_on else _("Not done"),
                  task.done_by or EMPTY, task.note or "") for task in case.tasks]
    blocks: list[Block] = [
        _deadline_box(case, layout),
        Space(3),
        Section(_("The resident"), [Fields([
            (_("Name"), resident.display_name),
            (_("Name in own script"), data.name_in_own_script),
            (_("Person ID"), data.person_id),
            (_("Date of birth"), _date_of_birth(resident)),
            (_("Sex"), label(SEX_LABELS, data.sex)),
            (_("Nationality"), data.nationality),
            (_("Languages"), ", ".join(data.languages)),
            (_("Arrival date"), format_date(data.arrival_date) if data.arrival_date else None),
        ], columns=2)]),
        Section(_("Residence permit and municipality"), [Fields([
            (_("Permit notified on"), format_date(case.permit_notified_on)),
            (_("Integration municipality"), case.municipality),
            (_("Handover form due"), format_date(case.handover_form_due)),
            (_("Case closed on"), format_date(case.closed_on) if case.closed_on else None),
        ], columns=2)]),
        Section(_("Contact persons and personal representative"), [Fields([
            (label(CONTACT_KIND_LABELS, "primary"), resident.primary_contact_name),
            (label(CONTACT_KIND_LABELS, "secondary"), resident.secondary_contact_name),
            (_("Personal representative"), data.representative_name),
            (_("Representative's phone"), data.representative_phone),
            (_("Representative's e-mail"), data.representative_email),
        ], columns=2)]),
        Section(_("Integration checklist"), [DataTable(
            [_("Task"), _("Due"), _("Done"), _("By"), _("Note")], checklist,
            widths=[3.0, 1.55, 1.55, 1.6, 2.3])]),
    ]
    titles = _section_titles()
    for key, lines in HANDOVER_SECTIONS:
        title, hint = titles[key]
        blocks.append(Section(title, [Text(hint, "note"), Lines(lines)]))
    blocks.append(Section(_("Signatures"), [Signatures([
        _("Contact person"), _("The resident"), _("The municipality's caseworker")])]))
    return blocks


def render_handover_form(centre: CentreView, resident: ResidentDetail, case: CaseView, *,
                         printed_at: datetime | None = None,
                         printed_by: str | None = None) -> bytes:
    """The handover form of ``resident`` for ``case`` as PDF bytes."""
    printed_at = printed_at or utcnow()
    return render_document(
        _("Handover form to the integration municipality"), centre,
        lambda layout: handover_blocks(resident, case, layout),
        subtitle=resident.display_name,
        printed_at=printed_at, printed_by=printed_by,
        footer_note=_("Confidential: contains personal data. Send to the integration "
                      "municipality only, with the social report."))

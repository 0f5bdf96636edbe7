"""The resident's record sheet ("stamkort"): who the child is, where they sleep, who to call."""

from __future__ import annotations

from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from app.formatting import format_date, local_today, utcnow
from app.forms.document import (Block, DataTable, Fields, Layout, PlaceholderBox, Section,
                                para, render_document, table_style, value_para)
from app.i18n import _, ngettext
from app.services.centre import CentreView
from app.services.residents import ResidentDetail
from app.vocab import (CONTACT_KIND_LABELS, MOVE_OUT_REASON_LABELS, PHASE_LABELS, SEX_LABELS,
                       STATUS_LABELS, label)

PHOTO_WIDTH, PHOTO_HEIGHT = 35 * mm, 45 * mm  # a passport photo


def _date_of_birth(resident: ResidentDetail) -> str | None:
    data = resident.data
    if data.date_of_birth is None:
        return None
    text = format_date(data.date_of_birth)
    if data.age_disputed:
        text = _("{date} (age disputed)").format(date=text)
    return text


def _age(resident: ResidentDetail, on) -> str | None:
    if resident.data.date_of_birth is None:
        return None
    years = resident.age_on(on)
    return ngettext("{years} year", "{years} years", years).format(years=years)


def _room(resident: ResidentDetail) -> str | None:
    if resident.room_name is None:
        return None
    return _("Room {room}, bed {bed}").format(room=resident.room_name, bed=resident.bed_label)


def _identity(resident: ResidentDetail, layout: Layout, today) -> Table:
    """Photo box on the left; name, name in own script, person ID and status on the right."""
    styles = layout.styles
    data = resident.data
    lines: list[Flowable] = [para(resident.display_name, styles.large)]
    if data.name_in_own_script:
        lines.append(para(data.name_in_own_script, styles.title))
    lines.append(Spacer(0, 2 * mm))
    facts = [(_("Person ID"), data.person_id), (_("Status"), label(STATUS_LABELS, resident.status)),
             (_("Room"), _room(resident)), (_("Age"), _age(resident, today))]
    width = layout.width - PHOTO_WIDTH - 8 * mm
    rows = [[para(name, styles.label), value_para(value, styles)] for name, value in facts]
    lines.append(Table(rows, colWidths=[32 * mm, width - 32 * mm], hAlign="LEFT",
                       style=table_style([("LEFTPADDING", (0, 0), (-1, -1), 0),
                                          ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                                          ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                                          ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                          ("TOPPADDING", (0, 0), (0, -1), 3)])))
    return Table([[PlaceholderBox(PHOTO_WIDTH, PHOTO_HEIGHT, _("Photo")), lines]],
                 colWidths=[PHOTO_WIDTH + 8 * mm, width], hAlign="LEFT",
                 style=table_style([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))


def record_sheet_blocks(resident: ResidentDetail, layout: Layout, *, today) -> list[Block]:
    data = resident.data
    residence: list[tuple[str, object]] = [
        (_("Arrival date"), format_date(data.arrival_date)),
        (_("Asylum phase"), label(PHASE_LABELS, data.phase)),
        (_("Status"), label(STATUS_LABELS, resident.status)),
        (_("Room and bed"), _room(resident)),
    ]
    if resident.moved_out_on is not None:
        residence += [
            (_("Moved out on"), format_date(resident.moved_out_on)),
            (_("Reason for moving out"), label(MOVE_OUT_REASON_LABELS, resident.move_out_reason)),
        ]
        if resident.move_out_note:
            residence.append((_("Note on moving out"), resident.move_out_note))
    return [
        _identity(resident, layout, today),
        Section(_("Personal details"), [Fields([
            (_("Person ID"), data.person_id),
            (_("Sex"), label(SEX_LABELS, data.sex)),
            (_("Given names"), data.given_names),
            (_("Family name"), data.family_name),
            (_("Name in own script"), data.name_in_own_script),
            (_("Nationality"), data.nationality),
            (_("Date of birth"), _date_of_birth(resident)),
            (_("Age"), _age(resident, today)),
            (_("Languages"), ", ".join(data.languages)),
        ], columns=2)]),
        Section(_("Residence"), [Fields(residence, columns=2)]),
        Section(_("Contact persons"), [Fields([
            (label(CONTACT_KIND_LABELS, "primary"), resident.primary_contact_name),
            (label(CONTACT_KIND_LABELS, "secondary"), resident.secondary_contact_name),
        ], columns=2)]),
        Section(_("Personal representative"), [Fields([
            (_("Name"), data.representative_name),
            (_("Phone"), data.representative_phone),
            (_("E-mail"), data.representative_email),
        ], columns=2)]),
        Section(_("Special considerations"), [Fields([
            (_("Street-oriented section"), data.street_oriented),
            (_("Special needs"), data.special_needs),
            (_("Note on special needs"), data.special_needs_note),
        ], columns=1, label_width=0.22)]),
        Section(_("Residence history"), [DataTable(
            [_("Date"), _("Event")],
            [(format_date(event.on), event.text) for event in resident.history],
            widths=[1, 4], empty_text=_("No events recorded."))]),
    ]


def render_record_sheet(centre: CentreView, resident: ResidentDetail, *,
                        printed_at: datetime | None = None,
                        printed_by: str | None = None) -> bytes:
    """The record sheet of ``resident`` as PDF bytes."""
    printed_at = printed_at or utcnow()
    today = local_today(printed_at)
    return render_document(
        _("Record sheet"), centre,
        lambda layout: record_sheet_blocks(resident, layout, today=today),
        subtitle=f"{resident.display_name} · {resident.data.person_id}",
        printed_at=printed_at, printed_by=printed_by,
        footer_note=_("Confidential: contains personal data. Keep locked away and shred "
                      "when no longer needed."))

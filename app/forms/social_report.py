"""The social report (Bilag 5 §4.4) as printed for the integration municipality:
background, development, schooling, leisure interests, wishes for the future."""

from __future__ import annotations

from datetime import datetime

from app.formatting import format_datetime, utcnow
from app.forms.development_plan import resident_fields
from app.forms.document import Layout, Section, Signatures, Text, render_document
from app.i18n import _
from app.services.centre import CentreView
from app.services.plans import SOCIAL_REPORT_FIELDS, SocialReportView, social_report_labels


def social_report_blocks(report: SocialReportView, layout: Layout) -> list:
    labels = social_report_labels()
    state = (_("Frozen {time} by {name}").format(time=format_datetime(report.frozen_at),
                                                 name=report.frozen_by or "")
             if report.is_frozen else _("Draft – not frozen"))
    blocks: list = [Section(_("The resident"), [resident_fields(report.resident)]),
                    Text(state, "note")]
    for name in SOCIAL_REPORT_FIELDS:
        text = getattr(report, name) or "–"
        blocks.append(Section(labels[name], [Text(text)]))
    blocks.append(Section(_("Signatures"), [Signatures([_("Contact person"),
                                                        _("Social coordinator")])]))
    return blocks


def render_social_report(centre: CentreView, report: SocialReportView, *,
                         printed_at: datetime | None = None,
                         printed_by: str | None = None) -> bytes:
    return render_document(
        _("Social report"), centre, lambda layout: social_report_blocks(report, layout),
        subtitle=report.resident.name, printed_at=printed_at or utcnow(),
        printed_by=printed_by,
        footer_note=_("Confidential: a minor's personal data (special category)."))

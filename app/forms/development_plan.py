"""The development plan (current version) as printed: who the resident is, the version and
whether it is signed off, that it was made together with the resident (date, interpreter,
language), then each goal with its action plan table and its reviews (domain-rules §3)."""

from __future__ import annotations

from datetime import datetime

from app.formatting import format_date, format_datetime, utcnow
from app.forms.document import (DataTable, Fields, Layout, Section, Signatures, Space, Text,
                                render_document)
from app.i18n import _
from app.services.centre import CentreView
from app.services.plans import GoalView, PlanView, ResidentHeader
from app.vocab import ACTION_STATUS_LABELS, PLAN_AREA_LABELS, label


def resident_fields(resident: ResidentHeader) -> Fields:
    return Fields([(_("Name"), resident.name),
                   (_("Name in own script"), resident.name_in_own_script),
                   (_("Person ID"), resident.person_id),
                   (_("Date of birth"), format_date(resident.date_of_birth))], columns=2)


def _status(plan: PlanView) -> str:
    if plan.is_signed_off:
        return _("Signed off {time} by {name}").format(time=format_datetime(plan.signed_off_at),
                                                       name=plan.signed_off_by or "")
    return _("Draft – not signed off")


def _goal(goal: GoalView, number: int) -> Section:
    blocks: list = []
    if goal.description:
        blocks.append(Text(goal.description))
        blocks.append(Space(2))
    blocks.append(Text(_("Action plan"), "heading"))
    blocks.append(DataTable(
        [_("Action"), _("Responsible"), _("By"), _("Status")],
        [[a.action, a.responsible or "", format_date(a.due_on) if a.due_on else "",
          label(ACTION_STATUS_LABELS, a.status)] for a in goal.actions],
        widths=[5, 2.2, 1.6, 1.4], empty_text=_("No actions yet.")))
    blocks.append(Space(3))
    blocks.append(Text(_("Reviews"), "heading"))
    blocks.append(DataTable(
        [_("Date"), _("What happened"), _("In the resident's own words"), _("Next steps"),
         _("Next review")],
        [[format_date(r.reviewed_on), r.what_happened, r.residents_words or "",
          r.next_steps or "", format_date(r.next_review_on) if r.next_review_on else ""]
         for r in goal.reviews],
        widths=[1.6, 3, 2.6, 2.6, 1.6], empty_text=_("Not reviewed yet.")))
    title = _("Goal {number} · {area}: {title}").format(
        number=number, area=label(PLAN_AREA_LABELS, goal.area), title=goal.title)
    return Section(title, blocks)


def development_plan_blocks(plan: PlanView, layout: Layout) -> list:
    made = [(_("Version"), str(plan.version)), (_("Status"), _status(plan)),
            (_("Made together with the resident on"),
             format_date(plan.made_with_resident_on) if plan.made_with_resident_on else None),
            (_("Interpreter used"), plan.interpreter_used),
            (_("Language"), plan.language)]
    blocks: list = [Section(_("The resident"), [resident_fields(plan.resident)]),
                    Section(_("The plan"), [Fields(made, columns=1)])]
    if not plan.goals:
        blocks.append(Text(_("The plan has no goals yet.")))
    blocks += [_goal(goal, number) for number, goal in enumerate(plan.goals, start=1)]
    blocks.append(Section(_("Signatures"), [Signatures(
        [_("The resident"), _("Contact person"), _("Social coordinator")])]))
    return blocks


def render_development_plan(centre: CentreView, plan: PlanView, *,
                            printed_at: datetime | None = None,
                            printed_by: str | None = None) -> bytes:
    return render_document(
        _("Development plan"), centre,
        lambda layout: development_plan_blocks(plan, layout),
        subtitle=_("{name} · version {version}").format(name=plan.resident.name,
                                                        version=plan.version),
        printed_at=printed_at or utcnow(), printed_by=printed_by,
        footer_note=_("Confidential: a minor's personal data (special category)."))

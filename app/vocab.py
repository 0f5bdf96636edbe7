"""Translated labels for the codes stored in the database (statuses, sexes, reasons …)."""

from __future__ import annotations

from app.i18n import N_, _

STATUS_LABELS = {
    "in_residence": N_("In residence"),
    "private_accommodation": N_("Private accommodation"),
    "moved_centre": N_("Moved to another centre"),
    "integration_municipality": N_("Transferred to integration municipality"),
    "departed": N_("Departed"),
    "missing": N_("Missing"),
}
MOVE_OUT_REASON_LABELS = {
    "moved_centre": N_("Moved to another centre"),
    "integration_municipality": N_("Transferred to an integration municipality"),
    "departed": N_("Departed the country"),
    "private_accommodation": N_("Approved private accommodation"),
}
SEX_LABELS = {"female": N_("Female"), "male": N_("Male"), "other": N_("Other")}
SECTION_LABELS = {"general": N_("General"), "street_oriented": N_("Street-oriented section")}
CONTACT_KIND_LABELS = {"primary": N_("Primary contact person"),
                       "secondary": N_("Secondary contact person")}
PHASE_LABELS = {1: N_("Phase 1"), 2: N_("Phase 2"), 3: N_("Phase 3")}


def label(table: dict, code: object) -> str:
    """The translated label for ``code``, or the code itself if it has none."""
    text = table.get(code)
    return _(text) if text else ("" if code is None else str(code))

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
ROUND_SLOT_LABELS = {"morning": N_("Morning round"), "afternoon": N_("Afternoon round"),
                     "evening": N_("Evening round")}
MARK_LABELS = {"present": N_("Present"), "absent": N_("Absent"), "leave": N_("Approved leave"),
               "school": N_("At school/activity"), "hospital": N_("In hospital"),
               "other": N_("Other")}
MARK_SOURCE_LABELS = {"screen": N_("On the round screen"), "paper": N_("From the paper sheet"),
                      "leave": N_("From approved leave")}
LEAVE_KIND_LABELS = {"family_visit": N_("Weekend/visit with family"),
                     "private_accommodation_trial": N_("Private accommodation trial"),
                     "hospital": N_("Hospital"), "school_trip": N_("School trip/camp"),
                     "other": N_("Other leave")}
MISSING_REPORT_LABELS = {"ibs": N_("Registered as missing in IBS"),
                         "police": N_("Reported to the police"),
                         "municipality": N_("Reported to the municipality"),
                         "agency": N_("Reported to the Agency"),
                         "representative": N_("Personal representative informed")}
CASE_CLOSE_LABELS = {"returned": N_("Returned to the centre"),
                     "left_responsibility": N_("Left the centre's responsibility")}


def label(table: dict, code: object) -> str:
    """The translated label for ``code``, or the code itself if it has none."""
    text = table.get(code)
    return _(text) if text else ("" if code is None else str(code))
ORIGIN_LABELS = {"vacated_room": N_("Vacated room or bed"), "common_area": N_("Common area")}
ITEM_CATEGORY_LABELS = {
    "clothing": N_("Clothing"), "shoes": N_("Shoes"), "electronics": N_("Electronics"),
    "phone": N_("Mobile phone"), "documents": N_("Papers/documents"), "money": N_("Money"),
    "jewellery": N_("Jewellery/watch"), "bag": N_("Bag/suitcase"),
    "toiletries": N_("Toiletries"), "food": N_("Food"), "books": N_("Books"),
    "sports": N_("Sports gear"), "other": N_("Other"),
}
DISPOSITION_LABELS = {"returned": N_("Returned to the owner"),
                      "police": N_("Handed to the police"), "destroyed": N_("Destroyed"),
                      "charity": N_("Given to charity"),
                      "discarded_perishable": N_("Discarded (perishable)")}
ID_DOCUMENT_LABELS = {"passport": N_("Passport"), "national_id": N_("National ID card"),
                      "driving_licence": N_("Driving licence"),
                      "residence_card": N_("Residence card"), "health_card": N_("Health card"),
                      "staff_card": N_("Staff/professional card"), "other": N_("Other document"),
                      "none": N_("No ID shown")}

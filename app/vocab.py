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
INCIDENT_KIND_LABELS = {
    "violence": N_("Violence"), "threats": N_("Threats"), "sexual_offence": N_("Sexual offence"),
    "vandalism": N_("Vandalism"), "theft": N_("Theft"), "arson": N_("Arson/fire"),
    "self_harm": N_("Serious self-harm"), "radicalisation": N_("Radicalisation concern"),
    "harassment": N_("Harassment (race, religion, gender …)"),
    "serious_conflict": N_("Serious conflict"),
    "damage_to_property": N_("Damage to others' property"),
    "physical_guidance": N_("Physical guidance"), "restraint": N_("Short restraint/holding"),
    "removal": N_("Restraint/removal to another room"),
    "bring_back": N_("Bringing back a runaway"), "search_person": N_("Search of person"),
    "search_room": N_("Search of room"), "confiscation": N_("Items taken into safekeeping"),
    "drug_test": N_("Drug test"), "refused_tasks": N_("Refused required tasks"),
    "refused_move_order": N_("Refused a move order"),
    "allowance_reduction": N_("Allowance reduced/withheld"), "other": N_("Other"),
}
INCIDENT_REPORT_LABELS = {
    "police": N_("Report to the police"), "IN8": N_("IN8 to the Agency"),
    "IN9": N_("IN9 to the Agency"), "IN10": N_("IN10 to the Agency (use of force)"),
    "IN12": N_("IN12 to the Agency (allowance)"), "PET": N_("Report to PET"),
    "minor_informed": N_("Minor told about the report and heard"),
    "representative_informed": N_("Personal representative informed"),
    "municipality_notification": N_("Notification to the municipality"),
    "agency_booking": N_("Agency's booking team contacted"),
}
RESIDENT_ROLE_LABELS = {"affected": N_("Affected"), "causing": N_("Causing"),
                        "witness": N_("Witness")}
IMMEDIATE_ACTION_LABELS = {"first_aid": N_("First aid"), "ambulance": N_("Ambulance called"),
                           "police_called": N_("Police called"),
                           "fire_service": N_("Fire service called"),
                           "emergency_doctor": N_("Emergency doctor (1813)"),
                           "separated": N_("Residents separated"), "other": N_("Other")}
ALLOWANCE_LABELS = {"basic": N_("Basic cash allowance"),
                    "supplement_1": N_("Supplementary allowance, phase 1"),
                    "supplement_2": N_("Supplementary allowance, phase 2")}
DECISION_KIND_LABELS = {"reduce": N_("Reduced"), "withhold": N_("Withheld")}
DECISION_GROUNDS_LABELS = {"refused_tasks": N_("Refused required tasks"),
                           "refused_move_order": N_("Did not obey a move order"),
                           "violence": N_("Violence"), "threats": N_("Threats")}
OBSERVATION_CATEGORY_LABELS = {"wellbeing": N_("Well-being"), "school": N_("School"),
                               "leisure": N_("Leisure activities"), "social": N_("Social"),
                               "sleep": N_("Sleep"), "daily_skills": N_("Daily skills"),
                               "family_contact": N_("Contact with family")}
CONCERN_AUDIENCE_LABELS = {"primary_contact": N_("Primary contact person"),
                           "coordinator": N_("Social coordinator")}
INTEGRATION_TASK_LABELS = {"handover_conversation": N_("Handover conversation with the resident"),
                           "municipality_dialogue": N_("Dialogue with the municipality"),
                           "handover_form": N_("Handover form to the municipality"),
                           "agency_statement": N_("Statement for the Agency's placement"),
                           "move_planning": N_("Planning of the move")}
PLAN_AREA_LABELS = {"schooling": N_("Schooling"), "leisure": N_("Leisure activities"),
                    "everyday_skills": N_("Everyday skills"),
                    "relatives": N_("Contact with relatives"),
                    "wellbeing": N_("Well-being and health"), "language": N_("Language"),
                    "other": N_("Other")}
ACTION_STATUS_LABELS = {"planned": N_("Planned"), "in_progress": N_("In progress"),
                        "done": N_("Done"), "dropped": N_("Dropped")}

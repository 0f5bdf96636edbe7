"""Roles and what each may do. Services call ``require``; the UI only mirrors it."""

from __future__ import annotations

from enum import StrEnum

from app.errors import PermissionDenied
from app.i18n import N_, _
from app.unit_of_work import Actor


class Role(StrEnum):
    RECEPTION = "reception"
    CONTACT_PERSON = "contact_person"
    NIGHT_STAFF = "night_staff"
    SOCIAL_COORDINATOR = "social_coordinator"
    CENTRE_LEADER = "centre_leader"
    ADMINISTRATOR = "administrator"


ROLE_LABELS: dict[Role, str] = {
    Role.RECEPTION: N_("Reception"),
    Role.CONTACT_PERSON: N_("Contact person"),
    Role.NIGHT_STAFF: N_("Night staff"),
    Role.SOCIAL_COORDINATOR: N_("Social coordinator"),
    Role.CENTRE_LEADER: N_("Centre leader"),
    Role.ADMINISTRATOR: N_("Administrator"),
}


class Permission(StrEnum):
    VIEW_RESIDENTS = "view_residents"
    REGISTER_ARRIVAL = "register_arrival"
    EDIT_RESIDENT = "edit_resident"
    EDIT_REPRESENTATIVE = "edit_representative"
    CHANGE_ROOM = "change_room"
    MOVE_OUT = "move_out"
    ASSIGN_CONTACT_PERSONS = "assign_contact_persons"
    MANAGE_ROOMS = "manage_rooms"
    MANAGE_STAFF = "manage_staff"
    VIEW_AUDIT = "view_audit"
    CONFIGURE_CENTRE = "configure_centre"
    PRINT_RECORD_SHEET = "print_record_sheet"
    TAKE_ROUNDS = "take_rounds"
    PLAN_ROUNDS = "plan_rounds"
    MANAGE_LEAVE = "manage_leave"
    HANDLE_MISSING = "handle_missing"
    VIEW_LOST_PROPERTY = "view_lost_property"
    MANAGE_LOST_PROPERTY = "manage_lost_property"
    LOG_VISITORS = "log_visitors"
    LOG_INCIDENTS = "log_incidents"
    READ_ALL_INCIDENTS = "read_all_incidents"
    VOID_INCIDENTS = "void_incidents"
    VIEW_INCIDENT_TRENDS = "view_incident_trends"
    # The leader decides on cash allowances and may authorise others to (domain-rules §4).
    DECIDE_ALLOWANCE = "decide_allowance"
    AUTHORISE_ALLOWANCE = "authorise_allowance"
    # Shift observations (domain-rules §3, §7). Reading depends on who the resident's contact
    # persons are (app.services.observations); these widen it to every resident.
    WRITE_OBSERVATIONS = "write_observations"
    READ_ALL_OBSERVATIONS = "read_all_observations"
    DELETE_OBSERVATIONS = "delete_observations"
    VIEW_CASELOAD = "view_caseload"
    SYNC = "sync"


PERMISSION_LABELS: dict[Permission, str] = {
    Permission.VIEW_RESIDENTS: N_("see the resident register"),
    Permission.REGISTER_ARRIVAL: N_("register a new resident"),
    Permission.EDIT_RESIDENT: N_("edit a resident's details"),
    Permission.EDIT_REPRESENTATIVE: N_("edit a resident's personal representative"),
    Permission.CHANGE_ROOM: N_("move a resident to another room"),
    Permission.MOVE_OUT: N_("move a resident out"),
    Permission.ASSIGN_CONTACT_PERSONS: N_("assign contact persons"),
    Permission.MANAGE_ROOMS: N_("manage rooms and beds"),
    Permission.MANAGE_STAFF: N_("manage staff users"),
    Permission.VIEW_AUDIT: N_("browse the audit trail"),
    Permission.CONFIGURE_CENTRE: N_("change the centre's settings"),
    Permission.PRINT_RECORD_SHEET: N_("print a resident's record sheet"),
    Permission.TAKE_ROUNDS: N_("take attendance rounds"),
    Permission.PLAN_ROUNDS: N_("change the times of the attendance rounds"),
    Permission.MANAGE_LEAVE: N_("register approved leave"),
    Permission.HANDLE_MISSING: N_("report a resident missing and record the reports"),
    Permission.VIEW_LOST_PROPERTY: N_("see the lost-property register"),
    Permission.MANAGE_LOST_PROPERTY: N_("log lost property and record what happened to it"),
    Permission.LOG_VISITORS: N_("sign visitors in and out and see the visitor log"),
    Permission.LOG_INCIDENTS: N_("log incidents and record their reports"),
    Permission.READ_ALL_INCIDENTS: N_("read every incident"),
    Permission.VOID_INCIDENTS: N_("void an incident"),
    Permission.VIEW_INCIDENT_TRENDS: N_("see incident patterns and trends"),
    Permission.DECIDE_ALLOWANCE: N_("decide to reduce or withhold a cash allowance"),
    Permission.AUTHORISE_ALLOWANCE: N_("authorise staff to decide on cash allowances"),
    Permission.WRITE_OBSERVATIONS: N_("write shift observations"),
    Permission.READ_ALL_OBSERVATIONS: N_("read the shift observations of every resident"),
    Permission.DELETE_OBSERVATIONS: N_("delete a shift observation another staff member wrote"),
    Permission.VIEW_CASELOAD: N_("see how many residents each contact person has"),
    Permission.SYNC: N_("send sync files to head office and set up the sync"),
}

P = Permission
# Everyone on a shift takes rounds and acts on a missing child, night staff included, and
# writes down what they observed of the residents (reading it back is another matter).
_ON_SHIFT = frozenset({P.TAKE_ROUNDS, P.HANDLE_MISSING, P.LOG_VISITORS, P.VIEW_LOST_PROPERTY,
                       P.LOG_INCIDENTS, P.WRITE_OBSERVATIONS})
# Staff on the duty roles read every incident; contact persons read those of their residents.
_ON_DUTY = frozenset({P.READ_ALL_INCIDENTS})
# The reception desk keeps the lost-property register; at night the night staff do.
_DESK = frozenset({P.MANAGE_LOST_PROPERTY})
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    # Reception registers arrivals and keeps rooms and the register's basic facts right.
    Role.RECEPTION: frozenset({P.VIEW_RESIDENTS, P.REGISTER_ARRIVAL, P.EDIT_RESIDENT,
                               P.CHANGE_ROOM, P.PRINT_RECORD_SHEET, P.MANAGE_LEAVE})
    | _ON_SHIFT | _DESK | _ON_DUTY,
    # Contact persons keep the representative informed, so they may correct the details.
    Role.CONTACT_PERSON: frozenset({P.VIEW_RESIDENTS, P.EDIT_RESIDENT, P.EDIT_REPRESENTATIVE,
                                    P.PRINT_RECORD_SHEET, P.MANAGE_LEAVE}) | _ON_SHIFT,
    # Night staff are often alone: they see who lives here and change nothing in the register,
    # but take the night round and act on a missing child.
    Role.NIGHT_STAFF: frozenset({P.VIEW_RESIDENTS}) | _ON_SHIFT | _DESK | _ON_DUTY,
    Role.SOCIAL_COORDINATOR: frozenset({P.VIEW_RESIDENTS, P.REGISTER_ARRIVAL, P.EDIT_RESIDENT,
                                        P.EDIT_REPRESENTATIVE, P.CHANGE_ROOM, P.MOVE_OUT,
                                        P.ASSIGN_CONTACT_PERSONS, P.PRINT_RECORD_SHEET,
                                        P.MANAGE_LEAVE, P.VIEW_INCIDENT_TRENDS,
                                        # Writes the action plans with the contact persons
                                        # and balances their caseload (domain-rules §3).
                                        P.READ_ALL_OBSERVATIONS, P.VIEW_CASELOAD})
    | _ON_SHIFT | _DESK | _ON_DUTY,
    Role.CENTRE_LEADER: frozenset(Permission),
    # The sync file holds every record: the leader and the administrator send it.
    Role.ADMINISTRATOR: frozenset({P.VIEW_RESIDENTS, P.MANAGE_ROOMS, P.MANAGE_STAFF,
                                   P.VIEW_AUDIT, P.CONFIGURE_CENTRE, P.SYNC}),
}


def permissions_of(roles: frozenset[str] | set[str] | list[str]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for code in roles:
        try:
            granted |= ROLE_PERMISSIONS[Role(code)]
        except ValueError:
            continue  # an unknown role grants nothing
    return frozenset(granted)


def can(actor: Actor, permission: Permission) -> bool:
    return permission in permissions_of(actor.roles)


def require(actor: Actor, permission: Permission) -> None:
    if not can(actor, permission):
        raise PermissionDenied(
            _("You are not allowed to {action}. Ask a colleague with the right role.").format(
                action=_(PERMISSION_LABELS[permission])))


def role_label(code: str) -> str:
    try:
        return _(ROLE_LABELS[Role(code)])
    except ValueError:
        return code

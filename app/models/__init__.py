"""Typed SQLAlchemy models. Importing this package registers every table on ``Base.metadata``."""

from app.models.allowance import AllowanceAuthorisation, AllowanceDecision
from app.models.attendance import AttendanceMark, AttendanceRound, Leave, MissingCase, MissingReport
from app.models.audit import AuditEntry
from app.models.base import Base, Synced, UTCDateTime
from app.models.centre import Centre, LocalSetting
from app.models.integration import IntegrationCase, IntegrationTask
from app.models.incidents import (ConfiscatedItem, Incident, IncidentReport, IncidentResident,
                                  IncidentStaff, IncidentVersion, UseOfForce)
from app.models.observations import (Observation, ObservationAcknowledgement,
                                     ObservationVersion)
from app.models.plans import DevelopmentPlan, PlanAction, PlanGoal, PlanReview, SocialReport
from app.models.reception import LostItem, LostItemDisposition, Visit
from app.models.residents import Bed, BedAssignment, ContactAssignment, Draft, Resident, Room
from app.models.staff import Staff
from app.models.sync import SyncChange

__all__ = ["DevelopmentPlan", "IntegrationCase", "IntegrationTask", "PlanAction", "PlanGoal", "PlanReview", "SocialReport", "AllowanceAuthorisation", "AllowanceDecision", "AttendanceMark", "AttendanceRound", "AuditEntry", "Base", "Bed", "BedAssignment", "Centre", "ConfiscatedItem", "ContactAssignment", "Draft", "Incident", "IncidentReport", "IncidentResident", "IncidentStaff",
           "IncidentVersion",
           "Leave", "LocalSetting", "LostItem", "LostItemDisposition", "MissingCase", "MissingReport", "Observation",
           "ObservationAcknowledgement", "ObservationVersion", "Resident", "Room", "Staff", "Synced", "SyncChange", "UseOfForce", "UTCDateTime", "Visit"]

"""Patterns and trends in the incident log: the centre leader's overview (domain-rules §4:
the operator must watch for patterns in incidents and in the use of force).

``incident_trends`` counts the incidents of a period (local dates, both ends included) by
kind, month, hour of day and weekday, finds the residents involved again and again, and
counts the uses of force per month. Voided (and deleted) incidents never count; a
corrected incident counts as it is now.

Times are stored in UTC and counted in Europe/Copenhagen time: an incident at 23:30 UTC
on 31 January belongs to February, hour 0 (or 1 in summer time). The SQL dialects disagree
on time zones and on JSON lists, so the database only filters (by the indexed UTC time)
and joins; the counting is one pass in Python over a few thousand small rows.

``trends_csv`` / ``write_trends_csv`` export the month × kind table and the residents
table for a spreadsheet. The format is the one Danish Excel opens with a double click:
semicolon-separated (the comma is the Danish decimal sign, so Excel's list separator is
the semicolon), a header row for each table, a blank line between the two, and the file
written as UTF-8 with a byte-order mark so that æ, ø, å and names in other scripts
survive. Headers and labels are in the current UI language; months are ISO ``YYYY-MM``.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import String, func, select, type_coerce

from app.db import Database
from app.errors import ValidationError
from app.formatting import LOCAL_TZ, as_utc
from app.i18n import N_, _
from app.models import Incident, IncidentResident, Resident, UseOfForce
from app.models.incidents import RESIDENT_ROLES
from app.permissions import Permission, require
from app.rules.reports import INCIDENT_KINDS, USE_OF_FORCE_KINDS
from app.unit_of_work import Actor
from app.vocab import INCIDENT_KIND_LABELS, RESIDENT_ROLE_LABELS, label

#: Kinds reported to the police (the "police, IN9" row of the decision table).
CRIME_KINDS = frozenset({"violence", "threats", "sexual_offence", "vandalism", "theft",
                         "arson"})
#: The groups of the stacked month chart. An incident is counted once, in the first group
#: one of its kinds belongs to: a crime, else a use of force, else other.
KIND_GROUPS = ("crime", "use_of_force", "other")
KIND_GROUP_LABELS = {"crime": N_("Crime (reported to the police)"),
                     "use_of_force": N_("Use of force"), "other": N_("Other")}
#: Residents involved in at least this many incidents of the period are listed.
REPEATED_MINIMUM = 2


def kind_group(kinds: list[str] | tuple[str, ...]) -> str:
    """The group of an incident with these kinds (see ``KIND_GROUPS``)."""
    if any(k in CRIME_KINDS for k in kinds):
        return "crime"
    if any(k in USE_OF_FORCE_KINDS for k in kinds):
        return "use_of_force"
    return "other"


@dataclass(frozen=True)
class MonthCounts:
    month: date  # the first day of the month
    incidents: int
    by_group: dict[str, int]  # KIND_GROUPS -> incidents
    by_kind: dict[str, int]  # kind -> incidents having that kind
    uses_of_force: int  # UseOfForce rows started in the month


@dataclass(frozen=True)
class RepeatedResident:
    resident_id: uuid.UUID
    name: str
    person_id: str
    incidents: int
    roles: dict[str, int]  # role -> incidents in that role (RESIDENT_ROLES order)
    kinds: dict[str, int]  # kind -> incidents, most frequent first
    last_at: datetime


@dataclass(frozen=True)
class IncidentTrends:
    since: date
    until: date
    total: int  # incidents in the period
    uses_of_force: int  # UseOfForce rows in the period
    residents_involved: int  # distinct residents in any incident
    by_kind: dict[str, int]  # every kind, INCIDENT_KINDS order (an incident counts per kind)
    months: tuple[MonthCounts, ...]  # every month of the period, zero-filled
    by_hour: tuple[int, ...]  # 24 counts, Copenhagen time
    by_weekday: tuple[int, ...]  # 7 counts, Monday first
    residents: tuple[RepeatedResident, ...]  # involved in >= REPEATED_MINIMUM incidents

    @property
    def force_by_month(self) -> tuple[int, ...]:
        return tuple(m.uses_of_force for m in self.months)


def _utc_start(day: date) -> datetime:
    """The UTC moment local midnight begins ``day``."""
    return datetime.combine(day, time(0), LOCAL_TZ).astimezone(UTC)


def _months(since: date, until: date) -> list[date]:
    months, month = [], since.replace(day=1)
    while month <= until:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def first_incident_day(db: Database, actor: Actor) -> date | None:
    """The local date of the earliest incident not voided (for "everything"), or None."""
    require(actor, Permission.VIEW_INCIDENT_TRENDS)
    with db.read() as session:
        first = as_utc(session.scalar(select(func.min(Incident.happened_at)).where(
            Incident.deleted_at.is_(None), Incident.voided_at.is_(None))))
    return first.astimezone(LOCAL_TZ).date() if first else None


def incident_trends(db: Database, actor: Actor, *, since: date, until: date) -> IncidentTrends:
    """Incidents from ``since`` to ``until`` (local dates, inclusive), counted every way the
    leader looks for patterns; see the module docstring."""
    require(actor, Permission.VIEW_INCIDENT_TRENDS)
    if until < since:
        raise ValidationError({"until": _("The period ends before it begins.")})
    start, end = _utc_start(since), _utc_start(until + timedelta(days=1))
    live = (Incident.deleted_at.is_(None), Incident.voided_at.is_(None),
            Incident.happened_at >= start, Incident.happened_at < end)
    # Ids are read as the database gives them (hex text in SQLite): they are only compared
    # here, and making thousands of UUID objects would cost more than the counting.
    incident_key = type_coerce(Incident.id, String)
    with db.read() as session:
        connection = session.connection()
        incidents = connection.execute(
            select(incident_key, Incident.happened_at, Incident.kinds).where(*live)).all()
        involved = connection.execute(
            select(type_coerce(IncidentResident.incident_id, String),
                   type_coerce(IncidentResident.resident_id, String), IncidentResident.role)
            .join(Incident, Incident.id == IncidentResident.incident_id)
            .where(*live, IncidentResident.deleted_at.is_(None))).all()
        forces = connection.execute(
            select(UseOfForce.started_at)
            .join(Incident, Incident.id == UseOfForce.incident_id)
            .where(Incident.deleted_at.is_(None), Incident.voided_at.is_(None),
                   UseOfForce.deleted_at.is_(None), UseOfForce.started_at >= start,
                   UseOfForce.started_at < end)).scalars().all()
        per_resident: dict[object, set[object]] = {}
        for incident_id, resident_id, _role in involved:
            per_resident.setdefault(resident_id, set()).add(incident_id)
        repeated = {uuid.UUID(str(key)): key for key, ids in per_resident.items()
                    if len(ids) >= REPEATED_MINIMUM}
        # Names of everyone involved (a subquery rather than thousands of bound ids).
        everyone = (select(IncidentResident.resident_id)
                    .join(Incident, Incident.id == IncidentResident.incident_id)
                    .where(*live, IncidentResident.deleted_at.is_(None)))
        people = {repeated[rid]: (rid, f"{given} {family}", person_id)
                  for rid, given, family, person_id in connection.execute(
                      select(Resident.id, Resident.given_names, Resident.family_name,
                             Resident.person_id).where(Resident.id.in_(everyone)))
                  if rid in repeated} if repeated else {}

    months = _months(since, until)
    month_index = {(m.year, m.month): i for i, m in enumerate(months)}
    month_total = [0] * len(months)
    month_group = [Counter() for _m in months]
    month_kind = [Counter() for _m in months]
    month_force = [0] * len(months)
    by_kind: Counter[str] = Counter()
    by_hour, by_weekday = [0] * 24, [0] * 7
    facts: dict[object, tuple[datetime, list[str]]] = {}
    for incident_id, happened_at, kinds in incidents:
        happened_at = as_utc(happened_at)
        local = happened_at.astimezone(LOCAL_TZ)
        kinds = list(dict.fromkeys(kinds or ()))
        facts[incident_id] = (happened_at, kinds)
        i = month_index[(local.year, local.month)]
        month_total[i] += 1
        month_group[i][kind_group(kinds)] += 1
        month_kind[i].update(kinds)
        by_kind.update(kinds)
        by_hour[local.hour] += 1
        by_weekday[local.weekday()] += 1
    for started_at in forces:
        local = as_utc(started_at).astimezone(LOCAL_TZ)
        month_force[month_index[(local.year, local.month)]] += 1

    roles: dict[object, dict[str, set[object]]] = {}
    for incident_id, resident_id, role in involved:
        if resident_id in people:
            roles.setdefault(resident_id, {}).setdefault(role, set()).add(incident_id)
    residents = []
    for key, (rid, name, person_id) in people.items():
        ids = per_resident[key]
        kinds_count: Counter[str] = Counter()
        for incident_id in ids:
            kinds_count.update(facts[incident_id][1])
        role_ids = roles.get(key, {})
        residents.append(RepeatedResident(
            rid, name, person_id, len(ids),
            {role: len(role_ids[role]) for role in RESIDENT_ROLES if role in role_ids},
            dict(sorted(kinds_count.items(),
                        key=lambda kv: (-kv[1], INCIDENT_KINDS.index(kv[0])
                                        if kv[0] in INCIDENT_KINDS else 99))),
            max(facts[incident_id][0] for incident_id in ids)))
    residents.sort(key=lambda r: (-r.incidents, r.name.casefold()))

    return IncidentTrends(
        since=since, until=until, total=len(incidents), uses_of_force=len(forces),
        residents_involved=len(per_resident),
        by_kind={kind: by_kind.get(kind, 0) for kind in INCIDENT_KINDS},
        months=tuple(MonthCounts(m, month_total[i],
                                 {g: month_group[i].get(g, 0) for g in KIND_GROUPS},
                                 dict(month_kind[i]), month_force[i])
                     for i, m in enumerate(months)),
        by_hour=tuple(by_hour), by_weekday=tuple(by_weekday), residents=tuple(residents))


# -- export ----------------------------------------------------------------------------------

#: The field separator of the export (see the module docstring).
CSV_DELIMITER = ";"


def _kinds_text(kinds: dict[str, int]) -> str:
    return ", ".join(f"{label(INCIDENT_KIND_LABELS, kind)} ({n})" for kind, n in kinds.items())


def trends_csv(trends: IncidentTrends) -> str:
    """The month × kind table, a blank line, then the residents with repeated involvement;
    each table with a header row. Every kind has a column, so exports line up."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([_("Month"), _("Incidents"),
                     *(label(KIND_GROUP_LABELS, g) for g in KIND_GROUPS),
                     *(label(INCIDENT_KIND_LABELS, k) for k in INCIDENT_KINDS),
                     _("Uses of force")])
    for m in trends.months:
        writer.writerow([f"{m.month:%Y-%m}", m.incidents,
                         *(m.by_group.get(g, 0) for g in KIND_GROUPS),
                         *(m.by_kind.get(k, 0) for k in INCIDENT_KINDS), m.uses_of_force])
    writer.writerow([_("Total"), trends.total,
                     *(sum(m.by_group.get(g, 0) for m in trends.months) for g in KIND_GROUPS),
                     *(trends.by_kind.get(k, 0) for k in INCIDENT_KINDS), trends.uses_of_force])
    writer.writerow([])
    writer.writerow([_("Resident"), _("Person ID"), _("Incidents"),
                     *(label(RESIDENT_ROLE_LABELS, role) for role in RESIDENT_ROLES),
                     _("Kinds"), _("Last incident")])
    for r in trends.residents:
        writer.writerow([r.name, r.person_id, r.incidents,
                         *(r.roles.get(role, 0) for role in RESIDENT_ROLES),
                         _kinds_text(r.kinds),
                         r.last_at.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")])
    return out.getvalue()


def write_trends_csv(trends: IncidentTrends, path: str | Path) -> Path:
    """Write ``trends_csv`` to ``path`` as UTF-8 with a byte-order mark (for Excel)."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        file.write(trends_csv(trends))
    return path

"""What head office reads from its database: conflicts to review and the supervision
overview per centre, as plain data and as text for the command line."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import and_, distinct, func, or_, select

from app.formatting import LOCAL_TZ, as_utc, format_datetime, local_today, utcnow
from app.i18n import _, ngettext
from app.models.attendance import MISSING_REPORT_KINDS
from app.models.reception import ORIGIN_COMMON, ORIGIN_VACATED
from app.models.residents import STATUS_IN_RESIDENCE
from app.rules.absence import report_due
from app.sync import SyncError
from app.sync.ho_import import format_ranges, missing_ranges
from app.sync.ho_schema import HeadOffice

#: Columns a conflict's diff leaves out: they differ whenever the rows do and are shown
#: on the conflict's line itself.
_DIFF_IGNORED = frozenset({"updated_at", "updated_by_device", "row_version"})
_VALUE_WIDTH = 60


# -- conflicts ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ConflictView:
    """Two versions of one record made independently at two installations. ``kept`` is
    the version the conflict rule put in the mirror, ``other`` the one it did not; both
    are payload changes (``row`` holds the whole record)."""

    id: uuid.UUID
    centre_code: str
    entity: str
    row_id: uuid.UUID
    detected_at: datetime
    kept_device: uuid.UUID
    other_device: uuid.UUID
    kept_changed_at: datetime
    other_changed_at: datetime
    kept_version: int
    other_version: int
    #: (column, value in the kept version, value in the other version), as in the payload
    diff: tuple[tuple[str, Any, Any], ...]
    kept: dict[str, Any] = field(repr=False)
    other: dict[str, Any] = field(repr=False)
    resolved_at: datetime | None = None


def _diff(kept: dict[str, Any], other: dict[str, Any]) -> tuple[tuple[str, Any, Any], ...]:
    columns = list(dict.fromkeys([*kept, *other]))
    return tuple((name, kept.get(name), other.get(name)) for name in columns
                 if name not in _DIFF_IGNORED and kept.get(name) != other.get(name))


def list_conflicts(ho: HeadOffice, *, include_resolved: bool = False,
                   centre_code: str | None = None) -> list[ConflictView]:
    """The conflicts to review (also the resolved ones with ``include_resolved``), oldest
    first."""
    table = ho.conflict
    query = select(table).order_by(table.c.detected_at, table.c.entity, table.c.row_id)
    if not include_resolved:
        query = query.where(table.c.resolved_at.is_(None))
    if centre_code is not None:
        query = query.where(table.c.centre_code == centre_code)
    with ho.engine.connect() as conn:
        rows = conn.execute(query).all()
    return [ConflictView(
        id=r.id, centre_code=r.centre_code, entity=r.entity, row_id=r.row_id,
        detected_at=r.detected_at, kept_device=r.kept_device, other_device=r.other_device,
        kept_changed_at=r.kept_changed_at, other_changed_at=r.other_changed_at,
        kept_version=r.kept_version, other_version=r.other_version,
        diff=_diff(r.kept.get("row") or {}, r.other.get("row") or {}), kept=r.kept,
        other=r.other, resolved_at=r.resolved_at) for r in rows]


def resolve_conflict(ho: HeadOffice, conflict_id: uuid.UUID, *,
                     now: datetime | None = None) -> None:
    """Mark a conflict as reviewed (the mirror row is not changed)."""
    with ho.engine.begin() as conn:
        result = conn.execute(ho.conflict.update().where(
            ho.conflict.c.id == conflict_id, ho.conflict.c.resolved_at.is_(None))
            .values(resolved_at=now or utcnow()))
    if not result.rowcount:
        raise SyncError(_("There is no open conflict {id}.").format(id=conflict_id))


def _short(value: Any) -> str:
    text = "—" if value is None else repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= _VALUE_WIDTH else text[:_VALUE_WIDTH - 1] + "…"


def format_conflicts(conflicts: list[ConflictView]) -> str:
    """The conflicts as text, each with the columns in which the two versions differ."""
    if not conflicts:
        return _("No conflicts to review.")
    lines = [ngettext("{count} conflict to review:", "{count} conflicts to review:",
                      len(conflicts)).format(count=len(conflicts))]
    for c in conflicts:
        lines.append("")
        lines.append(_("{centre} {entity} {row} (found {detected}){resolved}").format(
            centre=c.centre_code, entity=c.entity, row=c.row_id,
            detected=format_datetime(c.detected_at),
            resolved=_(", resolved {when}").format(when=format_datetime(c.resolved_at))
            if c.resolved_at else ""))
        lines.append("  " + _("kept:  version {version} by installation {device}, {when}"
                              ).format(version=c.kept_version, device=c.kept_device,
                                       when=format_datetime(c.kept_changed_at)))
        lines.append("  " + _("other: version {version} by installation {device}, {when}"
                              ).format(version=c.other_version, device=c.other_device,
                                       when=format_datetime(c.other_changed_at)))
        for name, kept, other in c.diff:
            lines.append(f"    {name}: {_short(kept)} ≠ {_short(other)}")
    return "\n".join(lines)


# -- the supervision overview ------------------------------------------------------------

@dataclass(frozen=True)
class CentreStatus:
    """What head office knows of one centre, from the data it has imported."""

    centre_code: str
    centre_name: str | None
    last_import_at: datetime | None
    files: int
    devices: int
    residents_in_residence: int
    #: open missing cases whose reports are due and not all done
    missing_overdue: int
    #: incidents (not voided) with a required report not done
    unreported_incidents: int
    #: items past their retention or owner-search end, still without a disposition
    lost_items_overdue: int
    open_conflicts: int
    #: per installation, the sequence ranges head office has not received
    missing: dict[uuid.UUID, list[tuple[int, int]]] = field(default_factory=dict)


def _per_centre(conn: Any, query: Any) -> dict[str, int]:
    return {code: int(count) for code, count in conn.execute(query) if code is not None}


def _overdue_missing_cases(ho: HeadOffice, conn: Any, now: datetime) -> dict[str, int]:
    case, report = ho.mirrors["missing_case"], ho.mirrors["missing_report"]
    resident = ho.mirrors["resident"]
    cases = conn.execute(
        select(case.c.id, case.c.sync_centre, case.c.missing_since, case.c.special_concern,
               case.c.known_not_staying, resident.c.date_of_birth)
        .outerjoin(resident, resident.c.id == case.c.resident_id)
        .where(case.c.closed_at.is_(None), case.c.deleted_at.is_(None))).all()
    done: dict[uuid.UUID, set[str]] = {}
    ids = [c.id for c in cases]
    for start in range(0, len(ids), 500):
        for case_id, kind in conn.execute(select(report.c.case_id, report.c.kind).where(
                report.c.case_id.in_(ids[start:start + 500]), report.c.deleted_at.is_(None))):
            done.setdefault(case_id, set()).add(kind)
    counts: dict[str, int] = {}
    for c in cases:
        if set(MISSING_REPORT_KINDS) <= done.get(c.id, set()):
            continue
        due = c.missing_since
        if due is not None and c.date_of_birth is not None:
            try:
                due = report_due(c.date_of_birth, c.missing_since,
                                 special_concern=bool(c.special_concern),
                                 known_not_staying=bool(c.known_not_staying))
            except ValueError:
                pass
        # Without the resident's birth date (not arrived yet), the reports count as due
        # at once; without a time missing, the case counts as overdue.
        if due is None or due <= now:
            counts[c.sync_centre] = counts.get(c.sync_centre, 0) + 1
    return counts


def status(ho: HeadOffice, *, today: date, now: datetime | None = None) -> list[CentreStatus]:
    """The supervision overview per centre, as of ``today`` (lost property) and ``now``
    (missing-case deadlines; default: now if ``today`` is today, else the end of
    ``today`` in Copenhagen)."""
    if now is None:
        now = (utcnow() if today == local_today() else
               datetime.combine(today, time(23, 59, 59), tzinfo=LOCAL_TZ).astimezone(UTC))
    m = ho.mirrors
    resident, incident, report = m["resident"], m["incident"], m["incident_report"]
    item, centre = m["lost_item"], m["centre"]
    with ho.engine.connect() as conn:
        files = {code: (as_utc(last), int(count), int(devices)) for code, last, count, devices
                 in conn.execute(select(ho.file.c.centre_code, func.max(ho.file.c.imported_at),
                                        func.count(), func.count(distinct(ho.file.c.device_id)))
                                 .group_by(ho.file.c.centre_code))}
        trusted = _per_centre(conn, select(ho.device.c.centre_code, func.count())
                              .group_by(ho.device.c.centre_code))
        names = {code: name for code, name in conn.execute(
            select(centre.c.sync_centre, centre.c.name).where(centre.c.deleted_at.is_(None))
            .order_by(centre.c.updated_at))}
        residents = _per_centre(conn, select(resident.c.sync_centre, func.count()).where(
            resident.c.status == STATUS_IN_RESIDENCE, resident.c.deleted_at.is_(None))
            .group_by(resident.c.sync_centre))
        unreported = _per_centre(conn, select(incident.c.sync_centre,
                                              func.count(distinct(incident.c.id)))
                                 .join(report, report.c.incident_id == incident.c.id)
                                 .where(incident.c.voided_at.is_(None),
                                        incident.c.deleted_at.is_(None),
                                        report.c.done_at.is_(None),
                                        report.c.deleted_at.is_(None))
                                 .group_by(incident.c.sync_centre))
        lost = _per_centre(conn, select(item.c.sync_centre, func.count()).where(
            item.c.deleted_at.is_(None), item.c.disposition.is_(None),
            or_(and_(item.c.origin == ORIGIN_VACATED, item.c.retention_ends < today),
                and_(item.c.origin == ORIGIN_COMMON, item.c.owner_search_ends < today)))
            .group_by(item.c.sync_centre))
        conflicts = _per_centre(conn, select(ho.conflict.c.centre_code, func.count()).where(
            ho.conflict.c.resolved_at.is_(None)).group_by(ho.conflict.c.centre_code))
        missing_cases = _overdue_missing_cases(ho, conn, now)
    result = []
    for code in sorted(set(files) | set(trusted)):
        last, count, devices = files.get(code, (None, 0, 0))
        result.append(CentreStatus(
            centre_code=code, centre_name=names.get(code), last_import_at=last, files=count,
            devices=max(devices, trusted.get(code, 0)),
            residents_in_residence=residents.get(code, 0),
            missing_overdue=missing_cases.get(code, 0),
            unreported_incidents=unreported.get(code, 0),
            lost_items_overdue=lost.get(code, 0), open_conflicts=conflicts.get(code, 0),
            missing={device: gaps for device, gaps
                     in missing_ranges(ho, centre_code=code).items() if gaps}))
    return result


def format_status(centres: list[CentreStatus]) -> str:
    """The overview as text, one block per centre."""
    if not centres:
        return _("Head office has no centre yet: trust an installation's key and import its "
                 "sync files.")
    blocks = []
    for s in centres:
        title = f"{s.centre_code} — {s.centre_name}" if s.centre_name else s.centre_code
        lines = [title]
        lines.append("  " + (_("last import: {when} ({files}, {devices})").format(
            when=format_datetime(s.last_import_at),
            files=ngettext("{count} file", "{count} files", s.files).format(count=s.files),
            devices=ngettext("{count} installation", "{count} installations",
                             s.devices).format(count=s.devices))
            if s.last_import_at else _("nothing imported yet")))
        lines.append("  " + _("residents in residence: {count}").format(
            count=s.residents_in_residence))
        lines.append("  " + _("open missing cases with overdue reports: {count}").format(
            count=s.missing_overdue))
        lines.append("  " + _("incidents with reports not done: {count}").format(
            count=s.unreported_incidents))
        lines.append("  " + _("lost property past retention, no disposition: {count}").format(
            count=s.lost_items_overdue))
        lines.append("  " + _("conflicts to review: {count}").format(count=s.open_conflicts))
        for device, gaps in sorted(s.missing.items(), key=lambda item: str(item[0])):
            lines.append("  " + _("missing from installation {device}: sequence {ranges}"
                                  ).format(device=device, ranges=format_ranges(gaps)))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)

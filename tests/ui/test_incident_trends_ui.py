"""The leader's patterns-and-trends view: the charts and the table show the counts, and the
table exports as CSV."""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

import pytest
from PySide6.QtWidgets import QFileDialog

from app.formatting import LOCAL_TZ, local_today, utcnow
from app.services import incidents, residents
from app.services.incidents import ForceInput, IncidentInput
from tests.conftest import resident_input
from ui.context import Changes
from ui.incidents.trends import TrendsView


def _local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LOCAL_TZ)


@pytest.fixture
def data(db, people, beds):
    """Four incidents in the last weeks (one voided) and one two years ago."""
    kids = [residents.register_arrival(db, people.coordinator, resident_input(
        person_id=f"2000{i}-1", given_names=given, family_name="Rahimi",
        date_of_birth=local_today() - timedelta(days=16 * 365),
        arrival_date=local_today() - timedelta(days=3 * 365)), beds[i].id)
        for i, given in enumerate(("Ali", "Reza"))]
    ali, reza = (k.id for k in kids)
    day = local_today() - timedelta(days=10)
    now = utcnow()

    def log(when: datetime, kinds: tuple[str, ...], involved=(), force_on=None):
        forces = tuple(ForceInput(force_on, "restraint", when + timedelta(minutes=2),
                                  when + timedelta(minutes=4), "Slog ud efter personalet")
                       for _k in kinds if _k == "restraint") if force_on else ()
        return incidents.log_incident(db, people.night, IncidentInput(
            happened_at=when, noticed_at=when, place="Gangen", kinds=kinds,
            description="Skete.", residents=tuple(involved), uses_of_force=forces), now=now)

    log(_local(day, 21, 15), ("violence", "restraint"), [(ali, "causing"), (reza, "affected")],
        force_on=ali)
    log(_local(day, 21, 50), ("threats",), [(ali, "causing")])
    log(_local(day + timedelta(days=1), 3, 5), ("other",), [(reza, "witness")])
    voided = log(_local(day, 22, 0), ("theft",), [(ali, "causing")])
    incidents.void_incident(db, people.leader, voided.id, reason="Fejl.", now=now)
    log(_local(local_today() - timedelta(days=730), 12, 0), ("vandalism",), [(reza, "causing")])
    return {"day": day, "ali": ali, "reza": reza}


@pytest.fixture
def view(qtbot, make_ctx, people, data):
    widget = TrendsView(make_ctx(people.leader))
    qtbot.addWidget(widget)
    widget.resize(1200, 900)
    widget.show()  # loads the data
    return widget


def test_the_view_shows_the_counts(view, data):
    day = data["day"]
    t = view.trends
    assert t is not None and t.total == 3
    assert view.summary.text().startswith("3 incidents from ")
    assert sum(view.month_chart.totals()) == 3
    names = [s.name for s in view.month_chart.series]
    assert names == ["Crime (reported to the police)", "Use of force", "Other"]
    assert len(view.month_chart.labels) == 12
    crime, force, other = (sum(s.values) for s in view.month_chart.series)
    assert (crime, force, other) == (2, 0, 1)
    hours = view.hour_chart.series[0].values
    assert view.hour_chart.labels[21] == "21" and hours[21] == 2 and hours[3] == 1
    assert sum(hours) == 3
    weekdays = view.weekday_chart.series[0].values
    assert weekdays[day.weekday()] == 2 and weekdays[(day.weekday() + 1) % 7] == 1
    assert sum(view.force_chart.series[0].values) == 1
    kinds = dict(zip(view.kind_chart.labels, view.kind_chart.series[0].values, strict=True))
    assert kinds == {"Violence": 1, "Short restraint/holding": 1, "Threats": 1, "Other": 1}

    table = view.residents
    assert table.topLevelItemCount() == 2
    first = table.topLevelItem(0)
    assert [first.text(c) for c in range(6)] == ["Ali Rahimi", "20000-1", "2", "0", "2", "0"]
    assert first.text(6) == "Violence (1), Threats (1), Short restraint/holding (1)"
    second = table.topLevelItem(1)
    assert [second.text(c) for c in range(6)] == ["Reza Rahimi", "20001-1", "2", "1", "0", "1"]
    assert view.residents_label.text() == "2 residents involved in two or more incidents:"


def test_a_longer_period_takes_in_older_incidents(view):
    view.period.setCurrentIndex(view.period.findData("three_years"))
    assert view.trends.total == 4
    assert len(view.month_chart.labels) == 36
    reza = view.residents.topLevelItem(0)
    assert reza.text(0) == "Reza Rahimi" and reza.text(2) == "3"
    view.period.setCurrentIndex(view.period.findData("all"))
    assert view.trends.total == 4
    assert view.trends.since == (local_today() - timedelta(days=730)).replace(day=1)


def test_the_table_exports_as_csv(view, tmp_path, monkeypatch, qtbot):
    path = view.export_to(tmp_path / "trends")
    assert path == tmp_path / "trends.csv"
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file, delimiter=";"))
    assert rows[0][:2] == ["Month", "Incidents"]
    months = rows[1:13]
    assert sum(int(r[1]) for r in months) == 3
    assert rows[13][:2] == ["Total", "3"]
    assert rows[14] == []
    assert rows[15][0] == "Resident"
    assert [r[:3] for r in rows[16:]] == [["Ali Rahimi", "20000-1", "2"],
                                          ["Reza Rahimi", "20001-1", "2"]]

    # The button asks where to save and writes there.
    chosen = tmp_path / "fra-knappen.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *args, **kwargs: (str(chosen), "")))
    view.export_button.click()
    assert chosen.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "Ali Rahimi" in chosen.read_text(encoding="utf-8-sig")


def test_new_incidents_show_when_the_view_is_told(view, db, people, data):
    when = utcnow() - timedelta(minutes=1)
    incidents.log_incident(db, people.night, IncidentInput(
        happened_at=when, noticed_at=when, place="Køkkenet", kinds=("arson",),
        description="Brand i en gryde.", residents=((data["ali"], "causing"),)))
    view.ctx.announce(Changes(incidents=True))
    assert view.trends.total == 4
    assert view.residents.topLevelItem(0).text(2) == "3"

"""Patterns and trends in the incident log: the centre leader's view (domain-rules §4).

Charts of the incidents per month (stacked by crime / use of force / other), per hour of
day and weekday (Copenhagen time), the uses of force per month and the incidents per kind,
and the residents involved in two or more incidents. The table exports as CSV; the counting
and the file format live in ``app.services.incident_trends``.

The view loads its data when it is first shown and again when incidents change, so the
Incidents page opens as fast without it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from babel import Locale
from babel import dates as babel_dates
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.errors import DomainError
from app.formatting import LOCAL_TZ, format_number, local_today
from app.i18n import _, current_locale, ngettext
from app.models.incidents import RESIDENT_ROLES
from app.services import incident_trends as trends_service
from app.services.incident_trends import KIND_GROUP_LABELS, KIND_GROUPS, IncidentTrends
from app.vocab import INCIDENT_KIND_LABELS, RESIDENT_ROLE_LABELS, label
from ui.charts import BarChart, HorizontalBarChart, Series
from ui.context import AppContext, Changes

GROUP_COLOURS = {"crime": "#c94040", "use_of_force": "#e39b2d", "other": "#6b9bd1"}
FORCE_COLOUR = "#e39b2d"
TIME_COLOUR = "#4a6fa5"
KIND_COLOUR = "#7a8fb8"
#: Months are labelled every month, or every 2nd, 3rd … counted from January.
MONTH_LABEL_STEPS = (1, 2, 3, 6, 12, 24)
#: The periods of the chooser: (code, months back including this one; 0 = everything).
PERIODS = (("year", 12), ("three_years", 36), ("all", 0))


def _add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


class TrendsView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("incident_trends")
        self.trends: IncidentTrends | None = None
        self._stale = True

        self.period = QComboBox(objectName="trends_period")
        self.period.addItem(_("Last 12 months"), "year")
        self.period.addItem(_("Last 3 years"), "three_years")
        self.period.addItem(_("Everything"), "all")
        self.period.currentIndexChanged.connect(lambda _i: self.refresh())
        self.export_button = QPushButton(_("Export CSV…"), objectName="export_csv")
        self.export_button.clicked.connect(self.export_csv)
        self.summary = QLabel(objectName="trends_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.month_chart = BarChart()
        self.month_chart.setObjectName("incidents_per_month")
        self.month_chart.setMinimumHeight(260)
        self.hour_chart = BarChart()
        self.hour_chart.setObjectName("incidents_per_hour")
        self.hour_chart.show_totals = True
        self.hour_chart.show_legend = False
        self.weekday_chart = BarChart()
        self.weekday_chart.setObjectName("incidents_per_weekday")
        self.weekday_chart.show_totals = True
        self.weekday_chart.show_legend = False
        self.force_chart = BarChart()
        self.force_chart.setObjectName("force_per_month")
        self.force_chart.show_totals = True
        self.force_chart.show_legend = False
        self.kind_chart = HorizontalBarChart()
        self.kind_chart.setObjectName("incidents_per_kind")

        self.residents = QTreeWidget(objectName="repeated_residents")
        self.residents.setRootIsDecorated(False)
        self.residents.setUniformRowHeights(True)
        self.residents.setAlternatingRowColors(True)
        self.residents.setHeaderLabels(
            [_("Resident"), _("Person ID"), _("Incidents"),
             *(label(RESIDENT_ROLE_LABELS, role) for role in RESIDENT_ROLES), _("Kinds"),
             _("Last incident")])
        header = self.residents.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.residents.setMinimumHeight(260)
        self.residents_label = QLabel()

        note = QLabel(_(
            "Each incident counts once a month: as a crime if one of its kinds is reported to "
            "the police, else as a use of force if one of its kinds is, else as other. In the "
            "chart of kinds an incident counts once for each of its kinds. Times are Danish "
            "time; voided incidents are left out."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")

        top = QHBoxLayout()
        top.addWidget(QLabel(_("Period:")))
        top.addWidget(self.period)
        top.addStretch(1)
        top.addWidget(self.export_button)

        content = QWidget()
        body = QVBoxLayout(content)
        body.addWidget(self.summary)
        body.addWidget(self.month_chart)
        grid = QGridLayout()
        grid.addWidget(self.hour_chart, 0, 0)
        grid.addWidget(self.weekday_chart, 0, 1)
        grid.addWidget(self.force_chart, 1, 0)
        grid.addWidget(self.kind_chart, 1, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        body.addLayout(grid)
        body.addWidget(self.residents_label)
        body.addWidget(self.residents)
        body.addWidget(note)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        ctx.changed.connect(self._on_changed)

    # -- data ------------------------------------------------------------------------------
    def period_dates(self) -> tuple[date, date]:
        """The chosen period as local dates: whole months up to and including today."""
        today = local_today()
        months = dict(PERIODS)[self.period.currentData()]
        if months:
            return _add_months(today.replace(day=1), -(months - 1)), today
        first = trends_service.first_incident_day(self.ctx.db, self.ctx.actor)
        return (first or today).replace(day=1), today

    def refresh(self) -> None:
        self._stale = False
        try:
            since, until = self.period_dates()
            self.trends = trends_service.incident_trends(self.ctx.db, self.ctx.actor,
                                                         since=since, until=until)
        except DomainError as error:
            self.trends = None
            self.summary.setText(str(error))
            self.export_button.setEnabled(False)
            return
        self.export_button.setEnabled(True)
        self._show(self.trends)

    def _show(self, t: IncidentTrends) -> None:
        locale = current_locale()
        self.summary.setText(_(
            "{incidents} incidents from {since} to {until}; {force} uses of force; "
            "{residents} residents involved, {repeated} of them in two or more incidents."
        ).format(incidents=format_number(t.total),
                 since=babel_dates.format_date(t.since, "medium", locale=locale),
                 until=babel_dates.format_date(t.until, "medium", locale=locale),
                 force=format_number(t.uses_of_force),
                 residents=format_number(t.residents_involved),
                 repeated=format_number(len(t.residents))))
        pattern = "MMM y" if len(t.months) <= 12 else "MMM yy"
        months = [babel_dates.format_date(m.month, pattern, locale=locale) for m in t.months]
        for chart in (self.month_chart, self.force_chart):
            chart.label_steps, chart.label_phase = MONTH_LABEL_STEPS, t.since.month - 1
        self.month_chart.set_data(
            _("Incidents per month"), months,
            [Series(label(KIND_GROUP_LABELS, g), GROUP_COLOURS[g],
                    [m.by_group.get(g, 0) for m in t.months]) for g in KIND_GROUPS])
        self.force_chart.set_data(
            _("Uses of force per month"), months,
            [Series(_("Uses of force"), FORCE_COLOUR, list(t.force_by_month))])
        self.hour_chart.set_data(
            _("Incidents by hour of day"), [f"{h:02d}" for h in range(24)],
            [Series(_("Incidents"), TIME_COLOUR, list(t.by_hour))])
        names = babel_dates.get_day_names("abbreviated", locale=locale)
        self.weekday_chart.set_data(
            _("Incidents by weekday"), [names[d] for d in range(7)],
            [Series(_("Incidents"), TIME_COLOUR, list(t.by_weekday))])
        kinds = sorted(((n, k) for k, n in t.by_kind.items() if n), key=lambda p: -p[0])
        self.kind_chart.set_data(
            _("Incidents by kind"), [label(INCIDENT_KIND_LABELS, k) for _n, k in kinds],
            [Series(_("Incidents"), KIND_COLOUR, [n for n, _k in kinds])])

        self.residents_label.setText(ngettext(
            "{count} resident involved in two or more incidents:",
            "{count} residents involved in two or more incidents:",
            len(t.residents)).format(count=format_number(len(t.residents))))
        self.residents.clear()
        # Labels and the date format are looked up once: the list can be long (10 years).
        kind_names = {k: label(INCIDENT_KIND_LABELS, k) for k in t.by_kind}
        babel_locale = Locale.parse(locale)
        right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        items = []
        for r in t.residents:
            kinds_text = ", ".join(f"{kind_names.get(k, k)} ({n})" for k, n in r.kinds.items())
            last = babel_dates.format_datetime(r.last_at, "short", tzinfo=LOCAL_TZ,
                                               locale=babel_locale)
            item = QTreeWidgetItem([r.name, r.person_id, str(r.incidents),
                                    *(str(r.roles.get(role, 0)) for role in RESIDENT_ROLES),
                                    kinds_text, last])
            item.setToolTip(6, kinds_text)
            for column in range(2, 6):
                item.setTextAlignment(column, right)
            item.setData(0, Qt.ItemDataRole.UserRole, str(r.resident_id))
            items.append(item)
        self.residents.addTopLevelItems(items)
        for column in (0, 1, 2, 3, 4, 5, 7):
            self.residents.resizeColumnToContents(column)

    def _on_changed(self, changes: Changes) -> None:
        if changes.incidents or changes.residents:
            self._stale = True
            if self.isVisible():
                self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    # -- export ----------------------------------------------------------------------------
    def suggested_file_name(self) -> str:
        since, until = self.period_dates() if self.trends is None else (self.trends.since,
                                                                        self.trends.until)
        return _("incident-trends") + f"-{since:%Y-%m-%d}-{until:%Y-%m-%d}.csv"

    def export_to(self, path: str | Path) -> Path:
        """Write the shown period's tables as CSV to ``path`` (``.csv`` added if missing)."""
        if self.trends is None or self._stale:
            self.refresh()
        if self.trends is None:
            raise DomainError(self.summary.text())
        target = Path(path)
        if target.suffix.lower() != ".csv":
            target = target.with_name(target.name + ".csv")
        return trends_service.write_trends_csv(self.trends, target)

    def export_csv(self) -> Path | None:
        folder = (QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
                  or str(Path.home()))
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export CSV"), str(Path(folder) / self.suggested_file_name()),
            _("CSV files (*.csv)"))
        if not path:
            return None
        try:
            return self.export_to(path)
        except (OSError, DomainError) as error:
            QMessageBox.warning(self, _("Export CSV"), _(
                "The table could not be saved to {path}: {error}").format(
                    path=path, error=getattr(error, "strerror", None) or error))
            return None

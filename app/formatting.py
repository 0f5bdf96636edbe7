"""Dates, times, numbers and DKK amounts for the current UI language, through Babel.

Times are stored in UTC and shown in Europe/Copenhagen.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from app.i18n import current_locale

LOCAL_TZ = ZoneInfo("Europe/Copenhagen")


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime | str | None) -> datetime | None:
    """A UTC moment from an aggregate (max, min) over a UTC column, which SQLite returns
    without the column's type: naive or as text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def to_local(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: times are stored in UTC and must carry a timezone")
    return moment.astimezone(LOCAL_TZ)


def local_today(now: datetime | None = None) -> date:
    return to_local(now or utcnow()).date()


def format_date(value: date | None, format: str = "medium") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return babel_dates.format_date(value, format=format, locale=current_locale())


def format_datetime(value: datetime | None, format: str = "short") -> str:
    if value is None:
        return ""
    local = to_local(value)
    return babel_dates.format_datetime(local, format=format, tzinfo=LOCAL_TZ, locale=current_locale())


def format_time(value: datetime | None, format: str = "short") -> str:
    if value is None:
        return ""
    return babel_dates.format_time(to_local(value), format=format, tzinfo=LOCAL_TZ,
                                   locale=current_locale())


def format_number(value: int | float | Decimal) -> str:
    return babel_numbers.format_decimal(value, locale=current_locale())


def format_dkk(amount: int | float | Decimal) -> str:
    return babel_numbers.format_currency(amount, "DKK", locale=current_locale())


def parse_dkk(raw: Decimal | str | None) -> Decimal | None:
    """An amount of kroner as staff type it: "1.250,50", "1250,5", "1250.50" or "1.250"
    (1250: a dot before groups of three digits separates thousands, kroner have two
    decimals). ``None`` for blank; ``ValueError`` naming the text for anything else."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, Decimal):
        value = raw
    else:
        text = str(raw).strip().replace(" ", "").replace("kr.", "").replace("kr", "")
        if "," in text or re.fullmatch(r"\d{1,3}(\.\d{3})+", text):
            text = text.replace(".", "").replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValueError(text) from None
    if not value.is_finite():  # "NaN", "Infinity": not amounts (and NaN cannot be compared)
        raise ValueError(str(raw))
    return value

"""The demo centre: a realistic, deterministic children's centre with years of history.

``generate`` builds it into a new SQLite file (``centredesk demo``, the GUI's demo
button, the benchmarks). Everything random comes from one ``random.Random(seed)``, so
the same seed and ``today`` give the same centre (ids included; only the device id and
the audit entries written by the services differ).

How it is built — the timeline:

1. ``_make_rooms`` and ``_make_staff``: rooms and beds (a separate street-oriented
   section of ~15 %), the staff roster, and which contact persons leave during the
   simulated years and who replaces them.
2. ``_initial_population``: the residents already living at the centre on the first
   simulated day (they arrived before it).
3. ``_simulate``: one day at a time from the first day to ``today``; every day runs
   ``DAILY_STEPS`` in order: move-outs planned for the day, contact persons leaving
   (their residents are handed over), planned room changes, then new arrivals, which
   keep the occupancy at ~85–95 %. A stay's length and how it ends are planned on
   arrival (``_plan_stay``); nobody stays past the 18th birthday.
3b. ``_plan_attendance``, a pass over ``demo.stays`` once the stays are known: three
   rounds a day at the default times (08, 15, 22 Copenhagen; today only those started by
   the generation time), each taken by someone on shift (the evening round by the night
   staff); approved leave (weekends with family, hospital, school trips, a private
   accommodation trial before such a move-out), never overlapping; missing cases — most
   "departed" move-outs end days of absent marks, and residents (far more often in the
   street-oriented section) go missing and come back hours or days later — with the
   reports made mostly before the ``report_due`` deadline; and, if the simulation left
   none, one case due soon and one overdue today for the Today page. Marks are not kept:
   ``_round_rows`` makes them while writing (~800,000 for ten years), from the rounds,
   the leave and the cases (mostly "present", "school" on weekday afternoons).
3c. ``_plan_reception``, a pass after the attendance (it needs the missing cases and leave):
   the lost-property register — every unannounced departure (a "departed" move-out after a
   missing case) is followed 1–3 days later by clearing the room: one batch of 1–6 items
   with the person IDs of the room's occupants (``occupants``' rule), perishables logged
   and discarded at once, the rest kept until the resident comes back or fetches them, or
   until the retention ends (``app.rules.lost_property``), then destroyed or given to
   charity on that day or a few days later, never before; a few finds a month in the common
   areas, mostly claimed within the 3-working-day owner search, else handed to the police;
   now and then a corrected disposition; and something due today. Register numbers
   "YYYY-NNNN" count per year found in the order items were logged. Then the visitor log:
   each stay's circle (the personal representative, relatives and friends from the
   resident's country, volunteer mentors, a caseworker before a transfer) visits now and
   then, signed in and out by the staff on shift, a few turned away, 0–3 in the building
   now. After writing, ``visitors.erase_expired_identities`` erases the identity of visits
   older than the centre's retention, as the daily cleanup would have.
3d. ``_plan_incidents``, a pass after the reception (it needs the missing cases and leave):
   the incident log as ``services.incidents`` would have written it. A few a week; per
   resident far more in the street-oriented section (violence, threats, theft, vandalism,
   searches with drugs confiscated); some self-harm, serious conflicts and refused tasks,
   rarely radicalisation or harassment; more in the evening, at night and at weekends; a
   propensity per resident brings the same few back again and again (``SCENARIOS``,
   ``PROPENSITY``). The residents were at home then (not on leave, not missing), except a
   missing minor whom staff bring back (bring_back, just before the case closes). The
   reporter was on shift when it was noticed (the night staff at night). The checklist is
   ``required_reports`` (now and then a report staff add), done by the staff on duty within
   hours or the next morning (the police with a journal number), a few still waiting now,
   some overdue (``_incidents_for_today``); the minor is told and gives a view or declines a
   day or two later (``record_statement``); confiscated items go to the police or back. A few
   are corrected (version 1 kept and the parts written again, as ``correct_incident`` does),
   and now and then one logged twice is voided by the leader. Numbers "YYYY-NNNN" count per
   year it happened, in the order logged.
3e. ``app.demo_notes.plan_notes``, a pass after the incidents with its own random stream:
   the shift observations — several notes per resident per week, mostly by the contact
   persons, some by the night staff, a few concerns acknowledged by the primary contact
   person and a coordinator (a couple still waiting today), some corrected the same day or
   days later (the earlier words kept), a very few deleted.
3f. ``app.demo_plans.plan_plans``, a pass after the notes with its own random stream: the
   development plans — version 1 made with the resident and signed off weeks after arrival,
   goals (everyday skills for 13–17 year olds) with action plans, reviews every 6–10 weeks,
   the next version started from a signed-off one at the next review.
4. ``_write``: the simulated objects become rows, inserted in batches with SQLAlchemy
   Core inside one ``db.unit(SYSTEM, audit=False)``. Core inserts bypass the unit of
   work's hook, so ``_synced`` fills the sync columns here; one summary audit entry says
   that the demo was generated.

To add another area (rounds, notes, incidents, lost property, visitors …): keep its
simulated objects on ``_Demo``, add a daily step to ``DAILY_STEPS`` (or a pass after
``_simulate`` over ``demo.stays``), and append its rows in ``_rows`` in foreign-key order.
"""

from __future__ import annotations

import bisect
import itertools
import math
import os
import random
import sqlite3
import threading
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from app.db import Database, open_database
from app.formatting import LOCAL_TZ, format_date, local_today, to_local, utcnow
from app.fts import index_suspended
from app.i18n import _
from app.models import (
    AllowanceDecision,
    AttendanceMark,
    AttendanceRound,
    Bed,
    BedAssignment,
    Centre,
    ConfiscatedItem,
    ContactAssignment,
    Incident,
    IncidentReport,
    IncidentResident,
    IncidentStaff,
    IncidentVersion,
    Leave,
    LostItem,
    LostItemDisposition,
    MissingCase,
    MissingReport,
    Resident,
    Room,
    Staff,
    UseOfForce,
    Visit,
)
from app.models.attendance import MISSING_REPORT_KINDS
from app.models.reception import (
    DISPOSITION_CHARITY,
    DISPOSITION_DESTROYED,
    DISPOSITION_DISCARDED,
    DISPOSITION_POLICE,
    DISPOSITION_RETURNED,
    ORIGIN_COMMON,
    ORIGIN_VACATED,
)
from app.models.residents import (
    CONTACT_PRIMARY,
    CONTACT_SECONDARY,
    STATUS_DEPARTED,
    STATUS_IN_RESIDENCE,
    STATUS_INTEGRATION,
    STATUS_MISSING,
    STATUS_MOVED_CENTRE,
    STATUS_PRIVATE_ACCOMMODATION,
)
from app.permissions import Role, role_label
from app.rules.absence import (
    MARK_ABSENT,
    MARK_HOSPITAL,
    MARK_LEAVE,
    MARK_OTHER,
    MARK_PRESENT,
    MARK_SCHOOL,
    OLDER_CHILD_AGE,
    report_due,
)
from app.rules.lost_property import HIGH_VALUE_DKK, owner_search_ends, retention_ends
from app.rules.reports import required_reports
from app.rules.residents import ADULT_AGE, age_on, is_minor_on
from app.rules.rounds import DEFAULT_ROUND_TIMES, ROUND_SLOTS, parse_round_times, planned_at
from app.services import visitors
from app.services.centre import initialise_centre
from app.services.incidents import (
    EXTRA_REPORT_CODES,
    ConfiscatedView,
    ForceView,
    IncidentDetail,
    ReportLine,
)
from app.services.lost_property import OCCUPANT_LOOKBACK_DAYS
from app.services.visitors import visitor_key
from app.sync.capture import backfill
from app.unit_of_work import SYSTEM, audit_entry, jsonable

CENTRE_NAME = "Børnecenter Sandholm"
CENTRE_CODE = "SANDHOLM"
ADMIN_USERNAME = "admin"
#: Every demo user has this password; it is printed with the list of users.
DEMO_PASSWORD = "demo1234"

#: Share of the beds in the separate section for minors with street-oriented behaviour.
STREET_SECTION_SHARE = 0.15
#: Residents per contact person (7 primary + 7 secondary, ``004_…`` §3.1.1).
RESIDENTS_PER_CONTACT = 7
#: Occupancy the arrivals aim at, and the most they may fill.
TARGET_OCCUPANCY, MAX_OCCUPANCY = 0.90, 0.97
#: Share of contact persons who leave in a year (and are replaced).
CONTACT_TURNOVER_PER_YEAR = 0.15
#: Rows per Core insert.
BATCH_SIZE = 2000

_REASONS = (STATUS_DEPARTED, STATUS_MOVED_CENTRE, STATUS_INTEGRATION,
            STATUS_PRIVATE_ACCOMMODATION)


# --- what the caller gets -------------------------------------------------------------

@dataclass(frozen=True)
class Progress:
    message: str
    done: int
    total: int


@dataclass(frozen=True)
class DemoResult:
    centre_name: str
    centre_code: str
    first_day: date
    last_day: date
    staff: int
    former_staff: int
    residents_current: int
    residents_former: int
    arrivals: int
    departures: int
    room_changes: int
    rooms: int
    beds: int
    credentials: list[tuple[str, str, tuple[str, ...]]]
    rounds: int = 0
    marks: int = 0
    leave: int = 0
    missing_cases: int = 0
    missing_open: int = 0
    lost_items: int = 0
    lost_batches: int = 0
    lost_kept: int = 0
    lost_due: int = 0
    visits: int = 0
    visits_turned_away: int = 0
    visitors_in_building: int = 0
    visits_erased: int = 0
    incidents: int = 0
    incidents_street: int = 0
    uses_of_force: int = 0
    incident_reports: int = 0
    incident_reports_open: int = 0
    incidents_corrected: int = 0
    incidents_voided: int = 0
    observations: int = 0
    observation_concerns: int = 0
    observations_revised: int = 0

    @property
    def residents(self) -> int:
        return self.residents_current + self.residents_former


# --- reference data -------------------------------------------------------------------

Name = tuple[str, str | None]  # (as registered in Latin letters, in the person's own script)


@dataclass(frozen=True)
class Origin:
    nationality: str
    weight: float            # share of arrivals in the general section
    street_weight: float     # share of arrivals in the street-oriented section
    male_share: float
    boys: tuple[Name, ...]
    girls: tuple[Name, ...]
    families: tuple[Name, ...]
    languages: Callable[[random.Random], list[str]]
    script_order: str = "given_family"  # or "family_given" (Vietnamese)
    arrives_from: date | None = None    # e.g. Ukrainians since the war


def _langs_afghanistan(rng: random.Random) -> list[str]:
    if rng.random() < 0.6:
        langs = ["Dari"]
    else:
        langs = ["Pashto", "Dari"] if rng.random() < 0.5 else ["Pashto"]
    return langs + (["English"] if rng.random() < 0.2 else [])


def _langs_syria(rng: random.Random) -> list[str]:
    langs = ["Kurdish (Kurmanji)", "Arabic"] if rng.random() < 0.15 else ["Arabic"]
    return langs + (["English"] if rng.random() < 0.25 else [])


def _langs_eritrea(rng: random.Random) -> list[str]:
    return (["Tigrinya"] + (["Arabic"] if rng.random() < 0.2 else [])
            + (["English"] if rng.random() < 0.25 else []))


def _langs_somalia(rng: random.Random) -> list[str]:
    return (["Somali"] + (["Arabic"] if rng.random() < 0.3 else [])
            + (["English"] if rng.random() < 0.2 else []))


def _langs_morocco(rng: random.Random) -> list[str]:
    langs = ["Tamazight", "Arabic"] if rng.random() < 0.15 else ["Arabic"]
    if rng.random() < 0.4:
        langs.append("French")
    if rng.random() < 0.2:
        langs.append("Spanish")
    return langs


def _langs_algeria(rng: random.Random) -> list[str]:
    return (["Tamazight", "Arabic", "French"] if rng.random() < 0.15
            else ["Arabic", "French"])


def _langs_iran(rng: random.Random) -> list[str]:
    return (["Farsi"] + (["Kurdish (Sorani)"] if rng.random() < 0.15 else [])
            + (["English"] if rng.random() < 0.2 else []))


def _langs_iraq(rng: random.Random) -> list[str]:
    return ["Kurdish (Sorani)", "Arabic"] if rng.random() < 0.35 else ["Arabic"]


def _langs_ukraine(rng: random.Random) -> list[str]:
    return ["Ukrainian", "Russian"] + (["English"] if rng.random() < 0.3 else [])


def _langs_sudan(rng: random.Random) -> list[str]:
    return ["Arabic"] + (["English"] if rng.random() < 0.2 else [])


def _langs_vietnam(rng: random.Random) -> list[str]:
    return ["Vietnamese"]


# Dari/Pashto and Farsi names in Persian letters (ی, ک), Arabic names in Arabic letters.
_AFGHAN_BOYS: tuple[Name, ...] = (
    ("Ahmad", "احمد"), ("Mohammad", "محمد"), ("Ali", "علی"), ("Hamid", "حمید"),
    ("Mustafa", "مصطفی"), ("Rahim", "رحیم"), ("Hussain", "حسین"), ("Murtaza", "مرتضی"),
    ("Jawad", "جواد"), ("Farhad", "فرهاد"), ("Omid", "امید"), ("Reza", "رضا"),
    ("Jawid", "جاوید"), ("Nasir", "ناصر"), ("Sohrab", "سهراب"), ("Abdullah", "عبدالله"),
    ("Khalid", "خالد"), ("Bilal", "بلال"), ("Wahid", "وحید"), ("Masoud", "مسعود"),
    ("Idris", "ادریس"), ("Naveed", "نوید"), ("Sayed", "سید"), ("Yusuf", "یوسف"),
)
_AFGHAN_GIRLS: tuple[Name, ...] = (
    ("Fatima", "فاطمه"), ("Zahra", "زهرا"), ("Maryam", "مریم"), ("Sara", "سارا"),
    ("Nargis", "نرگس"), ("Parwana", "پروانه"), ("Shabnam", "شبنم"), ("Marwa", "مروه"),
)
_AFGHAN_FAMILIES: tuple[Name, ...] = (
    ("Karimi", "کریمی"), ("Ahmadi", "احمدی"), ("Rahimi", "رحیمی"), ("Hosseini", "حسینی"),
    ("Mohammadi", "محمدی"), ("Sultani", "سلطانی"), ("Noori", "نوری"), ("Haidari", "حیدری"),
    ("Rezaei", "رضایی"), ("Sadat", "سادات"), ("Amiri", "امیری"), ("Jafari", "جعفری"),
    ("Stanikzai", "ستانکزی"), ("Safi", "صافی"), ("Popal", "پوپل"), ("Wardak", "وردک"),
    ("Niazi", "نیازی"), ("Hakimi", "حکیمی"), ("Azimi", "عظیمی"), ("Yousufzai", "یوسفزی"),
)
_SYRIAN_BOYS: tuple[Name, ...] = (
    ("Mohammed", "محمد"), ("Ahmad", "أحمد"), ("Omar", "عمر"), ("Khaled", "خالد"),
    ("Yousef", "يوسف"), ("Mahmoud", "محمود"), ("Ibrahim", "إبراهيم"), ("Hassan", "حسن"),
    ("Hussein", "حسين"), ("Abdulrahman", "عبد الرحمن"), ("Rami", "رامي"), ("Amjad", "أمجد"),
    ("Anas", "أنس"), ("Hamza", "حمزة"), ("Moaz", "معاذ"), ("Karam", "كرم"), ("Fadi", "فادي"),
    ("Majd", "مجد"),
)
_SYRIAN_GIRLS: tuple[Name, ...] = (
    ("Fatima", "فاطمة"), ("Aya", "آية"), ("Rama", "راما"), ("Nour", "نور"), ("Hiba", "هبة"),
    ("Lina", "لينا"),
)
_SYRIAN_FAMILIES: tuple[Name, ...] = (
    ("Al-Hassan", "الحسن"), ("Haddad", "حداد"), ("Khalil", "خليل"), ("Al-Ali", "العلي"),
    ("Ibrahim", "إبراهيم"), ("Darwish", "درويش"), ("Sabbagh", "صباغ"), ("Hamdan", "حمدان"),
    ("Al-Ahmad", "الأحمد"), ("Mansour", "منصور"), ("Kurdi", "كردي"), ("Othman", "عثمان"),
    ("Al-Shami", "الشامي"), ("Najjar", "نجار"), ("Qasem", "قاسم"),
)
_IRAQI_BOYS: tuple[Name, ...] = (
    ("Mustafa", "مصطفى"), ("Ali", "علي"), ("Hussein", "حسين"), ("Abbas", "عباس"),
    ("Haidar", "حيدر"), ("Karrar", "كرار"), ("Sajjad", "سجاد"), ("Zaid", "زيد"),
    ("Ammar", "عمار"), ("Aram", "ئارام"), ("Dilshad", "دلشاد"), ("Shwan", "شوان"),
)
_IRAQI_GIRLS: tuple[Name, ...] = (
    ("Zainab", "زينب"), ("Maryam", "مريم"), ("Noor", "نور"), ("Sara", "سارة"),
)
_IRAQI_FAMILIES: tuple[Name, ...] = (
    ("Al-Jubouri", "الجبوري"), ("Al-Obaidi", "العبيدي"), ("Al-Saadi", "الساعدي"),
    ("Al-Tamimi", "التميمي"), ("Kadhim", "كاظم"), ("Jassim", "جاسم"), ("Salih", "صالح"),
    ("Rasul", "رسول"), ("Aziz", "عزيز"), ("Mahmoud", "محمود"),
)
_IRANIAN_BOYS: tuple[Name, ...] = (
    ("Amir", "امیر"), ("Reza", "رضا"), ("Arash", "آرش"), ("Mehdi", "مهدی"),
    ("Hossein", "حسین"), ("Ali", "علی"), ("Saeed", "سعید"), ("Milad", "میلاد"),
    ("Navid", "نوید"), ("Babak", "بابک"), ("Kian", "کیان"), ("Pouya", "پویا"),
)
_IRANIAN_GIRLS: tuple[Name, ...] = (
    ("Sara", "سارا"), ("Maryam", "مریم"), ("Nazanin", "نازنین"), ("Parisa", "پریسا"),
    ("Shirin", "شیرین"),
)
_IRANIAN_FAMILIES: tuple[Name, ...] = (
    ("Rezaei", "رضایی"), ("Hosseini", "حسینی"), ("Moradi", "مرادی"), ("Karimi", "کریمی"),
    ("Ahmadi", "احمدی"), ("Jafari", "جعفری"), ("Ghasemi", "قاسمی"), ("Rostami", "رستمی"),
    ("Sadeghi", "صادقی"), ("Kazemi", "کاظمی"), ("Bahrami", "بهرامی"), ("Mirzaei", "میرزایی"),
)
_MOROCCAN_BOYS: tuple[Name, ...] = (
    ("Youssef", "يوسف"), ("Mohamed", "محمد"), ("Ayoub", "أيوب"), ("Hamza", "حمزة"),
    ("Anas", "أنس"), ("Ilyas", "إلياس"), ("Zakaria", "زكرياء"), ("Bilal", "بلال"),
    ("Soufiane", "سفيان"), ("Amine", "أمين"), ("Mehdi", "مهدي"), ("Othmane", "عثمان"),
    ("Reda", "رضا"), ("Yassine", "ياسين"), ("Adam", "آدم"),
)
_MOROCCAN_GIRLS: tuple[Name, ...] = (("Salma", "سلمى"), ("Imane", "إيمان"), ("Khadija", "خديجة"))
_MOROCCAN_FAMILIES: tuple[Name, ...] = (
    ("El Amrani", "العمراني"), ("Benali", "بنعلي"), ("El Idrissi", "الإدريسي"),
    ("Bouzid", "بوزيد"), ("Alaoui", "العلوي"), ("Tazi", "التازي"), ("Chakir", "شاكر"),
    ("El Fassi", "الفاسي"), ("Berrada", "برادة"), ("Bennani", "بناني"),
    ("El Khattabi", "الخطابي"), ("Ziani", "الزياني"),
)
_ALGERIAN_BOYS: tuple[Name, ...] = (
    ("Karim", "كريم"), ("Walid", "وليد"), ("Rayan", "ريان"), ("Sofiane", "سفيان"),
    ("Nassim", "نسيم"), ("Amine", "أمين"), ("Mohamed", "محمد"), ("Abdelkader", "عبد القادر"),
    ("Yacine", "ياسين"), ("Islam", "إسلام"), ("Fares", "فارس"),
)
_ALGERIAN_GIRLS: tuple[Name, ...] = (("Amira", "أميرة"), ("Yasmine", "ياسمين"))
_ALGERIAN_FAMILIES: tuple[Name, ...] = (
    ("Boudiaf", "بوضياف"), ("Belkacem", "بلقاسم"), ("Haddad", "حداد"), ("Meziane", "مزيان"),
    ("Bouazza", "بوعزة"), ("Saidi", "السعيدي"), ("Brahimi", "براهيمي"), ("Mansouri", "منصوري"),
    ("Cherif", "شريف"), ("Khelifi", "خليفي"), ("Benali", "بن علي"),
)
_SUDANESE_BOYS: tuple[Name, ...] = (
    ("Mohamed", "محمد"), ("Osman", "عثمان"), ("Adam", "آدم"), ("Ibrahim", "إبراهيم"),
    ("Musa", "موسى"), ("Abdelrahman", "عبد الرحمن"), ("Elsadig", "الصادق"),
)
_SUDANESE_GIRLS: tuple[Name, ...] = (("Amna", "آمنة"), ("Fatima", "فاطمة"))
_SUDANESE_FAMILIES: tuple[Name, ...] = (
    ("Abdalla", "عبد الله"), ("Osman", "عثمان"), ("Ahmed", "أحمد"), ("Yagoub", "يعقوب"),
    ("Ismail", "إسماعيل"), ("Elnour", "النور"), ("Hamid", "حامد"),
)
# Tigrinya names in Ge'ez script.
_ERITREAN_BOYS: tuple[Name, ...] = (
    ("Yonas", "ዮናስ"), ("Dawit", "ዳዊት"), ("Samuel", "ሳሙኤል"), ("Mikael", "ሚካኤል"),
    ("Habtom", "ሃብቶም"), ("Kibrom", "ክብሮም"), ("Aman", "ኣማን"), ("Yohannes", "ዮሃንስ"),
    ("Robel", "ሮቤል"), ("Biniam", "ቢንያም"),
)
_ERITREAN_GIRLS: tuple[Name, ...] = (
    ("Helen", "ሄለን"), ("Selam", "ሰላም"), ("Senait", "ሰናይት"), ("Luwam", "ሉዋም"),
)
_ERITREAN_FAMILIES: tuple[Name, ...] = (
    ("Tesfay", "ተስፋይ"), ("Haile", "ሃይለ"), ("Tekle", "ተኽለ"), ("Berhane", "ብርሃነ"),
    ("Mebrahtu", "መብራህቱ"), ("Kidane", "ኪዳነ"), ("Woldu", "ወልዱ"), ("Ghirmay", "ግርማይ"),
    ("Mehari", "መሓሪ"), ("Asmerom", "ኣስመሮም"),
)
# Somali is written in Latin letters: no separate own-script name.
_SOMALI_BOYS: tuple[Name, ...] = tuple((n, None) for n in (
    "Abdirahman", "Mohamed", "Abdullahi", "Ahmed", "Hassan", "Farah", "Liban", "Abdiaziz",
    "Yusuf", "Ismail", "Mahad", "Guled"))
_SOMALI_GIRLS: tuple[Name, ...] = tuple((n, None) for n in (
    "Hodan", "Fadumo", "Ayaan", "Ifrah", "Sagal", "Hibo"))
_SOMALI_FAMILIES: tuple[Name, ...] = tuple((n, None) for n in (
    "Ali", "Hassan", "Farah", "Warsame", "Abdi", "Osman", "Jama", "Nur", "Aden", "Egal",
    "Mohamud", "Hussein"))
_UKRAINIAN_BOYS: tuple[Name, ...] = (
    ("Oleksandr", "Олександр"), ("Andrii", "Андрій"), ("Dmytro", "Дмитро"),
    ("Maksym", "Максим"), ("Artem", "Артем"), ("Bohdan", "Богдан"), ("Danylo", "Данило"),
    ("Ivan", "Іван"), ("Mykyta", "Микита"), ("Nazar", "Назар"),
)
_UKRAINIAN_GIRLS: tuple[Name, ...] = (
    ("Anastasiia", "Анастасія"), ("Sofiia", "Софія"), ("Yana", "Яна"), ("Daryna", "Дарина"),
    ("Kateryna", "Катерина"),
)
_UKRAINIAN_FAMILIES: tuple[Name, ...] = (
    ("Kovalenko", "Коваленко"), ("Shevchenko", "Шевченко"), ("Bondarenko", "Бондаренко"),
    ("Tkachenko", "Ткаченко"), ("Kravchenko", "Кравченко"), ("Melnyk", "Мельник"),
    ("Boiko", "Бойко"), ("Koval", "Коваль"), ("Oliinyk", "Олійник"), ("Lysenko", "Лисенко"),
)
_VIETNAMESE_BOYS: tuple[Name, ...] = (
    ("Van Minh", "Văn Minh"), ("Duc", "Đức"), ("Tuan", "Tuấn"), ("Van Nam", "Văn Nam"),
    ("Long", "Long"), ("Quang Huy", "Quang Huy"),
)
_VIETNAMESE_GIRLS: tuple[Name, ...] = (("Thi Linh", "Thị Linh"), ("Thu Trang", "Thu Trang"))
_VIETNAMESE_FAMILIES: tuple[Name, ...] = (
    ("Nguyen", "Nguyễn"), ("Tran", "Trần"), ("Le", "Lê"), ("Pham", "Phạm"), ("Hoang", "Hoàng"),
    ("Vu", "Vũ"), ("Dang", "Đặng"),
)

ORIGINS: tuple[Origin, ...] = (
    Origin("Afghanistan", 28, 4, 0.93, _AFGHAN_BOYS, _AFGHAN_GIRLS, _AFGHAN_FAMILIES,
           _langs_afghanistan),
    Origin("Syria", 15, 3, 0.85, _SYRIAN_BOYS, _SYRIAN_GIRLS, _SYRIAN_FAMILIES, _langs_syria),
    Origin("Eritrea", 11, 0, 0.70, _ERITREAN_BOYS, _ERITREAN_GIRLS, _ERITREAN_FAMILIES,
           _langs_eritrea),
    Origin("Somalia", 8, 0, 0.75, _SOMALI_BOYS, _SOMALI_GIRLS, _SOMALI_FAMILIES, _langs_somalia),
    Origin("Morocco", 8, 55, 0.97, _MOROCCAN_BOYS, _MOROCCAN_GIRLS, _MOROCCAN_FAMILIES,
           _langs_morocco),
    Origin("Algeria", 5, 35, 0.97, _ALGERIAN_BOYS, _ALGERIAN_GIRLS, _ALGERIAN_FAMILIES,
           _langs_algeria),
    Origin("Iran", 6, 0, 0.85, _IRANIAN_BOYS, _IRANIAN_GIRLS, _IRANIAN_FAMILIES, _langs_iran),
    Origin("Iraq", 6, 0, 0.88, _IRAQI_BOYS, _IRAQI_GIRLS, _IRAQI_FAMILIES, _langs_iraq),
    Origin("Ukraine", 4, 0, 0.55, _UKRAINIAN_BOYS, _UKRAINIAN_GIRLS, _UKRAINIAN_FAMILIES,
           _langs_ukraine, arrives_from=date(2022, 3, 1)),
    Origin("Sudan", 4, 3, 0.95, _SUDANESE_BOYS, _SUDANESE_GIRLS, _SUDANESE_FAMILIES,
           _langs_sudan),
    Origin("Vietnam", 3, 0, 0.60, _VIETNAMESE_BOYS, _VIETNAMESE_GIRLS, _VIETNAMESE_FAMILIES,
           _langs_vietnam, script_order="family_given"),
)
_ORIGIN_BY_NATIONALITY = {origin.nationality: origin for origin in ORIGINS}
# Common Afghan and Arabic first given names that often come before another.
# Nationalities as Danish staff type them into the register.
NATIONALITY_AS_TYPED = {"Afghanistan": "Afghanistan", "Algeria": "Algeriet", "Eritrea": "Eritrea",
                        "Iran": "Iran", "Iraq": "Irak", "Morocco": "Marokko",
                        "Somalia": "Somalia", "Sudan": "Sudan", "Syria": "Syrien",
                        "Ukraine": "Ukraine", "Vietnam": "Vietnam"}

_FIRST_GIVEN = {"Afghanistan": ("Mohammad", "محمد"), "Syria": ("Mohammed", "محمد"),
                "Iraq": ("Mohammed", "محمد"), "Sudan": ("Mohamed", "محمد")}

_DANISH_MEN = ("Anders", "Mads", "Jens", "Lars", "Henrik", "Søren", "Thomas", "Martin", "Peter",
               "Rasmus", "Christian", "Jakob", "Mikkel", "Frederik", "Kasper", "Niels", "Morten",
               "Jesper", "Ole", "Kim", "Emil", "Jonas")
_DANISH_WOMEN = ("Mette", "Anne", "Hanne", "Lene", "Pernille", "Camilla", "Louise", "Sofie",
                 "Maria", "Marianne", "Helle", "Tina", "Susanne", "Julie", "Ida", "Karen",
                 "Birgitte", "Charlotte", "Line", "Trine", "Signe", "Rikke")
_DANISH_FAMILIES = ("Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen",
                    "Larsen", "Sørensen", "Rasmussen", "Jørgensen", "Petersen", "Madsen",
                    "Kristensen", "Olsen", "Thomsen", "Christiansen", "Poulsen", "Johansen",
                    "Møller", "Mortensen", "Holm", "Lund", "Dahl", "Bach", "Skov", "Friis",
                    "Vestergaard", "Kjær", "Winther", "Lauridsen")
# Centres employ staff who speak the residents' languages.
_STAFF_WITH_LANGUAGES = ("Yasmin Khalil", "Ali Hussaini", "Samira Haddad", "Tesfay Ghebremariam",
                         "Farid Rahimi", "Leila Mansour")

_SPECIAL_NEEDS_NOTES = (
    "Traumebehandling hos psykolog hver 14. dag.",
    "Diabetes type 1: insulin morgen og aften.",
    "Astma: inhalator skal altid være med.",
    "Nedsat hørelse på venstre øre.",
    "Søvnbesvær og mareridt; nattevagten er orienteret.",
    "Nøddeallergi: EpiPen i personalerummet.",
    "Epilepsi: medicin morgen og aften.",
    "Behov for tolk ved alle samtaler (kun Pashto).",
)
_MUNICIPALITIES = ("Københavns", "Aarhus", "Odense", "Aalborg", "Esbjerg", "Vejle", "Horsens",
                   "Randers", "Kolding", "Herning", "Silkeborg", "Næstved", "Holbæk",
                   "Slagelse", "Viborg", "Svendborg", "Hjørring", "Sønderborg", "Aabenraa")
_MOVED_CENTRE_NOTES = ("Flyttet til Børnecenter Tønder.",
                       "Flyttet til et mindre børnecenter efter fase 1.",
                       "Flyttet efter aftale med Udlændingestyrelsen.", None, None)
# A departure after a missing case ("udeblevet") or one the centre knew of.
_VANISHED_NOTES = ("Udeblevet; formodes udrejst til Sverige.", "Udeblevet og meldt udrejst i IBS.")
_DEPARTED_NOTES = (*_VANISHED_NOTES, "Frivillig hjemrejse.", "Udrejst ifølge politiet.", None)
_PRIVATE_NOTES = ("Privat indkvartering hos familie, godkendt af Udlændingestyrelsen.",
                  "Bor hos sin onkel; privat indkvartering godkendt.", None)
_ADULT_NOTE = "Fylder 18 år: flyttet til et center for voksne."


# --- the simulated objects ------------------------------------------------------------

@dataclass(eq=False)
class _Room:
    id: uuid.UUID
    name: str
    section: str
    floor: str
    beds: list[_Bed] = field(default_factory=list)

    def occupants(self) -> list[_Stay]:
        return [bed.occupant for bed in self.beds if bed.occupant is not None]


@dataclass(eq=False)
class _Bed:
    id: uuid.UUID
    room: _Room
    label: str
    occupant: _Stay | None = None


@dataclass(eq=False)
class _StaffMember:
    id: uuid.UUID
    username: str
    full_name: str
    roles: tuple[str, ...]
    phone: str
    since: date | None = None   # hired during the simulated years
    until: date | None = None   # left during the simulated years (then inactive)
    load: dict[str, int] = field(default_factory=lambda: {CONTACT_PRIMARY: 0,
                                                          CONTACT_SECONDARY: 0})

    def works_on(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None
                                                              or day < self.until)


@dataclass(eq=False)
class _Person:
    """The minor; a former resident who comes back gets a new stay with the same person."""

    person_id: str
    given_names: str
    family_name: str
    own_script: str | None
    date_of_birth: date
    age_disputed: bool
    sex: str
    nationality: str
    languages: list[str]
    representative: tuple[str, str, str | None] | None = None
    left_on: date | None = None

    @property
    def adult_on(self) -> date:
        return _birthday(self.date_of_birth, self.date_of_birth.year + ADULT_AGE)


@dataclass(eq=False)
class _Spell:
    """A bed or contact assignment from ``start`` until ``end`` (exclusive; None = open)."""

    id: uuid.UUID
    target: _Bed | _StaffMember
    start: date
    start_at: datetime
    kind: str | None = None           # contact: primary / secondary
    end: date | None = None
    end_at: datetime | None = None
    end_reason: str | None = None     # bed: room_change / move_out


@dataclass(eq=False)
class _Stay:
    """One resident row: a person's stay from arrival to move-out."""

    id: uuid.UUID
    person: _Person
    arrival: date
    arrival_at: datetime
    planned_leave: date
    reason: str
    rejected: bool
    street: bool
    phase1_days: int
    phase3_from: int | None
    representative_from: date
    special_needs_note: str | None
    turns_adult: bool = False
    moved_out_on: date | None = None
    moved_out_at: datetime | None = None
    move_out_note: str | None = None
    beds: list[_Spell] = field(default_factory=list)
    contacts: list[_Spell] = field(default_factory=list)
    # Attendance (``_plan_attendance``): approved leave and missing cases, and what they
    # mean for the rounds (round number -> the case or leave); ``busy`` keeps them apart.
    leaves: list[_Leave] = field(default_factory=list)
    episodes: list[_Episode] = field(default_factory=list)
    absent: dict[int, _Episode] = field(default_factory=dict)
    on_leave: dict[int, _Leave] = field(default_factory=dict)
    busy: list[tuple[datetime, datetime]] = field(default_factory=list)

    def open_episode(self) -> _Episode | None:
        return next((e for e in self.episodes if e.end is None), None)

    def bed(self) -> _Spell:
        return self.beds[-1]

    def open_contact(self, kind: str) -> _Spell | None:
        return next((c for c in reversed(self.contacts) if c.kind == kind and c.end is None),
                    None)


@dataclass(eq=False)
class _Demo:
    """Everything the simulation made; ``_rows`` turns it into database rows."""

    rng: random.Random
    places: int
    first_day: date
    today: date
    latest: datetime
    rooms: list[_Room] = field(default_factory=list)
    staff: list[_StaffMember] = field(default_factory=list)
    stays: list[_Stay] = field(default_factory=list)
    representatives: list[tuple[str, str, str | None]] = field(default_factory=list)
    agenda: dict[date, list[tuple[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    current: list[_Stay] = field(default_factory=list)
    returnable: list[_Person] = field(default_factory=list)
    person_ids: set[str] = field(default_factory=set)
    room_changes: int = 0
    founded_at: datetime | None = None
    # Attendance: every round taken (by number: 3 per day from the first day), the marks
    # they hold, and who is on which shift (cached).
    rounds: list[_Round] = field(default_factory=list)
    expected_marks: int = 0
    marks_written: int = 0
    shifts: dict[tuple[date, str], list[_StaffMember]] = field(default_factory=dict)
    # Reception (``_plan_reception``): the lost-property register and the visitor log.
    items: list[_Item] = field(default_factory=list)
    visits: list[_Visit] = field(default_factory=list)
    visits_erased: int = 0
    # Incidents (``_plan_incidents``), in the order they were logged.
    incidents: list[_Incident] = field(default_factory=list)
    # Shift observations (``app.demo_notes``), in the order written.
    notes: list[Any] = field(default_factory=list)
    # Development plans (``app.demo_plans``), per stay.
    plans: list[Any] = field(default_factory=list)

    @property
    def beds(self) -> list[_Bed]:
        return [bed for room in self.rooms for bed in room.beds]

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def moment(self, day: date, first_hour: int = 8, last_hour: int = 21) -> datetime:
        """A plausible UTC time on ``day`` (local working hours), never after ``latest``."""
        minute = self.rng.randint(first_hour * 60, last_hour * 60 + 59)
        local = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=LOCAL_TZ)
        return min(local.astimezone(UTC), self.latest)

    def contacts_on(self, day: date) -> list[_StaffMember]:
        return [s for s in self.staff
                if Role.CONTACT_PERSON.value in s.roles and s.works_on(day)]


@dataclass(eq=False)
class _Round:
    """One attendance round: who took it, when it started and how long the marking took."""

    id: uuid.UUID
    index: int                 # 3 × days since the first day + slot number
    day: date
    slot: str
    planned_at: datetime
    started_at: datetime
    seconds: float
    staff: _StaffMember
    relief: _StaffMember | None = None   # took over half-way
    typed_at: datetime | None = None     # taken on the paper sheet, typed in at this time


@dataclass(eq=False)
class _Leave:
    id: uuid.UUID
    kind: str
    starts_at: datetime
    ends_at: datetime
    note: str | None
    approved_by: _StaffMember
    approved_at: datetime


@dataclass(eq=False)
class _Episode:
    """A missing case: absent from round ``first`` to round ``last``, then back at ``end`` (or
    left the centre's responsibility at ``end``, or still missing: ``end`` None)."""

    id: uuid.UUID
    first: int
    last: int
    mark_id: uuid.UUID       # the absent mark that opened the case
    since: datetime          # that mark's time
    opened_by: _StaffMember
    opened_at: datetime      # when the case was made (later than ``since`` for paper rounds)
    end: datetime | None = None
    departed: bool = False
    special_concern: bool = False
    known_not_staying: bool = False
    closed_by: _StaffMember | None = None
    close_note: str | None = None
    due: datetime | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    # (id, kind, done at, by, reference)
    reports: list[tuple[uuid.UUID, str, datetime, _StaffMember, str | None]] = field(
        default_factory=list)


def _birthday(born: date, year: int) -> date:
    try:
        return born.replace(year=year)
    except ValueError:  # 29 February in a year without one
        return date(year, 3, 1)


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def _phone(rng: random.Random) -> str:
    digits = [rng.randint(20, 99)] + [rng.randint(0, 99) for _i in range(3)]
    return "+45 " + " ".join(f"{d:02d}" for d in digits)


def _ascii(text_: str) -> str:
    for danish, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa"), (" ", ".")):
        text_ = text_.replace(danish, plain)
    return text_


# --- 1. rooms and staff ---------------------------------------------------------------

def _room_sizes(rng: random.Random, beds: int, weights: tuple[float, float, float]) -> list[int]:
    """Room sizes of 2–4 beds adding up to ``beds`` (a single bed only if ``beds`` is 1)."""
    sizes: list[int] = []
    left = beds
    while left > 0:
        if left <= 4:
            size = left
        elif left == 5:
            size = rng.choice((2, 3))
        else:
            size = rng.choices((2, 3, 4), weights=weights)[0]
        sizes.append(size)
        left -= size
    return sizes


def _make_rooms(demo: _Demo) -> None:
    """The main house on two floors (rooms 101…, 201…) and the street-oriented section."""
    rng = demo.rng
    street_beds = round(demo.places * STREET_SECTION_SHARE) if demo.places >= 12 else 0
    general = _room_sizes(rng, demo.places - street_beds, (0.25, 0.4, 0.35))
    street = _room_sizes(rng, street_beds, (0.5, 0.4, 0.1)) if street_beds else []
    per_floor = math.ceil(len(general) / 2)
    for index, size in enumerate(general):
        floor = index // per_floor + 1
        _add_room(demo, f"{floor}{index % per_floor + 1:02d}", "general", f"{floor}. sal", size)
    for index, size in enumerate(street):
        _add_room(demo, f"B{index + 1}", "street_oriented", "st.", size)


def _add_room(demo: _Demo, name: str, section: str, floor: str, size: int) -> None:
    room = _Room(demo.uuid(), name, section, floor)
    room.beds = [_Bed(demo.uuid(), room, "ABCD"[i]) for i in range(size)]
    demo.rooms.append(room)


def _roster(places: int) -> list[tuple[str, tuple[str, ...]]]:
    """(username, roles) of the staff besides the administrator; ~25 people for 78 places."""
    contacts = max(2, math.ceil(places / RESIDENTS_PER_CONTACT))  # primary + secondary
    reception = max(1, round(places / 26))
    night = max(1, round(places / 20))
    coordinators = max(1, round(places / 40))
    r = Role
    roster: list[tuple[str, tuple[str, ...]]] = [("leder1", (r.CENTRE_LEADER.value,))]
    if places >= 40:
        roster.append(("leder2", (r.CENTRE_LEADER.value, r.ADMINISTRATOR.value)))
    for i in range(1, coordinators + 1):
        roster.append((f"koordinator{i}", (r.SOCIAL_COORDINATOR.value,)))
    for i in range(1, reception + 1):
        extra = (r.NIGHT_STAFF.value,) if i == 2 else ()
        roster.append((f"reception{i}", (r.RECEPTION.value, *extra)))
    for i in range(1, contacts + 1):
        extra = ((r.NIGHT_STAFF.value,) if i % 4 == 2 else
                 (r.RECEPTION.value,) if i % 4 == 3 else ())
        roster.append((f"kontakt{i}", (r.CONTACT_PERSON.value, *extra)))
    for i in range(1, night + 1):
        roster.append((f"nat{i}", (r.NIGHT_STAFF.value,)))
    if places >= 60:
        roster.append(("vikar1", (r.RECEPTION.value, r.NIGHT_STAFF.value)))
    return roster


def _staff_name(rng: random.Random, taken: set[str], local: list[str]) -> str:
    if local and rng.random() < 0.2:
        name = local.pop(0)
    else:
        first = rng.choice(_DANISH_WOMEN if rng.random() < 0.65 else _DANISH_MEN)
        name = f"{first} {rng.choice(_DANISH_FAMILIES)}"
    return name if name not in taken else _staff_name(rng, taken, local)


def _make_staff(demo: _Demo) -> None:
    """The roster, plus the contact persons who left during the simulated years.

    Each contact-person post may change hands (``CONTACT_TURNOVER_PER_YEAR``); the one who
    leaves becomes an inactive user and the residents are handed to whoever has room.
    """
    rng = demo.rng
    taken: set[str] = set()
    local = list(_STAFF_WITH_LANGUAGES)
    rng.shuffle(local)
    days = (demo.today - demo.first_day).days
    years = max(1, round(days / 365))
    former: list[_StaffMember] = []
    for username, roles in _roster(demo.places):
        name = _staff_name(rng, taken, local)
        taken.add(name)
        member = _StaffMember(demo.uuid(), username, name, roles, _phone(rng))
        if Role.CONTACT_PERSON.value in roles and days > 30:
            changes = sorted({demo.first_day + timedelta(days=rng.randint(15, days - 1))
                              for _year in range(years)
                              if rng.random() < CONTACT_TURNOVER_PER_YEAR})
            since = None
            for change in changes:
                name_before = _staff_name(rng, taken, local)
                taken.add(name_before)
                former.append(_StaffMember(demo.uuid(), "", name_before, roles, _phone(rng),
                                           since=since, until=change))
                since = change
            member.since = since
        demo.staff.append(member)
    number = sum(1 for s in demo.staff if Role.CONTACT_PERSON.value in s.roles)
    for member in sorted(former, key=lambda s: s.until or demo.today):
        number += 1
        member.username = f"kontakt{number}"
        demo.staff.append(member)
        demo.agenda[member.until].append(("staff_leaves", member))
    demo.representatives = [_representative(rng)
                            for _i in range(max(6, demo.places // 3))]


def _representative(rng: random.Random) -> tuple[str, str, str | None]:
    first = rng.choice(_DANISH_WOMEN if rng.random() < 0.6 else _DANISH_MEN)
    family = rng.choice(_DANISH_FAMILIES)
    email = (f"{_ascii(first.lower())}.{_ascii(family.lower())}@example.dk"
             if rng.random() < 0.75 else None)
    return f"{first} {family}", _phone(rng), email


# --- 2./3. residents and their stays --------------------------------------------------

def _new_person(demo: _Demo, arrival: date, street: bool) -> _Person:
    rng = demo.rng
    weights = [0.0 if o.arrives_from and arrival < o.arrives_from
               else o.street_weight if street else o.weight for o in ORIGINS]
    origin = rng.choices(ORIGINS, weights=weights)[0]
    male = street or rng.random() < origin.male_share
    given, given_script = rng.choice(origin.boys if male else origin.girls)
    first = _FIRST_GIVEN.get(origin.nationality)
    if male and first and given != first[0] and rng.random() < 0.15:
        given, given_script = f"{first[0]} {given}", f"{first[1]} {given_script}"
    family, family_script = rng.choice(origin.families)
    own_script = None
    if given_script and family_script:
        own_script = (f"{family_script} {given_script}" if origin.script_order == "family_given"
                      else f"{given_script} {family_script}")
    # Most arrive at 15–17; street-oriented minors are rarely young.
    ages = (0, 1, 4, 10, 25, 30) if street else (3, 6, 12, 22, 30, 27)
    while True:
        age = rng.choices(range(12, 18), weights=ages)[0]
        born = arrival - timedelta(days=int((age + rng.random()) * 365.25))
        if origin.nationality == "Afghanistan" and rng.random() < 0.2:
            born = date(born.year, 1, 1)  # unknown birthdays are registered as 1 January
        if born < arrival and 12 <= age_on(born, arrival) < ADULT_AGE:
            break
    person_id = f"{rng.randint(100000, 999999)}-{rng.randint(0, 9)}"
    while person_id in demo.person_ids:
        person_id = f"{rng.randint(100000, 999999)}-{rng.randint(0, 9)}"
    demo.person_ids.add(person_id)
    disputed = rng.random() < (0.12 if age_on(born, arrival) >= 16 else 0.02)
    return _Person(person_id, given, family, own_script, born, disputed,
                   "male" if male else "female", origin.nationality, origin.languages(rng))


def _plan_stay(rng: random.Random, street: bool) -> tuple[str, int, bool]:
    """How a stay ends and after how many days; ``rejected``: the case ends in phase 3."""
    weights = (0.55, 0.33, 0.05, 0.07) if street else (0.27, 0.38, 0.27, 0.08)
    reason = rng.choices(_REASONS, weights=weights)[0]
    rejected = False
    if reason == STATUS_DEPARTED:
        if rng.random() < 0.65:  # disappears within weeks, often before the case starts
            days = rng.triangular(1, 45, 7)
        else:
            days, rejected = rng.triangular(45, 360, 120), True
    elif reason == STATUS_MOVED_CENTRE:
        days = rng.triangular(7, 180, 30)
    elif reason == STATUS_INTEGRATION:
        days = rng.triangular(45, 330, 100)
    else:
        days = rng.triangular(20, 240, 50)
    return reason, max(1, int(days)), rejected


def _new_stay(demo: _Demo, person: _Person, arrival: date, street: bool) -> _Stay:
    rng = demo.rng
    reason, days, rejected = _plan_stay(rng, street)
    leave = arrival + timedelta(days=days)
    turns_adult = leave >= person.adult_on
    if turns_adult:  # nobody stays past the 18th birthday: an adult centre takes over
        reason, rejected = STATUS_MOVED_CENTRE, False
        leave = max(arrival + timedelta(days=1),
                    person.adult_on - timedelta(days=rng.randint(0, 10)))
        days = (leave - arrival).days
    if person.representative is None:
        person.representative = rng.choice(demo.representatives)
    return _Stay(
        id=demo.uuid(), person=person, arrival=arrival, arrival_at=demo.moment(arrival),
        planned_leave=leave, reason=reason, rejected=rejected, street=street,
        phase1_days=rng.randint(10, 45),
        phase3_from=int(days * rng.uniform(0.5, 0.8)) if rejected else None,
        representative_from=arrival + timedelta(days=int(rng.triangular(0, 20, 3))),
        special_needs_note=(rng.choice(_SPECIAL_NEEDS_NOTES) if rng.random() < 0.06 else None),
        turns_adult=turns_adult)


def _free_bed(demo: _Demo, stay: _Stay, section: str,
              exclude: _Room | None = None) -> _Bed | None:
    """A free bed for ``stay``: never in a room with the other sex; rather with someone
    who speaks the same language, and in a room already in use (empty rooms stay free for
    girls and groups)."""
    rng = demo.rng
    best, best_score = None, -1.0
    language = stay.person.languages[0]
    for room in demo.rooms:
        if room.section != section or room is exclude:
            continue
        free = [bed for bed in room.beds if bed.occupant is None]
        if not free:
            continue
        occupants = room.occupants()
        if any(o.person.sex != stay.person.sex for o in occupants):
            continue
        score = rng.random() * 1.5
        if occupants:
            score += 1 + (2 if any(o.person.languages[0] == language for o in occupants) else 0)
        if score > best_score:
            best, best_score = free[0], score
    return best


def _move_in(demo: _Demo, stay: _Stay, bed: _Bed, day: date, at: datetime) -> None:
    bed.occupant = stay
    stay.beds.append(_Spell(demo.uuid(), bed, day, at))


def _assign_contacts(demo: _Demo, stay: _Stay, day: date, at: datetime,
                     kinds: tuple[str, ...] = (CONTACT_PRIMARY, CONTACT_SECONDARY)) -> None:
    """The least busy contact persons working that day (never the same person twice)."""
    rng = demo.rng
    for kind in kinds:
        others = [c.target for c in stay.contacts if c.end is None]
        pool = [s for s in demo.contacts_on(day) if s not in others]
        if not pool:
            continue
        chosen = min(pool, key=lambda s: (s.load[kind], rng.random()))
        chosen.load[kind] += 1
        stay.contacts.append(_Spell(demo.uuid(), chosen, day, at, kind=kind))


def _end_spell(spell: _Spell, day: date, at: datetime, reason: str | None = None) -> None:
    spell.end, spell.end_at, spell.end_reason = day, at, reason
    if isinstance(spell.target, _StaffMember) and spell.kind:
        spell.target.load[spell.kind] -= 1


def _arrive(demo: _Demo, day: date, *, arrival: date | None = None) -> _Stay | None:
    """A new resident (or a former one coming back) gets a bed and contact persons.

    ``arrival`` before ``day`` is for the residents already living here on the first day.
    Returns None when there is no suitable bed (the minor is placed elsewhere).
    """
    rng = demo.rng
    arrival = arrival or day
    street_beds = [b for b in demo.beds if b.room.section == "street_oriented"]
    # The section takes street-oriented minors while it has room; others go elsewhere.
    street = (rng.random() < len(street_beds) / demo.places * 1.1
              and any(b.occupant is None for b in street_beds))
    person = _returning_person(demo, arrival, street)
    if person is None:
        person = _new_person(demo, arrival, street)
    stay = _new_stay(demo, person, arrival, street)
    if stay.planned_leave <= day:
        return None
    bed = _free_bed(demo, stay, "street_oriented" if street else "general")
    if bed is None:
        return None
    _move_in(demo, stay, bed, arrival, stay.arrival_at)
    _assign_contacts(demo, stay, arrival, stay.arrival_at)
    demo.stays.append(stay)
    demo.current.append(stay)
    if stay.planned_leave <= demo.today:
        demo.agenda[stay.planned_leave].append(("move_out", stay))
    _plan_room_changes(demo, stay, day)
    return stay


def _returning_person(demo: _Demo, day: date, street: bool) -> _Person | None:
    """Now and then a former resident comes back (e.g. returned under the Dublin rules)."""
    if street or not demo.returnable or demo.rng.random() > 0.02:
        return None
    candidates = [p for p in demo.returnable if p.adult_on > day + timedelta(days=60)
                  and p.left_on is not None and p.left_on + timedelta(days=30) <= day]
    if not candidates:
        return None
    person = demo.rng.choice(candidates)
    demo.returnable.remove(person)
    return person


def _plan_room_changes(demo: _Demo, stay: _Stay, day: date) -> None:
    rng = demo.rng
    end = min(stay.planned_leave, demo.today)
    days = (end - day).days
    if days < 20:
        return
    chance = 0.3 if stay.street else 0.12
    count = (1 if rng.random() < chance else 0) + (1 if days > 150 and rng.random() < 0.1 else 0)
    for change in sorted({day + timedelta(days=rng.randint(5, days - 5)) for _i in range(count)}):
        demo.agenda[change].append(("room_change", stay))


def _move_out(demo: _Demo, stay: _Stay, day: date) -> None:
    rng = demo.rng
    at = demo.moment(day, 8, 17)
    bed = stay.bed()
    assert isinstance(bed.target, _Bed)
    bed.target.occupant = None
    _end_spell(bed, day, at, "move_out")
    for contact in stay.contacts:
        if contact.end is None:
            _end_spell(contact, day, at)
    stay.moved_out_on, stay.moved_out_at = day, at
    if stay.turns_adult:
        stay.move_out_note = _ADULT_NOTE
    elif stay.reason == STATUS_INTEGRATION:
        stay.move_out_note = f"Overført til {rng.choice(_MUNICIPALITIES)} Kommune."
    elif stay.reason == STATUS_MOVED_CENTRE:
        stay.move_out_note = rng.choice(_MOVED_CENTRE_NOTES)
    elif stay.reason == STATUS_DEPARTED:
        stay.move_out_note = rng.choice(_DEPARTED_NOTES)
    else:
        stay.move_out_note = rng.choice(_PRIVATE_NOTES)
    demo.current.remove(stay)
    stay.person.left_on = day
    if stay.reason in (STATUS_DEPARTED, STATUS_PRIVATE_ACCOMMODATION):
        demo.returnable.append(stay.person)


def _change_room(demo: _Demo, stay: _Stay, day: date) -> None:
    if stay.moved_out_on is not None:
        return
    current = stay.bed()
    assert isinstance(current.target, _Bed)
    bed = _free_bed(demo, stay, current.target.room.section, exclude=current.target.room)
    if bed is None:
        return
    at = demo.moment(day, 9, 16)
    current.target.occupant = None
    _end_spell(current, day, at, "room_change")
    _move_in(demo, stay, bed, day, at)
    demo.room_changes += 1


def _staff_leaves(demo: _Demo, member: _StaffMember, day: date) -> None:
    """A contact person's last day: the residents get another contact person."""
    for stay in demo.current:
        for contact in list(stay.contacts):
            if contact.end is None and contact.target is member:
                assert contact.kind is not None
                at = demo.moment(day, 9, 15)
                _end_spell(contact, day, at)
                _assign_contacts(demo, stay, day, at, kinds=(contact.kind,))


def _initial_population(demo: _Demo) -> None:
    """The residents living at the centre on the first simulated day (arrived before)."""
    rng = demo.rng
    wanted = round(demo.places * TARGET_OCCUPANCY)
    for _attempt in range(wanted * 20):
        if len(demo.current) >= wanted:
            break
        _reason, days, _rejected = _plan_stay(rng, False)
        arrival = demo.first_day - timedelta(days=rng.randint(0, max(0, days - 1)))
        _arrive(demo, demo.first_day, arrival=arrival)


def _day_move_outs(demo: _Demo, day: date, events: list[tuple[str, Any]]) -> None:
    for kind, stay in events:
        if kind == "move_out":
            _move_out(demo, stay, day)


def _day_staff_changes(demo: _Demo, day: date, events: list[tuple[str, Any]]) -> None:
    for kind, member in events:
        if kind == "staff_leaves":
            _staff_leaves(demo, member, day)


def _day_room_changes(demo: _Demo, day: date, events: list[tuple[str, Any]]) -> None:
    for kind, stay in events:
        if kind == "room_change":
            _change_room(demo, stay, day)


def _day_arrivals(demo: _Demo, day: date, _events: list[tuple[str, Any]]) -> None:
    """New arrivals keep the occupancy around the target, with a seasonal swing."""
    occupied = len(demo.current)
    season = math.sin(2 * math.pi * (day.timetuple().tm_yday - 120) / 365)
    target = demo.places * (TARGET_OCCUPANCY + 0.035 * season)
    base = demo.places * TARGET_OCCUPANCY / 90  # ~90-day average stay
    wanted = _poisson(demo.rng, max(0.0, base + 0.2 * (target - occupied)))
    room = int(demo.places * MAX_OCCUPANCY) - occupied
    for _i in range(min(wanted, room)):
        _arrive(demo, day)


DailyStep = Callable[[_Demo, date, list[tuple[str, Any]]], None]
#: What happens on a simulated day, in this order. Add new areas here.
DAILY_STEPS: list[DailyStep] = [_day_move_outs, _day_staff_changes, _day_room_changes,
                                _day_arrivals]


def _simulate(demo: _Demo, cancel: threading.Event | None) -> Iterator[Progress]:
    total = (demo.today - demo.first_day).days + 1
    message = _("Simulating arrivals and departures")
    for index in range(total):
        day = demo.first_day + timedelta(days=index)
        events = demo.agenda.pop(day, [])
        for step in DAILY_STEPS:
            step(demo, day, events)
        if index % 30 == 0:
            if cancel is not None and cancel.is_set():
                return
            yield Progress(message, index, total)
    yield Progress(message, total, total)


def _phase(stay: _Stay, on: date) -> int:
    days = (on - stay.arrival).days
    if days < stay.phase1_days:
        return 1
    if stay.phase3_from is not None and days >= stay.phase3_from:
        return 3
    return 2


# --- 3b. attendance: rounds, leave and missing cases ----------------------------------

#: A resident goes missing and comes back: chance per day of stay (the street-oriented
#: section far more often). Most "departed" move-outs end a missing case of their own.
MISSING_PER_DAY = {False: 1 / 3000, True: 1 / 160}
#: Share of residents with family in Denmark or nearby, and the chance of a weekend with them.
FAMILY_SHARE = {False: 0.12, True: 0.04}
FAMILY_WEEKEND = 0.3
#: Hospital stays and school trips per resident and year.
HOSPITAL_PER_YEAR = {False: 0.1, True: 0.15}
SCHOOL_TRIPS_PER_YEAR = {False: 0.3, True: 0.0}
#: Chance that a weekday afternoon round finds a resident at school or an activity.
AT_SCHOOL = {False: 0.3, True: 0.1}
#: Chance of the mark "other" (with a note saying where).
OTHER_MARK = {False: 0.004, True: 0.015}
#: Share of missing cases whose reports were made after the deadline.
LATE_REPORTS = 0.06
#: Share of rounds taken on the printed sheet (the PC was down) and typed in afterwards.
PAPER_ROUNDS = 0.004

_RELATIVES = ("morbror i Odense", "storebror i Aarhus", "fætter i København", "faster i Vejle",
              "onkel i Malmö", "storesøster i Kolding", "farbror i Esbjerg", "moster i Hamborg")
_HOSPITAL_NOTES = ("Indlagt på Nordsjællands Hospital, Hillerød.",
                   "Indlagt på Rigshospitalet, børneafdelingen.",
                   "Blindtarmsoperation på Nordsjællands Hospital.",
                   "Indlagt på Herlev Hospital efter en fodboldskade.",
                   "Indlagt til observation, Børne- og Ungdomspsykiatrien.")
_SCHOOL_TRIP_NOTES = ("Lejrskole med sprogskolen.", "Tur til Bornholm med sprogskolen.",
                      "Hyttetur med fodboldklubben.")
_SCHOOL_NOTES = ("Sprogskole", "Fodboldtræning", "Lektiecafé", "Svømning", "Praktik")
_OTHER_NOTES = ("Hos tandlægen.", "Samtale i Udlændingestyrelsen.", "Hos advokaten.",
                "Ude med kontaktpersonen.", "Hos lægen.", "Til fodboldkamp med holdet.",
                "Hos psykologen.", "I byen efter aftale; tilbage kl. 23.")
_LAST_SEEN_PLACES = ("På sit værelse.", "I fællesrummet.", "Ved busstoppestedet foran centret.",
                     "I kantinen til aftensmad.", "På fodboldbanen bag centret.",
                     "Ved indgangen sammen med to venner.", "På Allerød Station.")
_JACKETS = ("Sort dunjakke", "Grå hættetrøje", "Blå vindjakke", "Rød træningsjakke",
            "Grøn parka")
_TROUSERS = ("sorte jeans", "grå joggingbukser", "blå jeans", "sorte træningsbukser")
_SHOES = ("hvide sneakers", "sorte sko", "røde løbesko", "grå støvler")
_DESCRIPTIONS = ("Kort sort hår, slank.", "Krøllet mørkt hår, lille ar over venstre øjenbryn.",
                 "Kort hår, lidt skæg på overlæben.", "Mørkt hår, bærer briller.",
                 "Kraftig af bygning, kort skæg.", "Langt mørkt hår, ofte med kasket.")
_CONTACTS = ("Ven i København, ukendt adresse.", "Fætter i Malmö (telefonnummer i journalen).",
             "Bror i Hamborg.", "Venner fra sprogskolen.", "Ingen kendte kontakter i Danmark.",
             "Onkel i Stockholm.")
# How the resident came back: within a day, or after days away.
_RETURN_NOTES = ("Kom tilbage om natten og ville ikke sige, hvor {pronoun} havde været.",
                 "Fundet af kontaktpersonen i Hillerød og kørt hjem til centret.",
                 "Ringede fra Nørreport; hentet af nattevagten.",
                 "Kom selv tilbage; havde været i byen med venner.")
_RETURN_NOTES_LATER = ("Kom selv tilbage; havde overnattet hos en ven i København.",
                       "Hentet af politiet på Københavns Hovedbanegård.",
                       "Vendte tilbage efter nogle nætter hos familie i Malmö.",
                       "Afvist ved den svenske grænse; bragt tilbage af politiet.")
_LEFT_NOTES = ("Meldt udrejst i IBS; ikke længere centrets ansvar.",
               "Udskrevet som udrejst efter aftale med Udlændingestyrelsen.")

# Who takes which round and who is at work: day rounds by reception and contact persons,
# the evening round by the night staff; leave is approved by the office.
_SHIFT_ROLES = {
    "round": frozenset({Role.RECEPTION.value, Role.CONTACT_PERSON.value}),
    "day": frozenset({Role.RECEPTION.value, Role.CONTACT_PERSON.value,
                      Role.SOCIAL_COORDINATOR.value}),
    "night": frozenset({Role.NIGHT_STAFF.value}),
    "office": frozenset({Role.CENTRE_LEADER.value, Role.SOCIAL_COORDINATOR.value,
                         Role.CONTACT_PERSON.value}),
}
_MARGIN = timedelta(hours=1)


def _shift(demo: _Demo, day: date, kind: str) -> list[_StaffMember]:
    key = (day, kind)
    pool = demo.shifts.get(key)
    if pool is None:
        roles = _SHIFT_ROLES[kind]
        pool = [s for s in demo.staff if s.works_on(day) and not roles.isdisjoint(s.roles)]
        demo.shifts[key] = pool
    return pool


def _on_duty(demo: _Demo, moment: datetime, kind: str | None = None) -> _StaffMember:
    """Someone at work at ``moment``: day staff from 07 to 21, the night staff otherwise."""
    local = moment.astimezone(LOCAL_TZ)
    kind = kind or ("day" if 7 <= local.hour < 21 else "night")
    return demo.rng.choice(_shift(demo, local.date(), kind))


def _safe_moment(rng: random.Random, day: date, first_hour: int, last_hour: int) -> datetime:
    """A UTC time on ``day``; leave starts and ends at 09–13 or 16–20, well away from the
    rounds (08, 15, 22), so a round is clearly before, during or after it."""
    local = time(rng.randint(first_hour, last_hour), rng.randint(0, 59))
    return datetime.combine(day, local, tzinfo=LOCAL_TZ).astimezone(UTC)


def _far(demo: _Demo) -> datetime:
    return demo.latest + timedelta(days=3660)


def _plan_rounds(demo: _Demo) -> None:
    """Three rounds a day at the default times, each taken by someone on shift; today only
    the rounds started by now."""
    rng = demo.rng
    times = parse_round_times(DEFAULT_ROUND_TIMES)
    days = (demo.today - demo.first_day).days + 1
    for number in range(days):
        day = demo.first_day + timedelta(days=number)
        for slot in ROUND_SLOTS:
            planned = planned_at(day, times[slot]).astimezone(UTC)
            started = planned + timedelta(seconds=rng.randint(-300, 900))
            if started > demo.latest:
                return
            pool = _shift(demo, day, "night" if slot == ROUND_SLOTS[-1] else "round")
            staff = rng.choice(pool)
            round_ = _Round(demo.uuid(), len(demo.rounds), day, slot, planned, started,
                            seconds=demo.places * rng.uniform(5, 14) + rng.uniform(60, 240),
                            staff=staff)
            if len(pool) > 1 and rng.random() < 0.04:
                round_.relief = rng.choice([s for s in pool if s is not staff])
            if number < days - 2 and rng.random() < PAPER_ROUNDS:
                # The PC was down: the round was taken on the printed sheet and typed in
                # later by whoever sat at the reception PC then.
                round_.typed_at = started + timedelta(hours=rng.uniform(1, 10))
                round_.staff, round_.relief = _on_duty(demo, round_.typed_at), None
            demo.rounds.append(round_)


def _mark_time(round_: _Round, fraction: float) -> tuple[datetime, _StaffMember]:
    """When a resident was marked ``fraction`` through the round, and by whom."""
    at = round_.started_at + timedelta(seconds=fraction * round_.seconds)
    by = round_.relief if round_.relief is not None and fraction > 0.5 else round_.staff
    return at, by


def _round_range(demo: _Demo, stay: _Stay) -> tuple[int, int]:
    """The rounds (by number, end exclusive) that expect the resident: every round on the
    days from arrival to the day before the move-out."""
    start = max(stay.arrival, demo.first_day)
    end = stay.moved_out_on or demo.today + timedelta(days=1)
    count = len(demo.rounds)
    return (min(3 * (start - demo.first_day).days, count),
            min(3 * (end - demo.first_day).days, count))


def _is_free(stay: _Stay, start: datetime, end: datetime) -> bool:
    return all(end <= busy_start or busy_end <= start for busy_start, busy_end in stay.busy)


# Leave -------------------------------------------------------------------------------

def _approval(demo: _Demo, stay: _Stay, day: date,
              starts: datetime) -> tuple[_StaffMember, datetime] | None:
    """Who approved leave starting at ``starts`` on ``day`` (office hours), if it can be."""
    at = max(demo.moment(max(day, stay.arrival), 9, 15), stay.arrival_at + timedelta(minutes=30))
    if at > min(starts - timedelta(minutes=30), demo.latest):
        return None
    return demo.rng.choice(_shift(demo, at.astimezone(LOCAL_TZ).date(), "office")), at


def _add_leave(demo: _Demo, stay: _Stay, kind: str, starts: datetime, ends: datetime,
               note: str | None, approval: tuple[_StaffMember, datetime] | None) -> None:
    if approval is None or ends <= starts or not _is_free(stay, starts - _MARGIN, ends + _MARGIN):
        return
    stay.leaves.append(_Leave(demo.uuid(), kind, starts, ends, note, *approval))
    stay.busy.append((starts - _MARGIN, ends + _MARGIN))


def _plan_leave(demo: _Demo, stay: _Stay) -> None:
    """A private-accommodation trial before such a move-out, weekends with family, hospital
    stays and school trips; never overlapping, always within the stay."""
    rng = demo.rng
    first = max(stay.arrival + timedelta(days=1), demo.first_day)
    if stay.moved_out_on is not None:
        last = stay.moved_out_on - timedelta(days=1)
    else:
        last = min(demo.today + timedelta(days=14), stay.planned_leave - timedelta(days=1))
    if last <= first:
        return
    relative = rng.choice(_RELATIVES)
    if (stay.reason == STATUS_PRIVATE_ACCOMMODATION and stay.moved_out_on is not None
            and rng.random() < 0.7):
        start_day = stay.moved_out_on - timedelta(days=rng.randint(8, 25))
        end_day = start_day + timedelta(days=rng.randint(2, 7))
        if first <= start_day and end_day <= last:
            starts = _safe_moment(rng, start_day, 16, 19)
            _add_leave(demo, stay, "private_accommodation_trial", starts,
                       _safe_moment(rng, end_day, 16, 20),
                       f"Prøveophold hos {relative} før privat indkvartering.",
                       _approval(demo, stay, start_day - timedelta(days=rng.randint(3, 10)),
                                 starts))
    if rng.random() < FAMILY_SHARE[stay.street]:
        friday = first + timedelta(days=(4 - first.weekday()) % 7 + 7)
        while friday + timedelta(days=2) <= last:
            if rng.random() < FAMILY_WEEKEND:
                starts = _safe_moment(rng, friday, 16, 19)
                _add_leave(demo, stay, "family_visit", starts,
                           _safe_moment(rng, friday + timedelta(days=2), 16, 20),
                           f"Weekend hos {relative}.",
                           _approval(demo, stay, friday - timedelta(days=rng.randint(1, 6)),
                                     starts))
            friday += timedelta(days=7)
    days = (last - first).days
    for _i in range(_poisson(rng, days / 365 * HOSPITAL_PER_YEAR[stay.street])):
        day = first + timedelta(days=rng.randrange(days))
        end_day = min(day + timedelta(days=rng.choice((1, 1, 2, 2, 3, 4, 6, 9))), last)
        starts = (_safe_moment(rng, day, 9, 13) if rng.random() < 0.5
                  else _safe_moment(rng, day, 16, 20))
        registered = starts + timedelta(minutes=rng.randint(10, 40))
        if end_day > day and registered <= demo.latest:
            _add_leave(demo, stay, "hospital", starts, _safe_moment(rng, end_day, 10, 13),
                       rng.choice(_HOSPITAL_NOTES), (_on_duty(demo, registered, "day"), registered))
    for _i in range(_poisson(rng, days / 365 * SCHOOL_TRIPS_PER_YEAR[stay.street])):
        day = first + timedelta(days=rng.randrange(days))
        day -= timedelta(days=day.weekday())  # Monday
        end_day = day + timedelta(days=rng.randint(1, 2))
        if day >= first and end_day <= last and day.month != 7:
            starts = _safe_moment(rng, day, 9, 11)
            _add_leave(demo, stay, "school_trip", starts, _safe_moment(rng, end_day, 16, 18),
                       rng.choice(_SCHOOL_TRIP_NOTES),
                       _approval(demo, stay, day - timedelta(days=rng.randint(7, 20)), starts))


# Missing cases -----------------------------------------------------------------------

def _new_episode(demo: _Demo, stay: _Stay, first: int, last: int,
                 fraction: float | None = None) -> _Episode | None:
    """A case opened by the resident's absent mark in round ``first`` (None if that mark
    would come after the generation time)."""
    round_ = demo.rounds[first]
    since, by = _mark_time(round_, demo.rng.random() if fraction is None else fraction)
    if since > demo.latest:
        return None
    opened_at = since
    if round_.typed_at is not None:  # the case opened when the sheet was typed in
        opened_at = round_.typed_at + timedelta(seconds=15 * demo.places + 60)
    return _Episode(demo.uuid(), first, last, demo.uuid(), since, by, opened_at)


def _add_episode(demo: _Demo, stay: _Stay, episode: _Episode, until: datetime, *,
                 outstanding: tuple[str, ...] = (), late: bool | None = None,
                 flags: bool = True) -> None:
    stay.episodes.append(episode)
    stay.busy.append((demo.rounds[episode.first].planned_at - _MARGIN, until + _MARGIN))
    _finish_episode(demo, stay, episode, outstanding=outstanding, late=late, flags=flags)


def _finish_episode(demo: _Demo, stay: _Stay, episode: _Episode, *,
                    outstanding: tuple[str, ...] = (), late: bool | None = None,
                    flags: bool = True) -> None:
    """The case's flags (``flags``: now and then special concern or known not staying), the
    facts for the police, the reports made (mostly before the deadline, now and then late;
    none after the return; never those in ``outstanding``), and how it closed."""
    rng = demo.rng
    person = stay.person
    since = episode.since
    age = age_on(person.date_of_birth, since.astimezone(LOCAL_TZ).date())
    if not flags:
        pass
    elif episode.departed:
        episode.known_not_staying = rng.random() < 0.3
    else:
        worry = 0.2 if age < OLDER_CHILD_AGE or stay.special_needs_note else 0.04
        episode.special_concern = rng.random() < worry
    due = report_due(person.date_of_birth, since, special_concern=episode.special_concern,
                     known_not_staying=episode.known_not_staying).astimezone(UTC)
    episode.due = due
    delay = due - since
    late = rng.random() < LATE_REPORTS if late is None else late
    if late:
        start = due + timedelta(minutes=rng.randint(20, 360))
    elif delay:
        start = since + delay * rng.uniform(0.4, 0.9)
    else:  # due at once
        start = since + timedelta(minutes=rng.randint(15, 90))
    planned = {"ibs": start if late or not delay else since + delay * rng.uniform(0.05, 0.4),
               "police": start + timedelta(minutes=rng.randint(0, 20)),
               "municipality": start + timedelta(minutes=rng.randint(20, 60)),
               "agency": start + timedelta(minutes=rng.randint(25, 75)),
               "representative": start + timedelta(minutes=rng.randint(0, 180))}
    earliest = episode.opened_at + timedelta(minutes=5)
    for kind in MISSING_REPORT_KINDS:
        at = planned[kind]
        if not late and delay and at > due - timedelta(minutes=1):
            at = due - timedelta(minutes=rng.randint(1, 30))
        if episode.departed and episode.end is not None and at >= episode.end:
            # Every report is made before the departure is registered.
            at = since + (episode.end - since) * rng.uniform(0.2, 0.8)
        at = max(at, earliest)
        if (kind in outstanding or at > demo.latest
                or (episode.end is not None and at >= episode.end)):
            continue
        reference = None
        if kind == "police":
            year = at.astimezone(LOCAL_TZ).year % 100
            reference = (f"1900-{rng.choice((80150, 80151, 80160))}-"
                         f"{rng.randint(100, 99999):05d}-{year:02d}")
        episode.reports.append((demo.uuid(), kind, at, _on_duty(demo, at), reference))
    previous = demo.rounds[episode.first - 1] if episode.first > 0 else None
    last_seen = since - timedelta(hours=2)
    if previous is not None:
        last_seen = min(previous.started_at + timedelta(seconds=previous.seconds)
                        + timedelta(minutes=rng.randint(0, 300)), since - timedelta(minutes=15))
    facts: dict[str, Any] = {"last_seen_at": last_seen,
                             "last_seen_place": rng.choice(_LAST_SEEN_PLACES)}
    if any(kind == "police" for _id, kind, *_rest in episode.reports) or episode.end is None:
        facts.update(
            height=f"ca. {rng.randint(150, 186)} cm",
            clothing=(f"{rng.choice(_JACKETS)}, {rng.choice(_TROUSERS)} og "
                      f"{rng.choice(_SHOES)}."),
            description=rng.choice(_DESCRIPTIONS), contacts=rng.choice(_CONTACTS))
    episode.facts = facts
    if episode.end is not None:
        episode.closed_by = _on_duty(demo, episode.end)
        if episode.departed:
            episode.close_note = rng.choice(_LEFT_NOTES)
        else:
            notes = (_RETURN_NOTES if episode.end - since < timedelta(hours=20)
                     else _RETURN_NOTES_LATER)
            episode.close_note = rng.choice(notes).format(
                pronoun="hun" if person.sex == "female" else "han")


def _plan_departure_case(demo: _Demo, stay: _Stay, lo: int, hi: int) -> None:
    """Most minors who "depart" simply disappear: absent in every round of their last days,
    with a missing case that closes when they are registered as departed."""
    rng = demo.rng
    if stay.reason != STATUS_DEPARTED or stay.turns_adult:
        return
    if stay.moved_out_on is not None:
        note = stay.move_out_note
        if note not in _VANISHED_NOTES and not (note is None and rng.random() < 0.3):
            return
        leaves_on = stay.moved_out_on
    else:  # will leave after today; maybe missing already
        if rng.random() < 0.4:
            return
        leaves_on = stay.planned_leave
    first_day = leaves_on - timedelta(days=rng.choice((1, 2, 2, 3, 3, 4, 5, 7)))
    first = max(lo, 3 * (first_day - demo.first_day).days + rng.choices(range(3), (3, 2, 5))[0])
    while first < hi and demo.rounds[first].started_at < stay.arrival_at + _MARGIN:
        first += 1
    if first >= hi:
        return
    episode = _new_episode(demo, stay, first, hi - 1)
    if episode is None:
        return
    episode.departed, episode.end = True, stay.moved_out_at
    _add_episode(demo, stay, episode, _far(demo))


def _plan_missing_cases(demo: _Demo, stay: _Stay, lo: int, hi: int) -> None:
    """Absences that end with the resident back: mostly within hours, some for days."""
    rng = demo.rng
    for _i in range(_poisson(rng, (hi - lo) / 3 * MISSING_PER_DAY[stay.street])):
        first = rng.randrange(lo, hi)
        if demo.rounds[first].started_at < stay.arrival_at + _MARGIN:
            continue
        length = rng.random()
        if length < 0.55:
            count = rng.choice((1, 1, 1, 2, 2, 3))
        elif length < (0.8 if stay.street else 0.9):
            count = rng.randint(3, 9)
        else:
            count = rng.randint(10, 40)
        last, back = first + count - 1, first + count
        if back >= hi:
            if hi < len(demo.rounds):  # back just before moving out
                last, back = hi - 2, hi - 1
                if last < first:
                    continue
            else:  # still missing now
                last, back = hi - 1, None
        until = demo.rounds[back].planned_at if back is not None else _far(demo)
        if not _is_free(stay, demo.rounds[first].planned_at - _MARGIN, until + _MARGIN):
            continue
        episode = _new_episode(demo, stay, first, last)
        if episode is None:
            continue
        if back is not None:
            before, after = demo.rounds[last], demo.rounds[back]
            earliest = before.started_at + timedelta(seconds=before.seconds, minutes=10)
            latest = after.started_at - timedelta(minutes=5)
            episode.end = earliest + (latest - earliest) * rng.uniform(0.05, 0.95)
        _add_episode(demo, stay, episode, until)


def _cases_for_today(demo: _Demo) -> None:
    """The Today page has something to show: a case whose reports are due soon and one with
    reports overdue (unless the simulation left such cases open already)."""
    rounds = demo.rounds
    if len(rounds) < 9:
        return
    dues = [e.due for s in demo.current for e in s.episodes
            if e.end is None and e.due is not None and len(e.reports) < len(MISSING_REPORT_KINDS)]
    window = rounds[-9].planned_at - _MARGIN
    candidates = [s for s in demo.current if s.arrival <= demo.today - timedelta(days=4)
                  and _is_free(s, window, _far(demo))]
    if not any(due > demo.latest for due in dues):
        best: tuple[datetime, _Stay, _Round] | None = None
        for stay in candidates:
            for round_ in rounds[-6:]:
                since, _by = _mark_time(round_, 0.5)
                if since > demo.latest - timedelta(minutes=5):
                    continue
                due = report_due(stay.person.date_of_birth, since)
                if due > demo.latest + timedelta(minutes=15) and (best is None or due < best[0]):
                    best = (due, stay, round_)
        if best is not None:
            _due, stay, round_ = best
            episode = _new_episode(demo, stay, round_.index, len(rounds) - 1, fraction=0.5)
            if episode is not None:
                # Staff wait for the deadline before calling the police.
                _add_episode(demo, stay, episode, _far(demo),
                             outstanding=("police", "municipality", "agency"), late=False,
                             flags=False)
                candidates.remove(stay)
    if candidates and not any(due <= demo.latest for due in dues):
        stay = demo.rng.choice(candidates)
        first = demo.rng.randint(len(rounds) - 9, len(rounds) - 5)
        episode = _new_episode(demo, stay, first, len(rounds) - 1)
        if episode is not None:
            _add_episode(demo, stay, episode, _far(demo),
                         outstanding=("municipality", "agency"), late=False, flags=False)


def _plan_attendance(demo: _Demo) -> None:
    """After the simulation: the rounds, then for every stay the missing case that ends a
    departure, approved leave and missing cases with a return, then the open cases today.
    The marks themselves are made while writing (``_round_rows``): ~800,000 for ten years."""
    _plan_rounds(demo)
    for stay in demo.stays:
        lo, hi = _round_range(demo, stay)
        if hi <= lo:
            continue
        demo.expected_marks += hi - lo
        _plan_departure_case(demo, stay, lo, hi)
        _plan_leave(demo, stay)
        _plan_missing_cases(demo, stay, lo, hi)
    _cases_for_today(demo)
    planned = [r.planned_at for r in demo.rounds]
    for stay in demo.stays:
        for leave in stay.leaves:
            for index in range(bisect.bisect_left(planned, leave.starts_at),
                               bisect.bisect_left(planned, leave.ends_at)):
                stay.on_leave[index] = leave
        for episode in stay.episodes:
            for index in range(episode.first, episode.last + 1):
                stay.absent[index] = episode


def _school_day(day: date) -> bool:
    """Language school and activities: weekdays outside the holidays (summer, autumn and
    winter weeks, Christmas)."""
    if day.weekday() >= 5:
        return False
    week = day.isocalendar()[1]
    if week in (7, 42) or 27 <= week <= 31:
        return False
    return not ((day.month == 12 and day.day >= 21) or (day.month == 1 and day.day <= 2))


def _round_rows(demo: _Demo, device_id: uuid.UUID) -> Iterator[tuple[type, list[dict[str, Any]]]]:
    """Every round and its marks, a few days at a time (rounds before their marks)."""
    rng = demo.rng
    latest = demo.latest
    ordered = sorted(demo.stays, key=lambda s: s.arrival)
    active: dict[uuid.UUID, _Stay] = {}
    pointer = 0
    day: date | None = None
    school = False
    round_rows: list[dict[str, Any]] = []
    mark_rows: list[dict[str, Any]] = []
    for round_ in demo.rounds:
        if round_.day != day:
            day = round_.day
            while pointer < len(ordered) and ordered[pointer].arrival <= day:
                stay = ordered[pointer]
                pointer += 1
                if stay.moved_out_on is None or stay.moved_out_on > day:
                    active[stay.id] = stay
            for stay in [s for s in active.values()
                         if s.moved_out_on is not None and s.moved_out_on <= day]:
                del active[stay.id]
            school = _school_day(day)
        index, started, seconds = round_.index, round_.started_at, round_.seconds
        staff, relief, typed_at = round_.staff, round_.relief, round_.typed_at
        at_school = school and round_.slot == "afternoon"
        count = 0
        last_made = started if typed_at is None else typed_at
        for stay in active.values():
            episode = stay.absent.get(index) if stay.absent else None
            note = None
            source = "screen" if typed_at is None else "paper"
            if episode is not None and episode.first == index:
                mark_id, mark, at, by = episode.mark_id, MARK_ABSENT, episode.since, episode.opened_by
            else:
                mark_id = demo.uuid()
                leave = stay.on_leave.get(index) if stay.on_leave else None
                if leave is not None:
                    mark = MARK_HOSPITAL if leave.kind == "hospital" else MARK_LEAVE
                    at, by, source = round_.planned_at if typed_at else started, staff, "leave"
                elif stay.arrival == day and stay.arrival_at > started and episode is None:
                    # Arrived after the round began: marked present on arrival.
                    mark, source = MARK_PRESENT, "screen"
                    at = stay.arrival_at + timedelta(minutes=rng.randint(5, 40))
                    by = _on_duty(demo, at)
                else:
                    fraction = rng.random()
                    at = started + timedelta(seconds=fraction * seconds)
                    by = relief if relief is not None and fraction > 0.5 else staff
                    if episode is not None:
                        mark = MARK_ABSENT
                    else:
                        chance = rng.random()
                        if at_school and chance < AT_SCHOOL[stay.street]:
                            mark = MARK_SCHOOL
                            if rng.random() < 0.2:
                                note = rng.choice(_SCHOOL_NOTES)
                        elif chance > 1 - OTHER_MARK[stay.street]:
                            mark, note = MARK_OTHER, rng.choice(_OTHER_NOTES)
                        else:
                            mark = MARK_PRESENT
            created = at
            if typed_at is not None and source != "screen":
                created = typed_at + timedelta(seconds=15 * count)
            if created > latest:
                continue  # today's round is still going on
            count += 1
            last_made = max(last_made, created)
            mark_rows.append({
                "id": mark_id, "created_at": created, "updated_at": created,
                "updated_by_device": device_id, "deleted_at": None, "row_version": 1,
                "round_id": round_.id, "resident_id": stay.id, "mark": mark, "note": note,
                "marked_at": at, "marked_by": by.id, "source": source})
        demo.marks_written += count
        completed = last_made if count == len(active) else None
        begun = started if typed_at is None else typed_at
        round_rows.append({
            **_synced(device_id, round_.id, begun, [completed]), "round_date": round_.day,
            "slot": round_.slot, "planned_at": round_.planned_at, "started_at": begun,
            "started_by": staff.id, "completed_at": completed})
        if len(mark_rows) >= BATCH_SIZE:
            yield AttendanceRound, round_rows
            yield AttendanceMark, mark_rows
            round_rows, mark_rows = [], []
    if round_rows:
        yield AttendanceRound, round_rows
        yield AttendanceMark, mark_rows


def _case_rows(demo: _Demo,
               device_id: uuid.UUID) -> list[tuple[type, list[dict[str, Any]]]]:
    """Missing cases and their reports (after the marks that opened them)."""
    cases, reports = [], []
    for stay in demo.stays:
        for episode in stay.episodes:
            closed = episode.end is not None
            cases.append({
                **_synced(device_id, episode.id, episode.opened_at, [episode.end]),
                "resident_id": stay.id, "missing_since": episode.since, "reason": "absent_mark",
                "mark_id": episode.mark_id, "opened_by": episode.opened_by.id,
                "special_concern": episode.special_concern,
                "known_not_staying": episode.known_not_staying,
                "last_seen_at": episode.facts.get("last_seen_at"),
                "last_seen_place": episode.facts.get("last_seen_place"),
                "height": episode.facts.get("height"),
                "clothing": episode.facts.get("clothing"),
                "description": episode.facts.get("description"),
                "contacts": episode.facts.get("contacts"),
                "closed_at": episode.end,
                "close_reason": (("left_responsibility" if episode.departed else "returned")
                                 if closed else None),
                "close_note": episode.close_note,
                "closed_by": episode.closed_by.id if episode.closed_by else None})
            for ident, kind, at, by, reference in episode.reports:
                reports.append({**_synced(device_id, ident, at), "case_id": episode.id,
                                "kind": kind, "done_at": at, "done_by": by.id,
                                "reference": reference})
    return [(MissingCase, cases), (MissingReport, reports)]


# --- 3c. reception: the lost-property register and the visitor log -------------------

#: Days after an unannounced departure before the room is cleared (domain-rules §5).
CLEARING_DELAY_DAYS = (1, 3)
#: Chance that staff list the room's other occupants (of the fortnight before) as well.
LIST_ROOMMATES = 0.35
#: Chance that a departed resident comes by to fetch the belongings within the period.
FETCHED_BY_OWNER = 0.06
#: Chance that an item from a cleared room turns out to be a listed roommate's.
ROOMMATE_CLAIMS = 0.1
#: Items found in the common areas per month at a centre of 78 places.
COMMON_FINDS_PER_MONTH = 3.0
#: Share of common-area finds whose owner is found within the search.
OWNER_FOUND = 0.7
#: Share of dispositions first recorded wrongly and corrected.
CORRECTED_DISPOSITIONS = 0.02
#: Share of visitors turned away at the door.
TURNED_AWAY = 0.025
#: Chance of a relative / friend / volunteer mentor visiting, by section (street: True).
VISITING_FAMILY = {False: 0.3, True: 0.12}
VISITING_FRIEND = {False: 0.18, True: 0.2}
VOLUNTEER_MENTOR = {False: 0.12, True: 0.04}

# (description, category, lowest, highest value in DKK); staff estimate in round kroner.
Catalogue = tuple[tuple[str, str, int, int], ...]
_ROOM_ITEMS: dict[str, Catalogue] = {
    "clothing": (("Sort dunjakke", "clothing", 150, 450), ("Grå hættetrøje", "clothing", 50, 200),
                 ("Blå jeans", "clothing", 80, 250), ("Træningsbukser", "clothing", 40, 150),
                 ("T-shirts og sokker i en pose", "clothing", 30, 120),
                 ("Vinterjakke, grøn (Canada Goose-kopi)", "clothing", 200, 650),
                 ("Fodboldtrøje (Real Madrid)", "clothing", 100, 400),
                 ("Sort læderjakke", "clothing", 300, 900)),
    "shoes": (("Hvide sneakers str. 42", "shoes", 150, 550), ("Fodboldstøvler str. 41", "shoes",
              100, 400), ("Badesandaler", "shoes", 20, 60), ("Vinterstøvler str. 43", "shoes",
              150, 400)),
    "bag": (("Sort rygsæk", "bag", 80, 300), ("Sportstaske (Nike)", "bag", 100, 300),
            ("Skuldertaske", "bag", 50, 200)),
    "electronics": (("Opladerkabel USB-C", "electronics", 30, 100),
                    ("Mobiloplader med kabel", "electronics", 50, 150),
                    ("Powerbank", "electronics", 100, 250),
                    ("Trådløse høretelefoner", "electronics", 150, 700)),
    "toiletries": (("Toilettaske med tandbørste og shampoo", "toiletries", 20, 80),
                   ("Parfume", "toiletries", 50, 250), ("Hårvoks og deodorant", "toiletries",
                                                        20, 60)),
    "books": (("Ordbog og hæfter fra sprogskolen", "books", 30, 150),
              ("Bønnebog", "books", 30, 120), ("Tegnehæfte og blyanter", "books", 10, 60)),
    "sports": (("Fodbold", "sports", 50, 150), ("Boksehandsker", "sports", 100, 300)),
    "valuable": (("Mobiltelefon, Samsung Galaxy, revnet skærm", "phone", 500, 1500),
                 ("iPhone 11 med cover", "phone", 1200, 2800),
                 ("Mobiltelefon, Xiaomi Redmi", "phone", 500, 1200),
                 ("Guldkæde med vedhæng", "jewellery", 800, 3000),
                 ("Armbåndsur", "jewellery", 500, 1500)),
}
_ROOM_ITEM_WEIGHTS = {"clothing": 10, "shoes": 4, "bag": 3, "electronics": 4, "toiletries": 4,
                      "books": 2, "sports": 1}
_PERISHABLES: Catalogue = (("Brød og frugt", "food", 0, 30), ("Åbnet pakke dadler", "food", 0, 20),
                           ("Mælk og yoghurt fra køleskabet", "food", 0, 30),
                           ("Chips og sodavand", "food", 0, 40),
                           ("Ris, krydderier og te", "food", 10, 50))
_COMMON_ITEMS: Catalogue = (
    ("Sort hue", "clothing", 20, 80), ("Grå hættetrøje", "clothing", 50, 200),
    ("Mobiltelefon med rødt cover", "phone", 500, 2000),
    ("Høretelefoner (AirPods) i etui", "electronics", 600, 1500),
    ("Opladerkabel", "electronics", 20, 80), ("Nøglebundt med tre nøgler", "other", 0, 0),
    ("Pung med {cash} kr.", "money", 0, 0), ("Fodboldstøvler str. 40", "shoes", 100, 300),
    ("Træningstaske", "bag", 80, 250), ("Solbriller", "other", 50, 200),
    ("Armbånd", "jewellery", 100, 800), ("Vandflaske", "other", 20, 100),
    ("Rejsekort", "other", 50, 100), ("Fodbold", "sports", 50, 150))
_COMMON_PLACES = ("Fælleskøkken", "Opholdsstue", "Gården", "Vaskerum", "Kantinen",
                  "Fodboldbanen", "Computerrummet")
_CHARITIES = ("Røde Kors", "Kirkens Korshær", "Red Barnet")
#: Chance that kept items of a category go to charity rather than being destroyed.
_TO_CHARITY = {"clothing": 0.8, "shoes": 0.7, "bag": 0.7, "books": 0.6, "sports": 0.8,
               "jewellery": 0.6, "electronics": 0.2, "phone": 0.0, "toiletries": 0.05}
_DESTROYED_NOTES = ("Slidt; kasseret.", "Kasseret efter opbevaringsperioden.", None, None)
_PHONE_DESTROYED_NOTE = "Telefonen destrueret (data slettet)."
_RETURNED_ON_RETURN_NOTE = "Udleveret, da beboeren kom tilbage; kvittering underskrevet."
_RETURNED_FETCHED_NOTE = "Hentet af beboeren selv; kvittering underskrevet."
_RETURNED_ROOMMATE_NOTE = "Tilhørte værelseskammeraten; kvittering underskrevet."
_RETURNED_COMMON_NOTES = ("Ejeren meldte sig i receptionen.", "Opslag på tavlen; ejeren kom.",
                          None)
_CORRECTION_REASONS = {
    "organisation": "Forkert organisation registreret; rettet.",
    "charity": "Blev givet til {organisation}, ikke destrueret.",
    "destroyed": "For slidt til genbrug: destrueret, ikke givet væk.",
    "recipient": "Forkert person-ID tastet ved udleveringen.",
    "police": "Politiets kvitteringsnummer var tastet forkert.",
}

# Visitors: relation, sex and whether they share the resident's family name (None: maybe).
_FAMILY_RELATIONS = (("Onkel", "male", None), ("Farbror", "male", True), ("Morbror", "male", False),
                     ("Fætter", "male", None), ("Storebror", "male", True),
                     ("Moster", "female", False), ("Faster", "female", True),
                     ("Kusine", "female", None), ("Storesøster", "female", True))
_FRIEND_RELATIONS = ("Ven", "Ven fra sprogskolen", "Ven fra fodboldklubben", "Klassekammerat")
_VOLUNTEER_RELATIONS = ("Frivillig lektiehjælper, Røde Kors", "Frivillig mentor, Red Barnet",
                        "Frivillig, Røde Kors' netværksfamilie")
_REPRESENTATIVE_RELATION = "Personlig repræsentant"
_TURNED_AWAY_REASONS = ("Kunne ikke vise legitimation.", "Beboeren ønskede ikke besøg.",
                        "Kom efter besøgstiden (kl. 21).",
                        "Virkede påvirket; bedt om at komme en anden dag.")
_NOT_AT_HOME = "Beboeren var ikke hjemme."
#: Chance that a visitor comes while the resident is away (on leave, missing) and is told so.
CAME_IN_VAIN = 0.3
# Origins whose names are also written in Arabic script (Arabic, Dari, Farsi, Pashto).
_ARABIC_SCRIPT_ORIGINS = frozenset({"Afghanistan", "Syria", "Iraq", "Iran", "Morocco", "Algeria",
                                    "Sudan"})


@dataclass(eq=False)
class _Disposal:
    id: uuid.UUID
    kind: str
    on: date
    at: datetime                     # recorded
    by: _StaffMember
    police_reference: str | None = None
    organisation: str | None = None
    recipient: str | None = None
    note: str | None = None
    superseded_at: datetime | None = None
    superseded_reason: str | None = None


@dataclass(eq=False)
class _Item:
    id: uuid.UUID
    batch_id: uuid.UUID
    description: str
    category: str
    value: Decimal
    perishable: bool
    origin: str
    found_on: date
    found_at: datetime               # logged
    found_by: _StaffMember
    room: _Room | None = None
    place: str | None = None
    storage: str | None = None
    person_ids: list[str] = field(default_factory=list)
    retention_ends: date | None = None
    owner_search_ends: date | None = None
    number: str = ""
    dispositions: list[_Disposal] = field(default_factory=list)

    @property
    def disposition(self) -> str | None:
        """The kind of the disposition in force (the latest not superseded)."""
        current = [d for d in self.dispositions if d.superseded_at is None]
        return current[-1].kind if current else None

    @property
    def deadline(self) -> date | None:
        return self.retention_ends if self.origin == ORIGIN_VACATED else self.owner_search_ends


@dataclass(eq=False)
class _Visitor:
    name: str
    document_type: str
    document_number: str | None
    relation: str

    @property
    def key(self) -> str:
        return visitor_key(self.name, self.document_number)


@dataclass(eq=False)
class _Visit:
    id: uuid.UUID
    visitor: _Visitor
    stay: _Stay
    arrived_at: datetime
    signed_in_by: _StaffMember
    left_at: datetime | None = None
    signed_out_by: _StaffMember | None = None
    turned_away_reason: str | None = None


def _money(rng: random.Random, lowest: int, highest: int) -> Decimal:
    """An estimate as staff make it: in whole tens of kroner."""
    return Decimal(rng.randint(lowest // 10, highest // 10) * 10).quantize(Decimal("0.01"))


def _after_weekend(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _recorded(demo: _Demo, on: date, not_before: datetime) -> datetime:
    """When a disposition dated ``on`` was recorded: office hours that day, after
    ``not_before`` (the item was logged) and never after the generation time."""
    return min(max(demo.moment(on, 9, 16), not_before + timedelta(minutes=1)), demo.latest)


def _dispose(demo: _Demo, item: _Item, kind: str, on: date, **details: Any) -> _Disposal:
    at = _recorded(demo, on, item.dispositions[-1].at if item.dispositions else item.found_at)
    disposal = _Disposal(demo.uuid(), kind, on, at, _on_duty(demo, at), **details)
    item.dispositions.append(disposal)
    return disposal


def _police_reference(rng: random.Random, on: date) -> str:
    return f"NSJ-HG-{on.year}-{rng.randint(100, 29999):05d}"


def _maybe_correct(demo: _Demo, item: _Item, *, always: bool = False) -> None:
    """Now and then the disposition in force was first recorded wrongly: the wrong record
    stays, superseded, and the right one follows (``correct_disposition``)."""
    rng = demo.rng
    if not item.dispositions or (rng.random() >= CORRECTED_DISPOSITIONS and not always):
        return
    right = item.dispositions[-1]
    if right.kind == DISPOSITION_DISCARDED:
        return
    wrong = _Disposal(demo.uuid(), right.kind, right.on, right.at, right.by,
                      right.police_reference, right.organisation, right.recipient, right.note)
    if right.kind == DISPOSITION_CHARITY:
        if rng.random() < 0.5:
            wrong.kind, wrong.organisation = DISPOSITION_DESTROYED, None
            reason = _CORRECTION_REASONS["charity"].format(organisation=right.organisation)
        else:
            wrong.organisation = rng.choice([c for c in _CHARITIES if c != right.organisation])
            reason = _CORRECTION_REASONS["organisation"]
    elif right.kind == DISPOSITION_DESTROYED:
        wrong.kind, wrong.organisation = DISPOSITION_CHARITY, rng.choice(_CHARITIES)
        reason = _CORRECTION_REASONS["destroyed"]
    elif right.kind == DISPOSITION_RETURNED:
        assert right.recipient is not None
        digits = list(right.recipient)
        digits[1], digits[2] = digits[2], digits[1]
        if digits == list(right.recipient):
            digits[0] = str((int(digits[0]) % 9) + 1)
        wrong.recipient = "".join(digits)
        reason = _CORRECTION_REASONS["recipient"]
    else:
        wrong.police_reference = _police_reference(rng, right.on)
        reason = _CORRECTION_REASONS["police"]
    wrong.superseded_at = min(right.at + timedelta(minutes=rng.randint(30, 60 * 72)), demo.latest)
    wrong.superseded_reason = reason
    right.id, right.at = demo.uuid(), wrong.superseded_at
    right.by = _on_duty(demo, right.at)
    item.dispositions[-1:] = [wrong, right]


def _living_on(demo: _Demo, day: date) -> list[_Stay]:
    return [s for s in demo.stays if s.arrival <= day
            and (s.moved_out_on is None or day < s.moved_out_on)]


def _vanished(stay: _Stay) -> bool:
    """A departure without notice: a missing resident registered as departed."""
    return (stay.reason == STATUS_DEPARTED and stay.moved_out_on is not None
            and not stay.turns_adult and (stay.move_out_note in _VANISHED_NOTES
                                          or any(e.departed for e in stay.episodes)))


def _room_items(demo: _Demo, stay: _Stay) -> list[tuple[str, str, Decimal, bool]]:
    """What was left behind: 1–6 items, now and then food and a phone or jewellery."""
    rng = demo.rng
    count = rng.choices(range(1, 7), weights=(2, 4, 5, 4, 3, 2))[0]
    chosen: list[tuple[str, str, Decimal, bool]] = []
    if rng.random() < 0.4:
        text, category, low, high = rng.choice(_PERISHABLES)
        chosen.append((text, category, _money(rng, low, high), True))
    if len(chosen) < count and rng.random() < 0.2:
        text, category, low, high = rng.choice(_ROOM_ITEMS["valuable"])
        chosen.append((text, category, _money(rng, low, high), False))
    groups = list(_ROOM_ITEM_WEIGHTS)
    while len(chosen) < count:
        group = rng.choices(groups, weights=[_ROOM_ITEM_WEIGHTS[g] for g in groups])[0]
        text, category, low, high = rng.choice(_ROOM_ITEMS[group])
        if text == "Bønnebog":
            text = ("Bibel" if stay.person.nationality in ("Eritrea", "Ukraine")
                    else "Koranen" if stay.person.nationality != "Vietnam" else "Notesbog")
        if any(text == c[0] for c in chosen):
            continue
        chosen.append((text, category, _money(rng, low, high), False))
    return chosen


def _clear_room(demo: _Demo, stay: _Stay, history: dict[_Room, list[tuple[_Stay, _Spell]]],
                stays_of: dict[str, list[_Stay]], box: list[int]) -> None:
    """The room of a resident who left without notice is cleared 1–3 days later: one batch
    with the occupants' person IDs, perishables discarded at once, the rest kept until the
    resident comes back for it or the retention ends (then destroyed or given away)."""
    rng = demo.rng
    assert stay.moved_out_on is not None
    found_on = stay.moved_out_on + timedelta(days=rng.randint(*CLEARING_DELAY_DAYS))
    if found_on > demo.today:
        return
    bed = stay.bed().target
    assert isinstance(bed, _Bed)
    room = bed.room
    since = found_on - timedelta(days=OCCUPANT_LOOKBACK_DAYS)
    # Those who lived in the room in the fortnight before (not the one moved into the bed
    # since); the service proposes them and staff keep or strike them.
    roommates = [other for other, spell in history[room]
                 if other.person is not stay.person and spell.start <= stay.moved_out_on
                 and (spell.end is None or spell.end >= since)]
    listed = roommates if roommates and rng.random() < LIST_ROOMMATES else []
    person_ids = list(dict.fromkeys([stay.person.person_id, *(o.person.person_id
                                                              for o in listed)]))
    found_at = demo.moment(found_on, 9, 16)
    found_by = _on_duty(demo, found_at)
    box[0] = box[0] % 60 + 1
    shelf_box = f"Reol {(box[0] - 1) // 15 + 1}, kasse {box[0]}"
    batch = demo.uuid()
    back = next((s for s in stays_of[stay.person.person_id]
                 if found_on < s.arrival <= demo.today), None)
    fetched_on = (found_on + timedelta(days=rng.randint(1, 20))
                  if rng.random() < FETCHED_BY_OWNER else None)
    sweeps: dict[date, date] = {}
    for text, category, value, perishable in _room_items(demo, stay):
        valuable = category in ("phone", "jewellery")
        storage = (None if perishable else
                   f"Pengeskabet, kuvert {rng.randint(1, 40)}" if valuable else shelf_box)
        item = _Item(demo.uuid(), batch, text, category, value, perishable, ORIGIN_VACATED,
                     found_on, found_at, found_by, room=room, storage=storage,
                     person_ids=person_ids,
                     retention_ends=retention_ends(found_on, value, perishable=perishable))
        demo.items.append(item)
        if perishable:  # logged and discarded at once, in the same unit (``log_items``)
            item.dispositions.append(_Disposal(
                demo.uuid(), DISPOSITION_DISCARDED, found_on, found_at + timedelta(seconds=1),
                found_by, note=_("Perishable: discarded when the room was cleared.")))
            continue
        kept_until = item.retention_ends
        assert kept_until is not None
        claim_on = found_on + timedelta(days=rng.randint(0, 6))
        claimants = [o for o in listed if o.moved_out_on is None or claim_on < o.moved_out_on]
        if (claimants and not valuable and claim_on <= demo.today
                and rng.random() < ROOMMATE_CLAIMS):
            _dispose(demo, item, DISPOSITION_RETURNED, claim_on,
                     recipient=rng.choice(claimants).person.person_id,
                     note=_RETURNED_ROOMMATE_NOTE)
        elif back is not None and back.arrival <= kept_until:
            on = min(back.arrival + timedelta(days=rng.randint(0, 2)), kept_until, demo.today)
            _dispose(demo, item, DISPOSITION_RETURNED, on, recipient=stay.person.person_id,
                     note=_RETURNED_ON_RETURN_NOTE)
        elif fetched_on is not None and fetched_on <= min(kept_until, demo.today):
            _dispose(demo, item, DISPOSITION_RETURNED, fetched_on,
                     recipient=stay.person.person_id, note=_RETURNED_FETCHED_NOTE)
        else:
            # After the retention the shelf is gone through on a weekday soon after; the
            # items of one batch with the same end together.
            if kept_until not in sweeps:
                sweeps[kept_until] = _after_weekend(
                    kept_until + timedelta(days=rng.choice((0, 0, 1, 1, 2, 3, 4, 6))))
            on = sweeps[kept_until]
            if on > demo.today:
                continue
            if rng.random() < _TO_CHARITY.get(category, 0.3):
                _dispose(demo, item, DISPOSITION_CHARITY, on, organisation=rng.choice(_CHARITIES))
            else:
                _dispose(demo, item, DISPOSITION_DESTROYED, on,
                         note=(_PHONE_DESTROYED_NOTE if category == "phone"
                               else rng.choice(_DESTROYED_NOTES)))
        _maybe_correct(demo, item)


def _common_find(demo: _Demo, day: date, *, dispose: bool = True) -> _Item:
    """Something found in a common area: the owner is looked for for 3 working days, then
    it goes to the police."""
    rng = demo.rng
    text, category, low, high = rng.choice(_COMMON_ITEMS)
    value = _money(rng, low, high)
    if category == "money":
        cash = rng.choice((20, 50, 70, 120, 140, 200, 350))
        text, value = text.format(cash=cash), Decimal(cash).quantize(Decimal("0.01"))
    found_at = demo.moment(day, 8, 21)
    valuable = value >= HIGH_VALUE_DKK or category in ("money", "phone", "jewellery")
    item = _Item(demo.uuid(), demo.uuid(), text, category, value, False, ORIGIN_COMMON, day,
                 found_at, _on_duty(demo, found_at), place=rng.choice(_COMMON_PLACES),
                 storage=(f"Pengeskabet, kuvert {rng.randint(1, 40)}" if valuable
                          else f"Receptionen, skuffe {rng.randint(1, 3)}"),
                 owner_search_ends=owner_search_ends(day))
    demo.items.append(item)
    if not dispose:
        return item
    search_ends = item.owner_search_ends
    assert search_ends is not None
    if rng.random() < OWNER_FOUND:
        on = day + timedelta(days=rng.randint(0, (search_ends - day).days))
        owners = _living_on(demo, on) if on <= demo.today else []
        if owners:
            _dispose(demo, item, DISPOSITION_RETURNED, on,
                     recipient=rng.choice(owners).person.person_id,
                     note=rng.choice(_RETURNED_COMMON_NOTES))
            _maybe_correct(demo, item)
            return item
    on = _after_weekend(search_ends + timedelta(days=rng.choice((0, 1, 1, 2, 3))))
    if on <= demo.today:
        _dispose(demo, item, DISPOSITION_POLICE, on,
                 police_reference=_police_reference(rng, on))
        _maybe_correct(demo, item)
    return item


def _number_items(demo: _Demo) -> None:
    """Register numbers "YYYY-NNNN" per year found, in the order the items were logged."""
    demo.items.sort(key=lambda i: i.found_at)  # stable: a batch keeps its order
    counters: Counter[int] = Counter()
    for item in demo.items:
        counters[item.found_on.year] += 1
        item.number = f"{item.found_on.year}-{counters[item.found_on.year]:04d}"


def _items_for_today(demo: _Demo) -> None:
    """The due list has something to show: if nothing waits for a decision today, the
    items whose deadline passed most recently are still on the shelf (or, if there are
    none, something found in a common area a few days ago is)."""
    today = demo.today
    if sum(1 for i in demo.items if i.disposition is None and i.deadline is not None
           and i.deadline <= today) >= 2:
        return
    recent = sorted((i for i in demo.items if not i.perishable and i.deadline is not None
                     and today - timedelta(days=7) <= i.deadline <= today
                     and i.disposition in (DISPOSITION_DESTROYED, DISPOSITION_CHARITY,
                                           DISPOSITION_POLICE)),
                    key=lambda i: i.deadline or today, reverse=True)
    for item in recent[:2]:
        item.dispositions.clear()
    if not any(i.disposition is None and i.deadline is not None and i.deadline <= today
               for i in demo.items):
        day = today - timedelta(days=1)
        while owner_search_ends(day) > today:
            day -= timedelta(days=1)
        if day >= demo.first_day:
            _common_find(demo, day, dispose=False)


def _plan_lost_property(demo: _Demo) -> None:
    rng = demo.rng
    history: dict[_Room, list[tuple[_Stay, _Spell]]] = defaultdict(list)
    stays_of: dict[str, list[_Stay]] = defaultdict(list)
    for stay in demo.stays:
        stays_of[stay.person.person_id].append(stay)
        for spell in stay.beds:
            assert isinstance(spell.target, _Bed)
            history[spell.target.room].append((stay, spell))
    for stays in stays_of.values():
        stays.sort(key=lambda s: s.arrival)
    box = [rng.randint(0, 59)]
    for stay in sorted((s for s in demo.stays if _vanished(s)),
                       key=lambda s: s.moved_out_at or demo.latest):
        _clear_room(demo, stay, history, stays_of, box)
    per_day = COMMON_FINDS_PER_MONTH * max(demo.places, 26) / 78 / 30.4
    for number in range((demo.today - demo.first_day).days + 1):
        day = demo.first_day + timedelta(days=number)
        for _i in range(_poisson(rng, per_day)):
            _common_find(demo, day)
    _items_for_today(demo)
    if not any(d.superseded_at for i in demo.items for d in i.dispositions):
        # Every register shows what a correction looks like.
        latest = sorted((i for i in demo.items if i.dispositions
                         and i.dispositions[-1].kind != DISPOSITION_DISCARDED),
                        key=lambda i: i.dispositions[-1].at)
        if latest:
            _maybe_correct(demo, latest[-1], always=True)
    _number_items(demo)


# Visitors ----------------------------------------------------------------------------

def _document(rng: random.Random, kind: str) -> str | None:
    if kind == "passport":
        return f"{rng.choice('ANPRS')}{rng.randint(10 ** 7, 10 ** 8 - 1)}"
    if kind == "residence_card":
        return f"R{rng.randint(10 ** 7, 10 ** 8 - 1)}"
    if kind == "driving_licence":
        return f"{rng.randint(10 ** 7, 10 ** 8 - 1)}"
    if kind == "national_id":
        return f"{rng.randint(10 ** 8, 10 ** 9 - 1)}"
    if kind == "staff_card":
        return f"MED-{rng.randint(1000, 99999)}"
    if kind == "other":
        return f"RK-{rng.randint(10000, 99999)}"
    return None


def _danish_name(rng: random.Random, female: bool | None = None) -> str:
    female = rng.random() < 0.6 if female is None else female
    return f"{rng.choice(_DANISH_WOMEN if female else _DANISH_MEN)} {rng.choice(_DANISH_FAMILIES)}"


def _relative(demo: _Demo, stay: _Stay) -> _Visitor:
    """A relative living in Denmark or nearby: a name from the resident's country, now and
    then written as on an Arabic-script document."""
    rng = demo.rng
    person = stay.person
    origin = _ORIGIN_BY_NATIONALITY[person.nationality]
    relation, sex, same_family = rng.choice(_FAMILY_RELATIONS)
    given, given_script = rng.choice(origin.boys if sex == "male" else origin.girls)
    if same_family is None:
        same_family = rng.random() < 0.5
    family = (next((f for f in origin.families if f[0] == person.family_name),
                   (person.family_name, None)) if same_family else rng.choice(origin.families))
    name = f"{given} {family[0]}"
    if (person.nationality in _ARABIC_SCRIPT_ORIGINS and given_script and family[1]
            and rng.random() < 0.2):
        name = f"{given_script} {family[1]}"
    kind = rng.choices(("residence_card", "passport", "driving_licence"), (6, 3, 1))[0]
    return _Visitor(name, kind, _document(rng, kind), relation)


def _friend(demo: _Demo, stay: _Stay) -> _Visitor:
    rng = demo.rng
    relation = rng.choice(_FRIEND_RELATIONS)
    if rng.random() < 0.4:
        return _Visitor(_danish_name(rng, stay.person.sex == "female"), "national_id",
                        _document(rng, "national_id"), relation)
    origin = _ORIGIN_BY_NATIONALITY[stay.person.nationality]
    given, given_script = rng.choice(origin.boys if stay.person.sex == "male" else origin.girls)
    family, family_script = rng.choice(origin.families)
    name = f"{given} {family}"
    if (stay.person.nationality in _ARABIC_SCRIPT_ORIGINS and given_script and family_script
            and rng.random() < 0.15):
        name = f"{given_script} {family_script}"
    kind = rng.choices(("residence_card", "passport"), (3, 1))[0]
    return _Visitor(name, kind, _document(rng, kind), relation)


@dataclass(frozen=True)
class _Circle:
    visitor: _Visitor
    every_days: float
    first: date
    last: date
    hours: tuple[int, int]
    minutes: tuple[int, int]
    weekdays_only: bool = False


def _circle(demo: _Demo, stay: _Stay, start: date, end: date,
            volunteers: list[_Visitor], representatives: dict[str, _Visitor]) -> list[_Circle]:
    """Who comes to see the resident, how often and when."""
    rng = demo.rng
    circle: list[_Circle] = []
    person = stay.person
    if person.representative is not None:
        name = person.representative[0]
        visitor = representatives.get(name)
        if visitor is None:
            visitor = representatives[name] = _Visitor(
                name, "driving_licence", _document(rng, "driving_licence"),
                _REPRESENTATIVE_RELATION)
        first = max(start, stay.representative_from + timedelta(days=rng.randint(3, 14)))
        circle.append(_Circle(visitor, rng.uniform(35, 70), first, end, (9, 15), (45, 90),
                              weekdays_only=True))
    for _i in range(rng.choice((1, 1, 2)) if rng.random() < VISITING_FAMILY[stay.street] else 0):
        circle.append(_Circle(_relative(demo, stay), rng.uniform(10, 35), start, end, (11, 19),
                              (60, 240)))
    if rng.random() < VISITING_FRIEND[stay.street]:
        circle.append(_Circle(_friend(demo, stay), rng.uniform(7, 21),
                              start + timedelta(days=rng.randint(14, 45)), end, (15, 20),
                              (30, 150)))
    if volunteers and rng.random() < VOLUNTEER_MENTOR[stay.street]:
        circle.append(_Circle(rng.choice(volunteers), rng.uniform(7, 15),
                              start + timedelta(days=rng.randint(20, 60)), end, (15, 18),
                              (60, 120), weekdays_only=True))
    if stay.reason == STATUS_INTEGRATION and stay.moved_out_on is not None:
        municipality = (stay.move_out_note or "").removeprefix("Overført til ").rstrip(".")
        caseworker = _Visitor(_danish_name(rng), "staff_card", _document(rng, "staff_card"),
                              f"Sagsbehandler, {municipality or 'kommunen'}")
        day = stay.moved_out_on - timedelta(days=rng.randint(10, 30))
        circle.append(_Circle(caseworker, 10_000, max(day, start), end, (9, 14), (60, 120),
                              weekdays_only=True))
    return circle


def _visit_times(demo: _Demo, day: date, circle: _Circle) -> tuple[datetime, datetime]:
    rng = demo.rng
    first, last = circle.hours
    if day.weekday() >= 5 and not circle.weekdays_only:
        first = min(first, 11)
    local = datetime.combine(day, time(rng.randint(first, last), rng.choice((0, 5, 10, 15, 20,
                                                                              30, 40, 45, 50))),
                             tzinfo=LOCAL_TZ)
    closing = datetime.combine(day, time(21, 30), tzinfo=LOCAL_TZ)
    leaves = min(local + timedelta(minutes=rng.randint(*circle.minutes)), closing)
    return local.astimezone(UTC), leaves.astimezone(UTC)


def _plan_visits(demo: _Demo) -> None:
    """Visitors signed in and out at reception by the staff on shift, a few turned away,
    and 0–3 in the building at the generation time."""
    rng = demo.rng
    volunteers = [_Visitor(_danish_name(rng), rng.choice(("other", "driving_licence")), None,
                           rng.choice(_VOLUNTEER_RELATIONS))
                  for _i in range(max(2, demo.places // 12))]
    for volunteer in volunteers:
        volunteer.document_number = _document(rng, volunteer.document_type)
    representatives: dict[str, _Visitor] = {}
    seen: set[tuple[str, date]] = set()
    circles: dict[_Stay, list[_Circle]] = {}
    for stay in demo.stays:
        start = max(stay.arrival + timedelta(days=1), demo.first_day)
        end = (stay.moved_out_on - timedelta(days=1)) if stay.moved_out_on else demo.today
        if end < start:
            continue
        circles[stay] = _circle(demo, stay, start, end, volunteers, representatives)
        for circle in circles[stay]:
            day = circle.first + timedelta(days=int(rng.uniform(0, 0.8) * min(circle.every_days,
                                                                              30)))
            while day <= circle.last:
                if circle.weekdays_only:
                    day = _after_weekend(day)
                    if day > circle.last:
                        break
                _add_visit(demo, stay, circle, day, seen)
                day += timedelta(days=max(1, round(circle.every_days * rng.uniform(0.6, 1.4))))
    demo.visits.sort(key=lambda v: v.arrived_at)
    _visitors_in_building(demo, circles, seen)
    demo.visits.sort(key=lambda v: v.arrived_at)


def _add_visit(demo: _Demo, stay: _Stay, circle: _Circle, day: date,
               seen: set[tuple[str, date]]) -> None:
    rng = demo.rng
    visitor = circle.visitor
    arrived, left = _visit_times(demo, day, circle)
    if arrived > demo.latest or arrived < stay.arrival_at + timedelta(hours=1):
        return
    if (visitor.key, day) in seen:  # one visit a day: the same visitor is never in twice
        return
    reason = None
    if not _is_free(stay, arrived, left):  # away on leave, or missing
        if rng.random() >= CAME_IN_VAIN:
            return
        reason = _NOT_AT_HOME
    elif rng.random() < TURNED_AWAY:
        reason = rng.choice(_TURNED_AWAY_REASONS)
    if reason is not None:
        if reason == _TURNED_AWAY_REASONS[0]:
            visitor = _Visitor(visitor.name, "none", None, visitor.relation)
        elif reason == _TURNED_AWAY_REASONS[2]:
            late = datetime.combine(day, time(21, rng.randint(5, 50)), tzinfo=LOCAL_TZ)
            arrived = late.astimezone(UTC)
            if arrived > demo.latest:
                return
        seen.add((visitor.key, day))
        demo.visits.append(_Visit(demo.uuid(), visitor, stay, arrived, _on_duty(demo, arrived),
                                  turned_away_reason=reason))
        return
    seen.add((visitor.key, day))
    visit = _Visit(demo.uuid(), visitor, stay, arrived, _on_duty(demo, arrived))
    if left <= demo.latest:
        visit.left_at, visit.signed_out_by = left, _on_duty(demo, left)
    demo.visits.append(visit)


def _visitors_in_building(demo: _Demo, circles: dict[_Stay, list[_Circle]],
                          seen: set[tuple[str, date]]) -> None:
    """0–3 visitors signed in and not out at the generation time: in visiting hours those
    who came in the last hours, else those whom staff forgot to sign out today."""
    rng = demo.rng
    wanted = rng.choice((0, 1, 1, 2, 2, 3))
    inside = [v for v in demo.visits if v.turned_away_reason is None and v.left_at is None]
    for visit in inside[wanted:]:
        if demo.latest - visit.arrived_at >= timedelta(minutes=10):
            visit.left_at = visit.arrived_at + (demo.latest - visit.arrived_at) * rng.uniform(
                0.3, 0.9)
            visit.signed_out_by = _on_duty(demo, visit.left_at)
        else:
            demo.visits.remove(visit)
    missing = wanted - len(inside)
    now = demo.latest.astimezone(LOCAL_TZ)
    if missing > 0 and now.date() == demo.today and 11 <= now.hour < 21:
        opening = datetime.combine(demo.today, time(10), tzinfo=LOCAL_TZ)
        present = [s for s in demo.current if circles.get(s)]
        for stay in rng.sample(present, len(present)):
            if missing <= 0:
                break
            visitor = rng.choice(circles[stay]).visitor
            arrived = max(now - timedelta(minutes=rng.randint(10, 150)), opening).replace(
                second=0, microsecond=0).astimezone(UTC)
            if ((visitor.key, demo.today) in seen or arrived < stay.arrival_at + _MARGIN
                    or not _is_free(stay, arrived, demo.latest)):
                continue
            seen.add((visitor.key, demo.today))
            demo.visits.append(_Visit(demo.uuid(), visitor, stay, arrived,
                                      _on_duty(demo, arrived)))
            missing -= 1
    start_of_today = datetime.combine(demo.today, time(0), tzinfo=LOCAL_TZ).astimezone(UTC)
    candidates = [v for v in reversed(demo.visits) if v.arrived_at >= start_of_today
                  and v.left_at is not None and v.stay.moved_out_on is None]
    for visit in candidates[:max(0, missing)]:
        visit.left_at, visit.signed_out_by = None, None


def _plan_reception(demo: _Demo) -> None:
    """After the attendance: the lost-property register (rooms cleared after unannounced
    departures, finds in the common areas) and the visitor log."""
    _plan_lost_property(demo)
    _plan_visits(demo)


def _reception_rows(demo: _Demo,
                    device_id: uuid.UUID) -> list[tuple[type, list[dict[str, Any]]]]:
    items, dispositions, visits = [], [], []
    for item in demo.items:
        items.append({
            **_synced(device_id, item.id, item.found_at, [d.at for d in item.dispositions]),
            "number": item.number, "batch_id": item.batch_id, "description": item.description,
            "category": item.category, "value_dkk": item.value, "perishable": item.perishable,
            "origin": item.origin, "room_id": item.room.id if item.room else None,
            "place": item.place, "found_on": item.found_on, "found_by": item.found_by.id,
            "storage_location": item.storage, "person_ids": list(item.person_ids),
            "retention_ends": item.retention_ends, "owner_search_ends": item.owner_search_ends,
            "disposition": item.disposition})
        for d in item.dispositions:
            dispositions.append({
                **_synced(device_id, d.id, d.at, [d.superseded_at]), "item_id": item.id,
                "kind": d.kind, "on": d.on, "by_staff": d.by.id,
                "police_reference": d.police_reference, "organisation": d.organisation,
                "recipient_person_id": d.recipient, "note": d.note,
                "superseded_at": d.superseded_at, "superseded_reason": d.superseded_reason})
    for visit in demo.visits:
        visitor = visit.visitor
        visits.append({
            **_synced(device_id, visit.id, visit.arrived_at, [visit.left_at]),
            "visitor_name": visitor.name, "id_document_type": visitor.document_type,
            "id_document_number": visitor.document_number, "relation": visitor.relation,
            "visitor_key": visitor.key, "resident_id": visit.stay.id,
            "arrived_at": visit.arrived_at, "left_at": visit.left_at,
            "signed_in_by": visit.signed_in_by.id,
            "signed_out_by": visit.signed_out_by.id if visit.signed_out_by else None,
            "turned_away": visit.turned_away_reason is not None,
            "turned_away_reason": visit.turned_away_reason, "identity_erased_at": None})
    return [(LostItem, items), (LostItemDisposition, dispositions), (Visit, visits)]


# --- 3d. incidents: the incident log, use of force and the reports checklist ---------

#: Incidents a resident is the main person of (the one causing it or affected), per day of
#: stay, by section (street-oriented: True), before the resident's own propensity.
INCIDENTS_PER_DAY = {False: 1 / 260, True: 1 / 50}
#: A resident's propensity, (share of residents, factor): the same few are involved again
#: and again (the trend view shows repeated involvement).
PROPENSITY = {False: ((0.75, 0.3), (0.2, 1.5), (0.05, 8.0)),
              True: ((0.4, 0.25), (0.4, 1.0), (0.2, 3.5))}
#: When incidents happen (local hour 0–23): mostly in the evening and at night.
HOUR_WEIGHTS = {
    "evening": (7, 6, 5, 3, 2, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 5, 6, 8, 9, 10, 11, 12, 11, 9),
    "night": (8, 8, 7, 6, 4, 2, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8, 9),
    "day": (0, 0, 0, 0, 0, 0, 0, 0, 2, 4, 4, 4, 3, 4, 4, 3, 2, 0, 0, 0, 0, 0, 0, 0),
}
#: Monday … Sunday: more at weekends.
WEEKDAY_WEIGHTS = (0.9, 0.8, 0.8, 0.9, 1.4, 1.7, 1.2)
#: Share of incidents corrected after submission (a version is kept), and logged twice by
#: mistake (the leader voids the copy).
CORRECTED_INCIDENTS = 0.03
DUPLICATED_INCIDENTS = 0.005
#: Share of reports to the Agency made a day or more later than usual.
LATE_INCIDENT_REPORTS = 0.05
#: Share of uses of force where the minor declines to give a view.
STATEMENT_DECLINED = 0.22
#: Reports the Today page counts as overdue after this long (``app.queries.due``).
_OVERDUE_AFTER = timedelta(hours=12)

_CENTRE_MUNICIPALITY = "Allerød Kommune"
_LANGUAGES_DA = {"Dari": "dari", "Pashto": "pashto", "Arabic": "arabisk",
                 "Kurdish (Kurmanji)": "kurmanji", "Kurdish (Sorani)": "sorani",
                 "Tigrinya": "tigrinya", "Somali": "somali", "Tamazight": "tamazight",
                 "French": "fransk", "Spanish": "spansk", "Farsi": "farsi",
                 "Ukrainian": "ukrainsk", "Russian": "russisk", "Vietnamese": "vietnamesisk",
                 "English": "engelsk"}
_COMMON_INCIDENT_PLACES = ("Kantinen", "Fællesrummet", "Opholdsstuen", "Fælleskøkkenet",
                           "Gården", "Fodboldbanen", "Computerrummet", "Vaskerummet",
                           "Foran receptionen", "Indgangen", "Ved cykelskuret")
_STREET_PLACES = ("Afdeling B, gangen", "Afdeling B, fællesrummet", "Afdeling B, køkkenet")
_TOWN_PLACES = ("Allerød Station", "Hillerød Station", "Slotsarkaderne i Hillerød",
                "Nørreport Station", "Lillerød Centret")
#: Where a description says it happened (checked in this order) is where it happened.
_PLACE_HINTS = (("i køkkenet", "Fælleskøkkenet"), ("kantinen", "Kantinen"),
                ("døren til personalerummet", "Foran personalerummet"),
                ("ved cykelskuret", "Ved cykelskuret"), ("ved indgangen", "Indgangen"),
                ("fra byen", "Indgangen"), ("i fællesrummet", "Fællesrummet"),
                ("på toilettet", "Toilettet ved fællesrummet"),
                ("ved receptionen", "Foran receptionen"), ("i opholdsstuen", "Opholdsstuen"),
                ("på gangen", "Gangen"))
_KEPT_WHERE = ("Aflåst skab i personalerummet", "Pengeskabet på kontoret",
               "Aflåst skuffe i receptionen")
_INJURIES = ("Ingen synlige skader.", "Rødme på håndleddene; tilset af personalet.",
             "Lille skramme på albuen; renset.",
             "Klagede over ondt i skulderen; tilset af lægen dagen efter.")

_FIGHT_TOPICS = ("vasketiden", "PlayStation", "en oplader", "høj musik om natten",
                 "en fodboldkamp", "penge, {b} skyldte", "hvem der skulle lave mad først",
                 "pladsen i sofaen", "en kommentar om {b_s} familie", "en cigaret")
_FIGHT_TEXTS = (
    ("{a} og {b} kom op at slås efter et skænderi om {topic}. {a} slog {b} i ansigtet flere "
     "gange."),
    "{a} skubbede {b} ind i væggen og slog med knytnæve. Skænderiet handlede om {topic}.",
    "Et skænderi mellem {a} og {b} om {topic} endte med, at {a} sparkede {b} i benet og maven.",
    ("{a} angreb {b} i køen i kantinen og slog {b} i baghovedet. Ifølge {a} havde {b} talt "
     "grimt om {a_s} familie."),
    "{a} kastede en stol efter {b} under et skænderi om {topic} og ramte {b} på armen.",
    "{a} og {b} kom i slagsmål. Det startede som et skænderi om {topic}.",
)
_FIGHT_AFTER = {
    "separated": ("Personalet skilte dem ad og talte med dem hver for sig.",
                  "To medarbejdere fik dem skilt ad; de faldt til ro efter en halv time."),
    "first_aid": ("{b} fik en kold klud og is på kinden; hævelse, ingen andre skader.",
                  "{b} blødte fra næsen; renset og tilset af personalet."),
    "ambulance": ("{b} blev kørt på skadestuen i Hillerød og kom hjem samme nat.",),
    "police_called": ("Politiet kom og talte med begge; {b} ønsker at anmelde volden.",
                      "Politiet blev tilkaldt og tog imod anmeldelsen på stedet."),
}
_THREAT_WISHES = ("ekstra lommepenge", "at overnatte hos en ven i København", "en ny telefon",
                  "at flytte til et andet værelse", "at få sin telefon tilbage",
                  "at låne centrets PlayStation efter kl. 23")
_THREATS_STAFF = (
    "{a} blev vred over et afslag på {wish} og truede medarbejderen: »Jeg ved, hvor du bor.«",
    "{a} truede med at slå personalet, da {pron} blev bedt om at skrue ned for musikken.",
    "{a} råbte trusler mod nattevagten og slog i døren til personalerummet.",
    ("{a} truede en medarbejder med en saks i køkkenet, da {pron} fik afslag på {wish}. Lagde "
     "saksen fra sig efter kort tid."),
    ("{a} sagde til medarbejderen, at {pron} ville »finde hende efter arbejde«, efter et afslag "
     "på {wish}."),
)
_THREATS_RESIDENT = (
    "{a} truede {b} på livet efter et skænderi om {topic}.",
    "{a} har skrevet truende beskeder til {b} på Snapchat og truet med at stikke {b} ned.",
    "{a} truede {b} til at udlevere sin telefon og sine lommepenge.",
    "{b} fortæller, at {a} har truet med tæsk, hvis {b} siger noget til personalet.",
)
_STOLEN = (("sin mobiltelefon", "Mobiltelefon (Samsung) tilhørende {b}"),
           ("sine AirPods", "AirPods i etui tilhørende {b}"),
           ("300 kr. fra sin pung", "Kontanter, 300 kr."),
           ("sin dunjakke", "Sort dunjakke tilhørende {b}"),
           ("sine sneakers", "Nike-sneakers str. 42 tilhørende {b}"),
           ("sin powerbank", "Powerbank tilhørende {b}"))
_THEFT_TEXTS = (
    ("{b} meldte {thing} stjålet fra værelset. {a} blev set gå ind på værelset, mens {b} var i "
     "bad."),
    "{b} har fået stjålet {thing} fra sit skab. {a} er set med tingene.",
    "{b} opdagede om morgenen, at {thing} var væk fra værelset. {a} har været der om aftenen.",
)
_THEFT_FOUND = ("Værelset blev undersøgt i {a_s} nærvær, og tingene blev fundet i skabet.",
                "Ved undersøgelse af {a_s} værelse blev tingene fundet under madrassen.")
_SHOPLIFTING = (("{a} blev anholdt for butikstyveri i {shop} og kørt tilbage til centret af "
                 "politiet."),
                ("Butikken {shop} ringede: {a} var taget i at stjæle tøj og slik. Politiet "
                 "afhentede {a} og kørte {ham} til centret."))
_SHOPS = ("Føtex i Allerød", "Netto på Banegårdsvej", "Bilka i Hillerød",
          "Sportmaster i Slotsarkaderne")
_THEFT_UNKNOWN = (("Der er stjålet en bærbar computer fra computerrummet; døren var ulåst.",
                   "Computerrummet"),
                  ("Der er stjålet varer for ca. 600 kr. fra køkkenets forråd; låsen er brudt.",
                   "Køkkenets forråd"),
                  ("To cykler er stjålet fra cykelskuret; hængelåsene er klippet.",
                   "Cykelskuret"))
_VANDALISM = (  # (what happened, where; None: the resident's room)
    ("{a} smadrede en rude i fællesrummet med en stol.", "Fællesrummet"),
    ("{a} sparkede hul i døren til sit værelse efter en samtale om lommepenge.", None),
    ("Brandslukkeren på gangen blev tømt; {a} blev set løbe fra stedet.", "Gangen"),
    ("{a} rev håndvasken på toilettet løs fra væggen.", "Toilettet ved fællesrummet"),
    ("{a} slog fjernsynet i opholdsstuen i stykker efter en tabt FIFA-kamp.", "Opholdsstuen"),
    ("{a} smadrede lampen og skabslågen på sit værelse.", None),
)
_VANDALISM_UNKNOWN = (("Fjernsynet i opholdsstuen er slået i stykker; gerningsmand ukendt.",
                       "Opholdsstuen"),
                      ("Graffiti på muren ved cykelskuret og en knust lampe ved indgangen.",
                       "Ved cykelskuret"),
                      ("Ruden i hoveddøren er knust i løbet af natten; ingen har set noget.",
                       "Hoveddøren"))
_DAMAGE = ("{a} ødelagde {b_s} høretelefoner under et skænderi.",
           "{a} smed {b_s} telefon ud ad vinduet; skærmen er knust.",
           "{a} klippede {b_s} nye jakke i stykker.")
_DRUG_ITEMS = ("Ca. 2 g hash i en plasticpose", "Tre joints", "Kvarn med rester af hash",
               "Ca. 5 g skunk", "Lille pose med hvidt pulver (ukendt stof)",
               "Strip med 10 piller (Rivotril)")
_DRUG_EXTRAS = (("Kontanter, {cash} kr.", "cash"), ("Mobiltelefon (iPhone)", "return"),
                ("Rullepapir og tre lightere", "return_later"), ("Digital vægt", "police"))
_DRUG_TEXTS = {
    "search_room": (
        ("Kraftig lugt af hash fra værelse {room}. Værelset blev undersøgt i {a_s} nærvær; der "
         "blev fundet {item} i skuffen."),
        ("En anden beboer fortalte, at {a} opbevarer stoffer på værelset. Ved undersøgelse af "
         "værelse {room} blev der fundet {item}."),
        ("{a} solgte ifølge flere beboere hash på afdelingen. Værelset blev undersøgt, og der "
         "blev fundet {item} bag radiatoren.")),
    "search_person": (
        ("{a} kom tilbage fra byen tydeligt påvirket. Ved visitation af lommerne blev der fundet "
         "{item}."),
        ("Personalet så {a} sælge noget til en anden beboer ved cykelskuret. {a} blev visiteret, "
         "og der blev fundet {item}."),
        "{a} lugtede kraftigt af hash ved indgangen og blev visiteret; der blev fundet {item}."),
}
_WEAPONS = (("en foldekniv", "Foldekniv", "den"), ("en springkniv", "Springkniv", "den"),
            ("et boksejern", "Boksejern", "det"), ("en peberspray", "Peberspray", "den"),
            ("en kniv med 15 cm blad", "Kniv med 15 cm blad", "den"))
_WEAPON_TEXTS = (
    ("En beboer fortalte, at {a} gik rundt med {weapon}. {a} blev visiteret, og {weapon} blev "
     "taget i forvaring."),
    ("{a} viste {weapon} frem i fællesrummet. Personalet bad {ham} aflevere {it}, og {a} blev "
     "visiteret."),
    ("Ved hjemkomst fra byen blev {a} visiteret efter en anonym advarsel; der blev fundet "
     "{weapon} i jakkelommen."),
)
_OUTBURST_TRIGGERS = ("en telefonsamtale med familien", "besked om afslag på asyl",
                      "et afslag på lommepenge", "besked om flytning til et andet center",
                      "en konflikt på sprogskolen", "et mareridt")
_OUTBURST_TEXTS = (
    ("{a} fik et voldsomt raserianfald efter {trigger}, kastede med stole og slog hovedet mod "
     "væggen."),
    ("{a} var meget ophidset efter {trigger}, smed ting rundt i køkkenet og truede de andre "
     "beboere."),
    "{a} nægtede at forlade kantinen efter {trigger}, råbte og kastede med service.",
)
_SELF_HARM = (
    "{a} blev fundet på værelset med snitsår på underarmene. Sårene blev renset.",
    "{a} fortalte nattevagten, at {pron} havde slugt en større mængde smertestillende piller.",
    "{a} slog gentagne gange hovedet mod væggen efter et mareridt.",
    "{a} blev fundet på badeværelset med et bælte om halsen; personalet fik det fjernet.",
    "{a} har skåret sig i armen med et barberblad og viste det selv til personalet.",
)
_SELF_HARM_AFTER = {
    "ambulance": "Ambulance tilkaldt; {a} blev indlagt til observation på Nordsjællands Hospital.",
    "emergency_doctor": "Vagtlægen blev ringet op og kom; {a} blev set til hele natten.",
    "first_aid": "Personalet gav førstehjælp og blev hos {ham}, til {pron} faldt i søvn.",
}
_CONFLICT_TEXTS = (
    ("Højlydt konflikt mellem {a}, {b} og flere andre beboere i kantinen; der blev råbt og "
     "skubbet. Personalet fik grupperne adskilt."),
    "Uenighed om bønnetider og musik udviklede sig til en alvorlig konflikt mellem {a} og {b}.",
    ("{a} og {b} har i flere dage været i konflikt om værelset; i aften endte det i råb og "
     "skub, og {b} ville ikke sove der."),
    "Konflikt mellem {a} og {b} om rygter på sprogskolen; flere beboere tog parti.",
)
_RADICALISATION = (
    ("{a} har flere gange vist andre beboere videoer med ekstremistisk propaganda og talt "
     "positivt om at tilslutte sig en væbnet gruppe."),
    ("Flere beboere fortæller, at {a} kalder dem vantro og har sagt, at de skal straffes. {a} "
     "har holdt op med at gå i skole."),
    "{a} har delt billeder af våben og et terrorflag i en chatgruppe med andre beboere.",
)
_HARASSMENT = (
    ("religion", "{a} har gentagne gange kaldt {b} nedsættende ting, fordi {b} er kristen."),
    ("etnisk oprindelse", ("{b} fortæller, at {a} og andre driller {b} for at være hazara og "
                           "har spyttet efter {b}.")),
    ("køn", ("{a} råbte seksuelle kommentarer efter en kvindelig medarbejder og en kvindelig "
             "beboer.")),
    ("seksuel orientering", ("{a} har spredt rygter om, at {b} er homoseksuel, og kalder {b} "
                             "skældsord på gangen.")),
    ("hudfarve", "{a} kalder {b} racistiske skældsord og vil ikke sidde ved samme bord."),
)
_REFUSED_TASKS = (
    ("{a} har i denne uge nægtet at gøre rent på værelset og i fælleskøkkenet trods flere "
     "påmindelser."),
    "{a} nægter at deltage i den obligatoriske undervisning og er ikke mødt op i to uger.",
    "{a} nægter at tage sin tur med opvasken og rengøringen af fællesarealerne.",
    "{a} nægter at rydde op på værelset, som er så beskidt, at der er kommet skadedyr.",
)
_SEXUAL_OFFENCE = (
    "{b} fortæller, at {a} har befølt {b} mod {b_s} vilje i fællesrummet.",
    "{a} har blottet sig for {b} og en anden beboer på gangen.",
)
_ARSON = (
    ("Brand i en papirkurv på toilettet; slukket af personalet med brandtæppe. {a} indrømmede "
     "at have tændt ild i papiret."),
    ("Brandalarmen gik; {a} havde tændt ild i en madras på værelset. Brandvæsenet kom og "
     "luftede ud."),
    "{a} satte ild til et opslag på tavlen ved receptionen; slukket med brandslukker.",
)
_OUTSIDERS = (
    ("To ukendte mænd i en sort bil ved indkørslen, ca. 20–25 år.",
     ("To ukendte mænd ved indkørslen forsøgte at få {a} med i bilen og truede {ham}, da {pron} "
      "sagde nej.")),
    ("En tidligere beboer, nu voksen.",
     ("En tidligere beboer kom ind på området og truede {a} over en gæld; han gik, da "
      "personalet kom.")),
    ("Tre ukendte unge fra byen.",
     "{a} blev truet og skubbet af tre unge ved Allerød Station og løb tilbage til centret."),
)
_INTOXICATED = (
    ("{a} kom hjem kl. {clock} stærkt beruset og kastede op på gangen. Fulgt til sit værelse og "
     "tilset flere gange i løbet af natten."),
    ("{a} kom tilbage fra byen tydeligt påvirket af stoffer og var forvirret. Personalet fulgte "
     "{ham} til værelset og holdt øje med {ham}."),
    ("{a} gik ind på pigernes gang om aftenen og ville ikke gå; ledt tilbage til sin egen "
     "afdeling."),
)
_MOVE_ORDER = (("{a} nægter at flytte til {centre} trods Udlændingestyrelsens afgørelse og har "
                "låst sig inde på værelset."),
               "{a} vil ikke flytte til {centre} og siger, at {pron} hellere vil stikke af.")
_BRING_BACK = (("{a} var meldt savnet. Kontaktpersonen fandt {ham} {at} og kørte {ham} "
                "tilbage; {a} ville ikke med og måtte føres ind i bilen."),
               "{a} blev fundet {at} og bragt tilbage til centret mod sin vilje.")
_FOUND_AT = (("Hillerød Station", "på Hillerød Station"),
             ("Slotsarkaderne i Hillerød", "i Slotsarkaderne i Hillerød"),
             ("Hillerød centrum", "i Hillerød centrum"))

#: What a minor said about the power used (staff write it down, often with an interpreter).
_SAYS = {
    "restraint": (("Siger, at {b} startede, og at {pron} bare forsvarede sig. Synes, personalet "
                   "holdt for hårdt fast."),
                  ("Forstår godt, at personalet greb ind. Var meget vred og kan ikke huske det "
                   "hele."),
                  ("Mener ikke, at det var nødvendigt at holde fast; {pron} ville selv være "
                   "gået."),
                  "Siger undskyld og vil gerne tale med sin kontaktperson om det."),
    "removal": ("Siger, at {pron} var ked af det og bare ville være alene.",
                "Synes, det var uretfærdigt at blive ført ud, fordi de andre også råbte.",
                ("Forstår, at {pron} skulle væk fra de andre, men ikke at det skulle være så "
                 "hårdt.")),
    "bring_back": ("Ville ikke tilbage til centret, men er glad for at være hjemme nu.",
                   ("Siger, at {pron} kun var i byen for at se sine venner og selv ville være "
                    "kommet hjem."),
                   "Var vred over at blive hentet; vil hellere bo hos sin fætter i København."),
    "search_room": ("Siger, at det ikke var {poss}, men en vens.",
                    ("Synes, det er uretfærdigt, at der blev ledt i {poss} ting, mens de andre "
                     "så på."),
                    "Indrømmer det og siger, at det ikke sker igen."),
    "search_person": ("Accepterer visitationen.",
                      "Siger, at det ikke var {poss}; {pron} opbevarede det for en ven.",
                      "Var vred over at blive visiteret foran de andre beboere."),
    "confiscation": ("Vil gerne have sine ting tilbage hurtigst muligt.",
                     "Forstår, at tingene skal afleveres til politiet.",
                     "Har ingen kommentarer."),
    "drug_test": ("Ville gerne tage testen for at vise, at {pron} ikke ryger.",
                  "Tog testen frivilligt; siger, at {pron} er holdt op."),
    "physical_guidance": ("Har ingen kommentarer.", "Synes, det var i orden."),
}
_WHY = {
    "restraint": (("{a} fortsatte med at slå og kunne ikke stoppes med ord; fastholdt for at "
                   "beskytte {b}."),
                  "{a} var til fare for sig selv og andre; fastholdt, til {pron} faldt til ro."),
    "removal": ("{a} kunne ikke falde til ro med de andre til stede; ført til sit værelse.",
                "For at skærme de andre beboere blev {a} ført ind på sit værelse."),
    "physical_guidance": ("Ledt væk med en hånd på armen.",
                          "Fulgt til værelset med en hånd på ryggen."),
    "search_room": ("Begrundet mistanke om euforiserende stoffer på værelset.",
                    "Lugt af hash og oplysninger fra andre beboere om stoffer på værelset."),
    "search_person": ("Begrundet mistanke om stoffer i lommerne.",
                      "{a} var tydeligt påvirket; mistanke om stoffer på sig."),
    "confiscation": ("Ulovlige stoffer og genstande tages i forvaring.",
                     "Genstandene er farlige eller ulovlige og tages i forvaring."),
    "drug_test": ("Frivillig test med forudgående samtykke, efter mistanke om hashrygning.",),
    "bring_back": ("{a} er under 18 og var bortgået; bragt tilbage for {poss} egen sikkerhed.",),
}
_CORRECTION_TEXTS = {
    "description": (("Beskrivelsen uddybet efter samtale med kollega.",
                     "Kontaktpersonen er orienteret og taler med {a} i morgen."),
                    ("Oplysninger tilføjet.",
                     "{a} havde været urolig hele eftermiddagen ifølge dagholdet.")),
    "witness": ("{w} var også til stede; tilføjet som vidne.",),
    "time": ("Tidspunktet rettet: det var tidspunktet, hvor det blev opdaget, der var skrevet.",),
    "kind": ("Rettet til vold: {b} blev slået, ikke kun skubbet; politianmeldelse tilføjet.",),
}
#: Scenarios at the centre where another resident may have seen it.
_WITNESSED = frozenset({"fight", "threats_staff", "threats_resident", "vandalism", "outburst",
                        "conflict", "intoxicated"})
_VOID_REASONS = ("Registreret to gange (netværket var nede); hændelsen står som {number}.",
                 "Dobbeltregistrering; se {number}.")
_EXTRA_REPORTS = (("municipality_notification",
                   ("Bekymring for barnets trivsel: underretning efter den skærpede "
                    "underretningspligt.")),
                  ("agency_booking",
                   "Gentagne voldsomme episoder; en flytning kan blive nødvendig."))


@dataclass(eq=False)
class _Part:
    """An incident_resident (``target`` a stay, with a role) or incident_staff row."""

    id: uuid.UUID
    target: Any
    role: str | None
    created_at: datetime | None = None
    deleted_at: datetime | None = None


@dataclass(eq=False)
class _Force:
    id: uuid.UUID
    stay: _Stay
    kind: str
    started_at: datetime
    ended_at: datetime | None
    reason: str
    injuries: str | None = None
    says: tuple[str, ...] = ()
    decided_by: _StaffMember | None = None
    created_at: datetime | None = None
    deleted_at: datetime | None = None
    informed_on: date | None = None
    statement: str | None = None
    declined: bool = False
    statement_on: date | None = None
    recorded_at: datetime | None = None   # ``record_statement``; None: not (yet) recorded


@dataclass(eq=False)
class _Seized:
    id: uuid.UUID
    stay: _Stay | None
    description: str
    fate: str                  # return, return_later, owner, police, cash
    kept_where: str | None = None
    created_at: datetime | None = None
    deleted_at: datetime | None = None
    returned_on: date | None = None
    returned_by: _StaffMember | None = None
    returned_at: datetime | None = None
    handed_to_police: bool = False


@dataclass(eq=False)
class _Line:
    """A line of the incident's reports checklist."""

    id: uuid.UUID
    code: str
    required: bool
    created_at: datetime
    added_reason: str | None = None
    done_at: datetime | None = None
    marked_at: datetime | None = None
    done_by: _StaffMember | None = None
    reference: str | None = None


@dataclass(eq=False)
class _Correction:
    """The incident as first submitted (``correct_incident`` keeps it as version 1)."""

    id: uuid.UUID
    kind: str
    at: datetime
    by: _StaffMember
    reason: str
    happened_at: datetime
    noticed_at: datetime
    kinds: list[str]
    description: str
    minor_involved: bool
    residents: list[_Part] = field(default_factory=list)
    staff: list[_Part] = field(default_factory=list)
    forces: list[_Force] = field(default_factory=list)
    items: list[_Seized] = field(default_factory=list)


@dataclass(eq=False)
class _Incident:
    id: uuid.UUID
    happened_at: datetime
    main: _Stay | None
    scenario: str
    noticed_at: datetime | None = None
    logged_at: datetime | None = None
    place: str = ""
    kinds: list[str] = field(default_factory=list)
    harassment_grounds: str | None = None
    description: str = ""
    actions: list[str] = field(default_factory=list)
    other_persons: str | None = None
    reporter: _StaffMember | None = None
    minor_involved: bool = True
    residents: list[_Part] = field(default_factory=list)
    staff: list[_Part] = field(default_factory=list)
    forces: list[_Force] = field(default_factory=list)
    items: list[_Seized] = field(default_factory=list)
    reports: list[_Line] = field(default_factory=list)
    number: str = ""
    correction: _Correction | None = None
    voided_at: datetime | None = None
    voided_by: _StaffMember | None = None
    void_reason: str | None = None
    duplicate_of: _Incident | None = None
    keep_open: bool = False    # made for the Today page: its reports wait

    @property
    def stays(self) -> list[_Stay]:
        return [p.target for p in self.residents if p.deleted_at is None]

    def involved(self) -> _Stay | None:
        """The main resident if involved (not so when nobody knows who did it), else the
        first one involved."""
        stays = self.stays
        return self.main if self.main in stays else (stays[0] if stays else None)

    def add_resident(self, stay: _Stay, role: str, demo: _Demo) -> None:
        self.residents.append(_Part(demo.uuid(), stay, role))


def _name(stay: _Stay) -> str:
    return stay.person.given_names


def _possessive(name: str) -> str:
    return name + ("'" if name[-1:].lower() in "sxz" else "s")


def _words(a: _Stay | None, b: _Stay | None = None, **more: str) -> dict[str, str]:
    """The names and pronouns the Danish texts use: {a}, {a_s} (possessive), {pron} (han/hun),
    {ham} (ham/hende), {poss} (hans/hendes), {b}, {b_s} (without ``b``: "de andre")."""
    words = {"b": "de andre", "b_s": "de andres", **more}
    if a is not None:
        female = a.person.sex == "female"
        words.update(a=_name(a), a_s=_possessive(_name(a)), pron="hun" if female else "han",
                     ham="hende" if female else "ham", poss="hendes" if female else "hans")
    if b is not None:
        words.update(b=_name(b), b_s=_possessive(_name(b)))
    return words


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def _at_home(stay: _Stay, at: datetime, until: datetime | None = None) -> bool:
    """The resident lived here and was neither on leave nor missing from ``at`` to ``until``."""
    until = until or at + timedelta(minutes=30)
    return (stay.arrival_at + _MARGIN <= at
            and (stay.moved_out_at is None or until + _MARGIN <= stay.moved_out_at)
            and _is_free(stay, at, until))


def _room_on(stay: _Stay, day: date) -> _Room:
    for spell in reversed(stay.beds):
        if spell.start <= day and (spell.end is None or day < spell.end):
            assert isinstance(spell.target, _Bed)
            return spell.target.room
    bed = stay.beds[0].target
    assert isinstance(bed, _Bed)
    return bed.room


def _propensity(rng: random.Random, street: bool) -> float:
    roll = rng.random()
    for share, factor in PROPENSITY[street]:
        if roll < share:
            return factor
        roll -= share
    return PROPENSITY[street][-1][1]


class _Living:
    """Who lives at the centre on each day (for the other residents of an incident), and
    each stay's propensity to be involved."""

    def __init__(self, demo: _Demo) -> None:
        self.propensity: dict[_Stay, float] = {}
        self.first = demo.first_day
        self.days: list[list[_Stay]] = [[] for _d in range((demo.today - demo.first_day).days + 1)]
        for stay in demo.stays:
            start = max((stay.arrival - self.first).days, 0)
            end = ((stay.moved_out_on - self.first).days if stay.moved_out_on
                   else len(self.days))
            for index in range(start, min(end, len(self.days))):
                self.days[index].append(stay)

    def at(self, moment: datetime) -> list[_Stay]:
        index = (_local(moment).date() - self.first).days
        return self.days[index] if 0 <= index < len(self.days) else []


def _other(demo: _Demo, living: _Living, inc: _Incident, *, same_section: float = 0.8,
           exclude: Iterable[_Stay] = ()) -> _Stay | None:
    """Another resident at home when it happened, mostly from the same section."""
    rng = demo.rng
    involved = [*inc.stays, *exclude, *([inc.main] if inc.main is not None else [])]
    taken = {s.person.person_id for s in involved}
    names = {_name(s) for s in involved}  # "Anas hit Anas" would confuse the reader
    candidates = [s for s in living.at(inc.happened_at)
                  if s.person.person_id not in taken and _name(s) not in names]
    if inc.main is not None and rng.random() < same_section:
        same = [s for s in candidates if s.street == inc.main.street]
        candidates = same or candidates
    rng.shuffle(candidates)
    at_home = [s for s in candidates[:12] if _at_home(s, inc.happened_at)]
    if not at_home:
        return None
    # The same rivals clash again: the other party is drawn by propensity too.
    return rng.choices(at_home, weights=[living.propensity.get(s, 1.0) for s in at_home])[0]


def _witnesses(demo: _Demo, living: _Living, inc: _Incident, chance: float) -> None:
    for _i in range(2):
        if demo.rng.random() >= chance:
            break
        witness = _other(demo, living, inc)
        if witness is not None:
            inc.add_resident(witness, "witness", demo)


def _add_force(demo: _Demo, inc: _Incident, stay: _Stay, kind: str, minutes: tuple[int, int],
               words: dict[str, str], *, injuries: float = 0.0, offset: int = 5,
               reason: str | None = None) -> None:
    rng = demo.rng
    started = inc.happened_at + timedelta(minutes=rng.randint(0, offset))
    ended = started + timedelta(minutes=rng.randint(*minutes))
    reason = (reason or rng.choice(_WHY[kind])).format(**words)
    hurt = rng.choice(_INJURIES) if rng.random() < injuries else None
    says = tuple(text.format(**words) for text in _SAYS[kind])
    inc.forces.append(_Force(demo.uuid(), stay, kind, started, ended, reason, hurt, says))
    if kind not in inc.kinds:
        inc.kinds.append(kind)


def _seize(demo: _Demo, inc: _Incident, stay: _Stay | None, description: str, fate: str) -> None:
    inc.items.append(_Seized(demo.uuid(), stay, description, fate,
                             kept_where=demo.rng.choice(_KEPT_WHERE)))


def _common_place(demo: _Demo, stay: _Stay) -> str:
    rng = demo.rng
    if stay.street and rng.random() < 0.5:
        return rng.choice(_STREET_PLACES)
    return rng.choice(_COMMON_INCIDENT_PLACES)


def _room_place(stay: _Stay, at: datetime) -> str:
    return f"Værelse {_room_on(stay, _local(at).date()).name}"


# The scenarios: each fills in an incident around its main resident ``a`` (False: not
# possible then, e.g. nobody else at home).

def _sc_fight(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    b = _other(demo, living, inc)
    if b is None:
        return False
    words = _words(a, b)
    topic = rng.choice(_FIGHT_TOPICS).format(**words)
    texts = [rng.choice(_FIGHT_TEXTS).format(topic=topic, **words)]
    inc.kinds = ["violence"]
    inc.add_resident(a, "causing", demo)
    inc.add_resident(b, "affected", demo)
    _witnesses(demo, living, inc, 0.3)
    inc.place = (_room_place(a, inc.happened_at) if rng.random() < 0.25
                 else _common_place(demo, a))
    for action, chance in (("separated", 0.8), ("first_aid", 0.35), ("ambulance", 0.04),
                           ("police_called", 0.25)):
        if rng.random() < chance:
            inc.actions.append(action)
            texts.append(rng.choice(_FIGHT_AFTER[action]).format(**words))
    roll = rng.random()
    if roll < 0.15:
        _add_force(demo, inc, a, "restraint", (2, 12), words, injuries=0.3)
        texts.append("{a} fortsatte og blev holdt fast af to medarbejdere, til {pron} faldt til "
                     "ro.".format(**words))
    elif roll < 0.22:
        _add_force(demo, inc, a, "removal", (3, 15), words, injuries=0.15)
        texts.append("{a} blev ført ind på sit værelse.".format(**words))
    elif roll < 0.45:
        _add_force(demo, inc, a, "physical_guidance", (1, 5), words)
        texts.append("{a} blev ledt væk med en hånd på armen.".format(**words))
    inc.description = " ".join(texts)
    return True


def _sc_threats_staff(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    words = _words(a, wish=rng.choice(_THREAT_WISHES))
    inc.kinds = ["threats"]
    inc.add_resident(a, "causing", demo)
    inc.place = rng.choice(("Foran receptionen", "Personalerummet", "Fælleskøkkenet",
                            _room_place(a, inc.happened_at), _common_place(demo, a)))
    texts = [rng.choice(_THREATS_STAFF).format(**words)]
    if rng.random() < 0.3:
        inc.actions.append("police_called")
        texts.append("Politiet blev ringet op og talte med {a}.".format(**words))
    if rng.random() < 0.15:
        _add_force(demo, inc, a, "removal", (3, 15), words, injuries=0.1)
        texts.append("{a} blev ført ud af personalerummet.".format(**words))
    inc.description = " ".join(texts)
    return True


def _sc_threats_resident(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    b = _other(demo, living, inc)
    if b is None:
        return False
    words = _words(a, b)
    inc.kinds = ["threats"]
    inc.add_resident(a, "causing", demo)
    inc.add_resident(b, "affected", demo)
    inc.place = _common_place(demo, a) if rng.random() < 0.6 else _room_place(b, inc.happened_at)
    topic = rng.choice(_FIGHT_TOPICS).format(**words)
    texts = [rng.choice(_THREATS_RESIDENT).format(topic=topic, **words)]
    if rng.random() < 0.5:
        inc.actions.append("separated")
        texts.append("{b} sover på et andet værelse i nat.".format(**words))
    if rng.random() < 0.2:
        inc.actions.append("police_called")
    inc.description = " ".join(texts)
    return True


def _sc_theft(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    roll = rng.random()
    if roll < (0.3 if a.street else 0.1):  # shoplifting in town
        words = _words(a, shop=rng.choice(_SHOPS))
        inc.kinds = ["theft"]
        inc.add_resident(a, "causing", demo)
        inc.place = words["shop"]
        inc.other_persons = "Politiet; butikkens personale."
        inc.description = rng.choice(_SHOPLIFTING).format(**words)
        inc.noticed_at = inc.happened_at + timedelta(minutes=rng.randint(30, 120))
        return True
    if roll < (0.4 if a.street else 0.2):  # nobody knows who
        inc.kinds = ["theft"]
        inc.description, inc.place = rng.choice(_THEFT_UNKNOWN)
        inc.noticed_at = inc.happened_at + timedelta(minutes=rng.randint(60, 600))
        if rng.random() < 0.5:
            inc.actions.append("police_called")
        return True
    b = _other(demo, living, inc)
    if b is None:
        return False
    thing, item = rng.choice(_STOLEN)
    words = _words(a, b, thing=thing)
    inc.kinds = ["theft"]
    inc.add_resident(b, "affected", demo)
    inc.add_resident(a, "causing", demo)
    inc.place = _room_place(b, inc.happened_at)
    inc.noticed_at = inc.happened_at + timedelta(minutes=rng.randint(20, 480))
    texts = [rng.choice(_THEFT_TEXTS).format(**words)]
    if rng.random() < 0.35:
        _add_force(demo, inc, a, "search_room", (10, 25), words,
                   reason="Begrundet mistanke om stjålne ting på værelset.")
        _add_force(demo, inc, a, "confiscation", (2, 5), words)
        for force in inc.forces:
            force.started_at = inc.noticed_at + timedelta(minutes=rng.randint(10, 40))
            force.ended_at = force.started_at + timedelta(minutes=rng.randint(5, 20))
        texts.append(rng.choice(_THEFT_FOUND).format(**words))
        _seize(demo, inc, a, item.format(**words), "owner")
    inc.description = " ".join(texts)
    return True


def _sc_vandalism(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    roll = rng.random()
    if roll < 0.15:
        inc.kinds = ["vandalism"]
        inc.description, inc.place = rng.choice(_VANDALISM_UNKNOWN)
        inc.noticed_at = inc.happened_at + timedelta(minutes=rng.randint(30, 420))
        return True
    if roll < 0.35:
        b = _other(demo, living, inc)
        if b is None:
            return False
        inc.kinds = ["damage_to_property"]
        inc.add_resident(a, "causing", demo)
        inc.add_resident(b, "affected", demo)
        inc.place = _room_place(b, inc.happened_at)
        inc.description = rng.choice(_DAMAGE).format(**_words(a, b))
        return True
    words = _words(a)
    text, place = rng.choice(_VANDALISM)
    inc.kinds = ["vandalism"]
    inc.add_resident(a, "causing", demo)
    inc.place = place or _room_place(a, inc.happened_at)
    inc.description = text.format(**words)
    if rng.random() < 0.15:
        _add_force(demo, inc, a, "removal", (3, 20), words, injuries=0.1)
        inc.description += " {a} blev ført ind på sit værelse.".format(**words)
    return True


def _sc_drugs(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    search = "search_room" if rng.random() < 0.55 else "search_person"
    item = rng.choice(_DRUG_ITEMS)
    room = _room_on(a, _local(inc.happened_at).date()).name
    words = _words(a, item=item[0].lower() + item[1:], room=room)
    inc.kinds = []
    inc.add_resident(a, "causing", demo)
    inc.place = f"Værelse {room}" if search == "search_room" else rng.choice(
        ("Indgangen", "Foran receptionen", "Ved cykelskuret"))
    texts = [rng.choice(_DRUG_TEXTS[search]).format(**words)]
    _add_force(demo, inc, a, search, (5, 25), words)
    _add_force(demo, inc, a, "confiscation", (2, 5), words)
    _seize(demo, inc, a, item, "police")
    if rng.random() < 0.35:
        extra, fate = rng.choice(_DRUG_EXTRAS)
        _seize(demo, inc, a, extra.format(cash=rng.choice((450, 800, 1200, 2350, 3100))), fate)
    if rng.random() < 0.15:
        _add_force(demo, inc, a, "drug_test", (5, 15), words, offset=30)
        texts.append("{a} indvilligede i en urinprøve.".format(**words))
    if rng.random() < 0.4:
        inc.actions.append("police_called")
        texts.append("Politiet hentede det fundne samme aften.")
    inc.description = " ".join(texts)
    return True


def _sc_weapon(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    weapon, item, it = rng.choice(_WEAPONS)
    words = _words(a, weapon=weapon, it=it)
    inc.kinds = []
    inc.add_resident(a, "causing", demo)
    inc.place = rng.choice(("Indgangen", "Fællesrummet", _room_place(a, inc.happened_at)))
    _add_force(demo, inc, a, "search_person", (3, 10), words,
               reason="Begrundet mistanke om, at {a} bar et våben.")
    _add_force(demo, inc, a, "confiscation", (1, 3), words)
    _seize(demo, inc, a, item, "police")
    text = rng.choice(_WEAPON_TEXTS).format(**words)
    if rng.random() < 0.3:
        inc.kinds.insert(0, "threats")
        text += " {a} havde truet en anden beboer med {it}.".format(**words)
    if rng.random() < 0.6:
        inc.actions.append("police_called")
    inc.description = text
    return True


def _sc_outburst(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    words = _words(a, trigger=rng.choice(_OUTBURST_TRIGGERS))
    inc.kinds = [rng.choice(("vandalism", "threats", "serious_conflict"))]
    inc.add_resident(a, "causing", demo)
    inc.place = rng.choice((_room_place(a, inc.happened_at), _common_place(demo, a), "Kantinen"))
    texts = [rng.choice(_OUTBURST_TEXTS).format(**words)]
    if rng.random() < 0.6:
        minutes = rng.randint(3, 15)
        _add_force(demo, inc, a, "restraint", (minutes, minutes), words, injuries=0.35)
        texts.append(f"To medarbejdere holdt {words['a']} fast i ca. {minutes} minutter, til "
                     f"{words['pron']} faldt til ro.")
    else:
        _add_force(demo, inc, a, "removal", (3, 20), words, injuries=0.2)
        texts.append("{a} blev ført ind på sit værelse, hvor en medarbejder blev hos {ham}."
                     .format(**words))
    if rng.random() < 0.2:
        inc.actions.append("emergency_doctor")
    inc.description = " ".join(texts)
    return True


def _sc_self_harm(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    words = _words(a)
    inc.kinds = ["self_harm"]
    inc.add_resident(a, "affected", demo)
    inc.place = _room_place(a, inc.happened_at)
    texts = [rng.choice(_SELF_HARM).format(**words)]
    action = rng.choices(("ambulance", "emergency_doctor", "first_aid"), (3, 2, 5))[0]
    inc.actions.append(action)
    if action != "first_aid" and rng.random() < 0.6:
        inc.actions.insert(0, "first_aid")
    texts.append(_SELF_HARM_AFTER[action].format(**words))
    inc.description = " ".join(texts)
    return True


def _sc_conflict(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    b = _other(demo, living, inc)
    if b is None:
        return False
    words = _words(a, b)
    inc.kinds = ["serious_conflict"]
    inc.add_resident(a, "causing", demo)
    inc.add_resident(b, "affected", demo)
    _witnesses(demo, living, inc, 0.5)
    inc.place = rng.choice((_common_place(demo, a), "Kantinen", _room_place(a, inc.happened_at)))
    inc.actions.append("separated")
    inc.description = rng.choice(_CONFLICT_TEXTS).format(**words)
    if rng.random() < 0.3:
        _add_force(demo, inc, a, "physical_guidance", (1, 5), words)
    return True


def _sc_radicalisation(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    inc.kinds = ["radicalisation"]
    inc.add_resident(a, "causing", demo)
    inc.place = _common_place(demo, a)
    inc.description = demo.rng.choice(_RADICALISATION).format(**_words(a))
    inc.noticed_at = inc.happened_at
    return True


def _sc_harassment(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    grounds, text = rng.choice(_HARASSMENT)
    b = None
    if "{b}" in text:
        b = _other(demo, living, inc, same_section=0.9)
        if b is None:
            return False
    inc.kinds = ["harassment"]
    inc.harassment_grounds = grounds
    inc.add_resident(a, "causing", demo)
    if b is not None:
        inc.add_resident(b, "affected", demo)
    inc.place = _common_place(demo, a)
    inc.description = text.format(**_words(a, b))
    return True


def _sc_refused_tasks(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    inc.kinds = ["refused_tasks"]
    inc.add_resident(a, "causing", demo)
    inc.place = rng.choice((_room_place(a, inc.happened_at), "Fælleskøkkenet", "Kontoret"))
    inc.description = rng.choice(_REFUSED_TASKS).format(**_words(a))
    if rng.random() < 0.3:
        inc.kinds.append("allowance_reduction")
        inc.description += (" Lederen har besluttet at tilbageholde det supplerende kontante "
                            "tillæg i en uge.")
    return True


def _sc_sexual_offence(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    b = _other(demo, living, inc, same_section=0.5)
    if b is None:
        return False
    inc.kinds = ["sexual_offence"]
    inc.add_resident(a, "causing", demo)
    inc.add_resident(b, "affected", demo)
    inc.place = _common_place(demo, a)
    inc.actions.extend(("separated", "police_called"))
    inc.description = demo.rng.choice(_SEXUAL_OFFENCE).format(**_words(a, b))
    return True


def _sc_arson(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    inc.kinds = ["arson"]
    inc.add_resident(a, "causing", demo)
    text = rng.choice(_ARSON)
    inc.place = _room_place(a, inc.happened_at)  # unless the text says where
    inc.description = text.format(**_words(a))
    inc.actions.append("fire_service" if "Brandvæsenet" in text else "other")
    if rng.random() < 0.5:
        inc.actions.append("police_called")
    return True


def _sc_outsiders(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    who, text = rng.choice(_OUTSIDERS)
    inc.kinds = ["threats"]
    inc.add_resident(a, "affected", demo)
    inc.other_persons = who
    inc.place = "Allerød Station" if "Station" in text else "Indgangen"
    inc.description = text.format(**_words(a))
    if rng.random() < 0.6:
        inc.actions.append("police_called")
    return True


def _sc_intoxicated(demo: _Demo, living: _Living, inc: _Incident, a: _Stay) -> bool:
    rng = demo.rng
    words = _words(a, clock=_local(inc.happened_at).strftime("%H.%M"))
    text = rng.choice(_INTOXICATED if a.person.sex == "male" else _INTOXICATED[:2])
    inc.kinds = ["other"]
    inc.add_resident(a, "affected", demo)
    inc.place = "Pigernes gang" if "pigernes" in text else rng.choice(
        ("Indgangen", "Gangen", _room_place(a, inc.happened_at)))
    inc.description = text.format(**words)
    if rng.random() < 0.5 or "pigernes" in text:
        _add_force(demo, inc, a, "physical_guidance", (1, 5), words)
    return True


@dataclass(frozen=True)
class _Scenario:
    make: Callable[[_Demo, _Living, _Incident, _Stay], bool]
    weight: dict[bool, float]    # by section (street-oriented: True)
    hours: str = "evening"
    weekdays_only: bool = False


SCENARIOS: dict[str, _Scenario] = {
    "fight": _Scenario(_sc_fight, {False: 10, True: 16}),
    "threats_staff": _Scenario(_sc_threats_staff, {False: 4, True: 10}),
    "threats_resident": _Scenario(_sc_threats_resident, {False: 4, True: 7}),
    "theft": _Scenario(_sc_theft, {False: 5, True: 12}),
    "vandalism": _Scenario(_sc_vandalism, {False: 4, True: 9}),
    "drugs": _Scenario(_sc_drugs, {False: 2, True: 16}),
    "weapon": _Scenario(_sc_weapon, {False: 0.7, True: 3}),
    "outburst": _Scenario(_sc_outburst, {False: 4, True: 6}),
    "self_harm": _Scenario(_sc_self_harm, {False: 3, True: 2}, hours="night"),
    "conflict": _Scenario(_sc_conflict, {False: 5, True: 4}),
    "radicalisation": _Scenario(_sc_radicalisation, {False: 0.12, True: 0.1}, hours="day"),
    "harassment": _Scenario(_sc_harassment, {False: 1.0, True: 0.4}),
    "refused_tasks": _Scenario(_sc_refused_tasks, {False: 5, True: 5}, hours="day",
                               weekdays_only=True),
    "sexual_offence": _Scenario(_sc_sexual_offence, {False: 0.12, True: 0.12}),
    "arson": _Scenario(_sc_arson, {False: 0.3, True: 0.6}, hours="night"),
    "outsiders": _Scenario(_sc_outsiders, {False: 1, True: 3}),
    "intoxicated": _Scenario(_sc_intoxicated, {False: 2, True: 6}, hours="night"),
}


def _incident_moment(demo: _Demo, stay: _Stay, first: date, days: int,
                     scenario: _Scenario) -> datetime | None:
    """A time in the stay when the resident was at home: evenings and nights, weekends."""
    rng = demo.rng
    top = max(WEEKDAY_WEIGHTS)
    for _try in range(8):
        day = first + timedelta(days=rng.randrange(days))
        if scenario.weekdays_only and day.weekday() >= 5:
            continue
        if rng.random() * top > WEEKDAY_WEIGHTS[day.weekday()]:
            continue
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS[scenario.hours])[0]
        local = datetime.combine(day, time(hour, rng.randrange(60)), tzinfo=LOCAL_TZ)
        at = local.astimezone(UTC)
        if at <= demo.latest - timedelta(minutes=30) and _at_home(stay, at):
            return at
    return None


def _office_time(demo: _Demo, after: datetime, *,
                 hours: tuple[float, float] = (0.3, 4)) -> datetime:
    """When the day staff get a report done: within hours in office hours, else the next
    morning (weekends and holidays too: without undue delay)."""
    rng = demo.rng
    local = _local(after)
    if 8 <= local.hour < 15:
        return after + timedelta(hours=rng.uniform(*hours))
    day = local.date() + timedelta(days=0 if local.hour < 8 else 1)
    minute = rng.randint(8 * 60, 11 * 60 + 30)
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=LOCAL_TZ).astimezone(UTC)


def _minor_involved(inc: _Incident, parts: list[_Part], forces: list[_Force]) -> bool:
    """As ``services.incidents._minor_involved``: a resident under 18 was affected or had a
    power used on, else any resident involved."""
    day = _local(inc.happened_at).date()
    chosen = {p.target for p in parts if p.role == "affected"} | {f.stay for f in forces}
    if not chosen:
        chosen = {p.target for p in parts}
    return any(is_minor_on(s.person.date_of_birth, max(day, s.person.date_of_birth))
               for s in chosen)


def _police_journal(rng: random.Random, at: datetime) -> str:
    year = _local(at).year % 100
    return (f"1900-{rng.choice((76010, 76011, 76130, 77110, 79110))}-"
            f"{rng.randint(100, 99999):05d}-{year:02d}")


def _finish_incident(demo: _Demo, living: _Living, inc: _Incident) -> bool:
    """Who logged it and when, who else took part, the minor's statement, the items, a
    correction now and then, and the reports checklist (False: not logged by now)."""
    rng = demo.rng
    if inc.noticed_at is None:
        inc.noticed_at = inc.happened_at + timedelta(minutes=rng.choice((0, 0, 0, 2, 5, 10)))
    if inc.noticed_at > demo.latest - timedelta(minutes=10):
        return False
    text = inc.description.lower()
    inc.place = next((place for hint, place in _PLACE_HINTS if hint in text), inc.place)
    inc.reporter = _on_duty(demo, inc.noticed_at)
    ends = [f.ended_at or f.started_at for f in inc.forces]
    inc.logged_at = max([inc.noticed_at, *ends]) + timedelta(minutes=rng.randint(8, 75))
    if inc.logged_at > demo.latest:
        return False
    inc.staff = [_Part(demo.uuid(), inc.reporter, None)]
    pool = [s for s in _shift(demo, _local(inc.noticed_at).date(),
                              "night" if not 7 <= _local(inc.noticed_at).hour < 21 else "day")
            if s is not inc.reporter]
    if pool and rng.random() < (0.7 if inc.forces else 0.25):
        inc.staff.append(_Part(demo.uuid(), rng.choice(pool), None))
    night = not 7 <= _local(inc.happened_at).hour < 21
    leaders = [s for s in demo.staff if Role.CENTRE_LEADER.value in s.roles
               and s.works_on(_local(inc.happened_at).date())]
    for force in inc.forces:
        force.decided_by = (rng.choice(leaders) if leaders and not night and rng.random() < 0.2
                            else inc.reporter)
    inc.minor_involved = _minor_involved(inc, inc.residents, inc.forces)
    for part in (*inc.residents, *inc.staff):
        part.created_at = inc.logged_at
    for force in inc.forces:
        force.created_at = inc.logged_at
    for item in inc.items:
        item.created_at = inc.logged_at
    told = _plan_statements(demo, inc)
    _plan_returns(demo, inc)
    if rng.random() < CORRECTED_INCIDENTS and not inc.keep_open:
        _correct(demo, living, inc)
    _plan_reports(demo, inc, told)
    return True


def _plan_statements(demo: _Demo, inc: _Incident) -> dict[_Stay, datetime | None]:
    """The minor is told about the report and gives a view (or declines) a day or two later
    (``record_statement``); None: it was not possible (moved out, or missing)."""
    rng = demo.rng
    assert inc.logged_at is not None
    told: dict[_Stay, datetime | None] = {}
    stays = [f.stay for f in inc.forces if f.kind != "physical_guidance"]
    if "allowance_reduction" in inc.kinds and inc.main is not None:
        stays.append(inc.main)
    for stay in dict.fromkeys(stays):
        happened = _local(inc.happened_at)
        first = happened.date() + timedelta(days=0 if happened.hour < 12 else 1)
        day = first + timedelta(days=rng.choice((0, 0, 1, 1, 2)))
        when = None
        for _try in range(4):
            at = max(demo.moment(day, 9, 17), inc.logged_at + timedelta(hours=1))
            if _at_home(stay, at):
                when = at
                break
            if stay.moved_out_at is not None and at >= stay.moved_out_at:
                break
            day += timedelta(days=1)
        told[stay] = when
    for force in inc.forces:
        at = told.get(force.stay)
        if force.kind == "physical_guidance" and rng.random() < 0.5:
            at = demo.moment(_local(inc.logged_at).date() + timedelta(days=1), 9, 17)
            if not _at_home(force.stay, at):
                at = None
        if at is None:
            continue
        recorded = at + timedelta(minutes=rng.randint(5, 120))
        if recorded > demo.latest or not at > inc.logged_at:
            continue
        force.informed_on = force.statement_on = _local(at).date()
        force.recorded_at = recorded
        if rng.random() < STATEMENT_DECLINED:
            force.declined = True
            continue
        statement = rng.choice(force.says)
        language = force.stay.person.languages[0]
        if rng.random() < 0.45 and language in _LANGUAGES_DA:
            statement += f" (Samtale med tolk på {_LANGUAGES_DA[language]}.)"
        force.statement = statement
    return told


def _plan_returns(demo: _Demo, inc: _Incident) -> None:
    """Confiscated items: drugs and weapons handed to the police, a phone back the next day,
    the rest back within weeks (or at the move-out); stolen things back to the owner."""
    rng = demo.rng
    assert inc.logged_at is not None
    police_came = "police_called" in inc.actions
    for item in inc.items:
        fate = item.fate
        if fate == "cash":
            fate = "police" if rng.random() < 0.5 else "return_later"
        day = _local(inc.logged_at).date()
        if fate == "police":
            day += timedelta(days=0 if police_came else rng.randint(1, 6))
        elif fate == "owner":
            day += timedelta(days=rng.choice((0, 0, 1)))
        elif fate == "return":
            day += timedelta(days=rng.randint(1, 3))
        else:
            day += timedelta(days=rng.randint(7, 28))
        stay = item.stay
        if (fate in ("return", "return_later") and stay is not None
                and stay.moved_out_on is not None and stay.moved_out_on <= day):
            day = stay.moved_out_on  # handed back on moving out
        at = max(demo.moment(day, 9, 20), inc.logged_at + timedelta(minutes=30))
        if at > demo.latest:
            continue
        item.returned_on, item.returned_at = _local(at).date(), at
        item.returned_by = _on_duty(demo, at)
        item.handed_to_police = fate == "police"


def _correct(demo: _Demo, living: _Living, inc: _Incident, *, kind: str | None = None) -> bool:
    """Corrected after submission (``correct_incident``): version 1 is kept, every part is
    written again, reports the new kinds need are added. Corrections come before the minor's
    statement and any item's return (those are made on the corrected incident)."""
    rng = demo.rng
    assert inc.logged_at is not None and inc.noticed_at is not None
    follow = [f.recorded_at for f in inc.forces if f.recorded_at is not None]
    follow += [i.returned_at for i in inc.items if i.returned_at is not None]
    limit = min([*follow, inc.logged_at + timedelta(hours=20), demo.latest])
    if limit - inc.logged_at < timedelta(minutes=30):
        return False
    at = inc.logged_at + (limit - inc.logged_at) * rng.uniform(0.1, 0.9)
    kinds = ["description"]
    if inc.stays and inc.scenario in _WITNESSED:
        kinds.append("witness")
    if (inc.noticed_at - inc.happened_at >= timedelta(minutes=15)
            and _local(inc.noticed_at).date() == _local(inc.happened_at).date()):
        kinds.append("time")
    if "serious_conflict" in inc.kinds and "violence" not in inc.kinds and not inc.reports:
        kinds.append("kind")
    kind = kind or rng.choice(kinds)
    main = inc.involved()
    others = [p.target for p in inc.residents if p.target is not main]
    words = _words(main, others[0] if others else None)
    v1 = _Correction(demo.uuid(), kind, at, _on_duty(demo, at), "", inc.happened_at,
                     inc.noticed_at, list(inc.kinds), inc.description, inc.minor_involved)
    if kind == "description":
        reason, addendum = rng.choice(_CORRECTION_TEXTS["description"])
        if main is None:
            addendum = "Vicevært og politi er orienteret."
        v1.reason = reason
        inc.description = f"{inc.description} {addendum.format(**words)}"
    elif kind == "witness":
        witness = _other(demo, living, inc)
        if witness is None:
            return _correct(demo, living, inc, kind="description")
        inc.add_resident(witness, "witness", demo)
        inc.residents[-1].created_at = at
        v1.reason = rng.choice(_CORRECTION_TEXTS["witness"]).format(w=_name(witness))
    elif kind == "time":
        v1.happened_at = inc.noticed_at
        v1.reason = rng.choice(_CORRECTION_TEXTS["time"])
    else:
        inc.kinds.append("violence")
        v1.reason = rng.choice(_CORRECTION_TEXTS["kind"]).format(**words)
        inc.description += " Det kom senere frem, at {a} slog {b} flere gange.".format(**words)
    # Every part is written again; the old rows are deleted (kept, not removed).
    for parts, old in ((inc.residents, v1.residents), (inc.staff, v1.staff)):
        for part in parts:
            if part.created_at == inc.logged_at:
                old.append(_Part(demo.uuid(), part.target, part.role, inc.logged_at, at))
                part.created_at = at
    for force in inc.forces:
        v1.forces.append(_Force(demo.uuid(), force.stay, force.kind, force.started_at,
                                force.ended_at, force.reason, force.injuries, force.says,
                                force.decided_by, inc.logged_at, at))
        force.created_at = at
    for item in inc.items:
        v1.items.append(_Seized(demo.uuid(), item.stay, item.description, item.fate,
                                item.kept_where, inc.logged_at, at))
        item.created_at = at
    inc.correction = v1
    inc.minor_involved = _minor_involved(inc, inc.residents, inc.forces)
    return True


def _plan_reports(demo: _Demo, inc: _Incident, told: dict[_Stay, datetime | None]) -> None:
    """The checklist: every report ``required_reports`` asks for (those a correction added
    from its time on), now and then one staff add; each done within hours or the next
    morning by the staff then on duty, unless it is still waiting now."""
    rng = demo.rng
    assert inc.logged_at is not None
    required = required_reports(inc.kinds, minor_involved=inc.minor_involved)
    first = required
    if inc.correction is not None:
        first = required_reports(inc.correction.kinds,
                                 minor_involved=inc.correction.minor_involved)
    order = {code: i for i, code in enumerate(EXTRA_REPORT_CODES)}
    for code in sorted(required, key=order.__getitem__):
        created = inc.logged_at if code in first else inc.correction.at  # type: ignore[union-attr]
        inc.reports.append(_Line(demo.uuid(), code, True, created))
    extra = None
    if inc.stays and rng.random() < 0.03:
        extra = _EXTRA_REPORTS[0]
    elif "violence" in inc.kinds and rng.random() < 0.04:
        extra = _EXTRA_REPORTS[1]
    if extra is not None and extra[0] not in required:
        added = _office_time(demo, inc.logged_at)
        if added <= demo.latest:
            inc.reports.append(_Line(demo.uuid(), extra[0], False, added, added_reason=extra[1]))
    if inc.keep_open:
        return
    for line in inc.reports:
        _plan_done(demo, inc, line, told)


def _plan_done(demo: _Demo, inc: _Incident, line: _Line,
               told: dict[_Stay, datetime | None]) -> None:
    rng = demo.rng
    assert inc.logged_at is not None and inc.noticed_at is not None
    start = line.created_at
    marked = None
    reference = None
    if line.code == "police" and "police_called" in inc.actions and start == inc.logged_at:
        # Called at once; the journal number is typed in when the incident is logged.
        done = inc.noticed_at + timedelta(minutes=rng.randint(3, 25))
        marked = max(done, start) + timedelta(minutes=rng.randint(1, 15))
        by = inc.reporter
    elif line.code == "minor_informed":
        times = [t for t in told.values() if t is not None]
        if times:
            done = min(times)
        elif told:  # moved out or still missing: not possible; noted as done
            done = _office_time(demo, start, hours=(1, 6))
            reference = "Ikke muligt: beboeren er ikke længere på centret."
        else:
            done = _office_time(demo, start, hours=(2, 6))
        done = max(done, start + timedelta(minutes=5))
        by = _on_duty(demo, done, "day")
    elif line.code == "representative_informed":
        done = _office_time(demo, start) + timedelta(minutes=rng.randint(0, 180))
        by = _on_duty(demo, done, "office")
    else:
        done = _office_time(demo, start)
        if rng.random() < LATE_INCIDENT_REPORTS:
            done += timedelta(days=rng.randint(1, 3))
        by = _on_duty(demo, done, "day" if line.code == "police" else "office")
    marked = marked or done
    if marked > demo.latest:
        return
    if line.code == "police":
        reference = _police_journal(rng, done)
    elif reference is None:
        reference = _report_reference(demo, inc, line.code, done)
    line.done_at, line.marked_at, line.done_by, line.reference = done, marked, by, reference


def _report_reference(demo: _Demo, inc: _Incident, code: str, done: datetime) -> str | None:
    rng = demo.rng
    local = _local(done)
    if code in ("IN8", "IN9", "IN10", "IN12"):
        return rng.choice((f"Sikker mail til Udlændingestyrelsen {local.day}.{local.month}.",
                           "Sendt pr. sikker mail til Udlændingestyrelsen.", None))
    if code == "PET":
        return rng.choice(("Telefonisk til PET's døgnvagt.", "Via Nordsjællands Politi."))
    if code == "municipality_notification":
        return rng.choice((f"Underretning sendt til {_CENTRE_MUNICIPALITY}.",
                           f"Underretning via {_CENTRE_MUNICIPALITY}s digitale formular."))
    if code == "representative_informed":
        stay = inc.involved()
        if stay is None or stay.person.representative is None:
            return None
        if stay.representative_from > local.date():
            return "Ingen repræsentant endnu; Familieretshuset orienteret."
        name, _phone, email = stay.person.representative
        return (f"E-mail til {name}" if email and rng.random() < 0.5
                else f"Telefonisk til {name}")
    if code == "minor_informed":
        return rng.choice((None, "Orienteret af kontaktpersonen.", "Orienteret med tolk."))
    if code == "agency_booking":
        return "Bookingteamet kontaktet pr. telefon."
    return None


def _bring_backs(demo: _Demo) -> Iterator[_Incident]:
    """Staff who find a missing minor and bring him or her back use a power (bring_back)."""
    rng = demo.rng
    for stay in demo.stays:
        for episode in stay.episodes:
            if (episode.end is None or episode.departed or episode.close_note is None
                    or not episode.close_note.startswith("Fundet af kontaktpersonen")):
                continue
            at = episode.end - timedelta(minutes=rng.randint(25, 60))
            if at <= episode.since or not 8 <= _local(at).hour < 21:
                continue
            inc = _Incident(demo.uuid(), at.replace(second=0, microsecond=0), stay, "bring_back")
            place, found_at = rng.choice(_FOUND_AT)
            words = _words(stay, at=found_at)
            inc.kinds = []
            inc.add_resident(stay, "affected", demo)
            inc.place = place
            inc.description = rng.choice(_BRING_BACK).format(**words)
            _add_force(demo, inc, stay, "bring_back", (20, 20), words, offset=0)
            inc.forces[-1].ended_at = episode.end
            inc.noticed_at = inc.happened_at
            yield inc


def _move_order_refusals(demo: _Demo) -> Iterator[_Incident]:
    rng = demo.rng
    for stay in demo.stays:
        if (stay.reason != STATUS_MOVED_CENTRE or stay.turns_adult or stay.moved_out_on is None
                or rng.random() >= 0.06):
            continue
        day = stay.moved_out_on - timedelta(days=rng.randint(2, 6))
        if day < max(demo.first_day, stay.arrival + timedelta(days=1)):
            continue
        at = demo.moment(day, 9, 15)
        if not _at_home(stay, at):
            continue
        note = stay.move_out_note or ""
        centre = (note.removeprefix("Flyttet til ").rstrip(".")
                  if note.startswith("Flyttet til B") else "et andet børnecenter")
        inc = _Incident(demo.uuid(), at.replace(second=0, microsecond=0), stay,
                        "refused_move_order")
        inc.kinds = ["refused_move_order"]
        inc.add_resident(stay, "causing", demo)
        inc.place = _room_place(stay, at)
        inc.description = rng.choice(_MOVE_ORDER).format(**_words(stay, centre=centre))
        yield inc


def _duplicate(demo: _Demo, inc: _Incident) -> _Incident | None:
    """The same incident logged twice (the network was down): the leader voids the copy."""
    rng = demo.rng
    assert inc.logged_at is not None
    logged = inc.logged_at + timedelta(minutes=rng.randint(2, 25))
    day = _after_weekend(_local(logged).date() + timedelta(days=rng.randint(0, 2)))
    leaders = [s for s in demo.staff if Role.CENTRE_LEADER.value in s.roles and s.works_on(day)]
    voided = max(demo.moment(day, 9, 15), logged + timedelta(hours=1))
    if not leaders or voided > demo.latest:
        return None
    copy = _Incident(demo.uuid(), inc.happened_at, inc.main, inc.scenario,
                     noticed_at=inc.noticed_at, logged_at=logged, place=inc.place,
                     kinds=list(inc.kinds), harassment_grounds=inc.harassment_grounds,
                     description=inc.description, actions=list(inc.actions),
                     other_persons=inc.other_persons, reporter=inc.reporter,
                     minor_involved=inc.minor_involved, duplicate_of=inc)
    copy.residents = [_Part(demo.uuid(), p.target, p.role, logged) for p in inc.residents]
    copy.staff = [_Part(demo.uuid(), p.target, None, logged) for p in inc.staff]
    copy.forces = [_Force(demo.uuid(), f.stay, f.kind, f.started_at, f.ended_at, f.reason,
                          f.injuries, f.says, f.decided_by, logged) for f in inc.forces]
    copy.items = [_Seized(demo.uuid(), i.stay, i.description, i.fate, i.kept_where, logged)
                  for i in inc.items]
    copy.reports = [_Line(demo.uuid(), line.code, True, logged) for line in inc.reports
                    if line.required]
    copy.voided_at, copy.voided_by = voided, rng.choice(leaders)
    return copy


def _incidents_for_today(demo: _Demo, living: _Living) -> None:
    """The Today page has reports to show: one from the last hours waiting, and one older
    incident with a report forgotten (overdue), unless the simulation left such already."""
    rng = demo.rng
    latest = demo.latest

    def open_lines(inc: _Incident) -> list[_Line]:
        return [line for line in inc.reports if line.done_at is None]

    def new_incident(hours: tuple[float, float], *, keep_open: bool) -> _Incident | None:
        """Threats against the staff some hours ago, by a resident living here now."""
        candidates = [s for s in demo.current if s.arrival <= demo.today - timedelta(days=5)]
        rng.shuffle(candidates)
        for stay in candidates[:20]:
            at = (latest - timedelta(hours=rng.uniform(*hours))).replace(second=0,
                                                                         microsecond=0)
            if not _at_home(stay, at, latest):
                continue
            inc = _Incident(demo.uuid(), at, stay, "threats_staff", keep_open=keep_open)
            inc.noticed_at = at
            if (_sc_threats_staff(demo, living, inc, stay)
                    and _finish_incident(demo, living, inc)):
                demo.incidents.append(inc)
                return inc
        return None

    live = [i for i in demo.incidents if i.voided_at is None and i.logged_at is not None]
    if not any(i.logged_at > latest - _OVERDUE_AFTER and open_lines(i) for i in live):
        new_incident((1.5, 7), keep_open=True)
    if not any(i.logged_at <= latest - _OVERDUE_AFTER and open_lines(i) for i in live):
        recent = [i for i in live if latest - timedelta(days=6) <= i.logged_at
                  <= latest - _OVERDUE_AFTER - timedelta(hours=2)
                  and i.correction is None and i.reports]
        inc = max(recent, key=lambda i: i.logged_at or latest) if recent else new_incident(
            (36, 96), keep_open=False)
        if inc is not None:
            # Somebody forgot to tick a report (or to make it).
            lines = [line for line in inc.reports if line.code not in ("police",
                                                                       "minor_informed")]
            for line in (lines or inc.reports)[:2]:
                line.done_at = line.marked_at = line.done_by = line.reference = None


def _number_incidents(demo: _Demo) -> None:
    """Numbers "YYYY-NNNN" per year it happened (as first logged), in the order logged."""
    demo.incidents.sort(key=lambda i: i.logged_at or demo.latest)
    counters: Counter[int] = Counter()
    for inc in demo.incidents:
        happened = inc.correction.happened_at if inc.correction else inc.happened_at
        year = _local(happened).year
        counters[year] += 1
        inc.number = f"{year}-{counters[year]:04d}"
    for inc in demo.incidents:
        if inc.duplicate_of is not None:
            inc.void_reason = demo.rng.choice(_VOID_REASONS).format(
                number=inc.duplicate_of.number)


def _plan_incidents(demo: _Demo) -> None:
    """The incident log: a few a week, far more per resident in the street-oriented section,
    the same few residents again and again; staff bringing back runaways; refusals of a move
    order; now and then a correction or a copy voided by the leader; reports waiting today."""
    rng = demo.rng
    living = _Living(demo)
    for stay in demo.stays:
        living.propensity[stay] = _propensity(rng, stay.street)
    names = list(SCENARIOS)
    for stay in demo.stays:
        first = max(stay.arrival + timedelta(days=1), demo.first_day)
        last = stay.moved_out_on - timedelta(days=1) if stay.moved_out_on else demo.today
        if last < first:
            continue
        days = (last - first).days + 1
        factor = living.propensity[stay]
        weights = [SCENARIOS[n].weight[stay.street] for n in names]
        for _i in range(_poisson(rng, days * INCIDENTS_PER_DAY[stay.street] * factor)):
            name = rng.choices(names, weights=weights)[0]
            scenario = SCENARIOS[name]
            at = _incident_moment(demo, stay, first, days, scenario)
            if at is None:
                continue
            inc = _Incident(demo.uuid(), at, stay, name)
            if scenario.make(demo, living, inc, stay) and _finish_incident(demo, living, inc):
                demo.incidents.append(inc)
    for inc in (*_bring_backs(demo), *_move_order_refusals(demo)):
        if _finish_incident(demo, living, inc):
            demo.incidents.append(inc)
    demo.incidents.sort(key=lambda i: i.logged_at or demo.latest)
    # Every log shows what a correction and a voided copy look like.
    settled = [i for i in demo.incidents if i.logged_at is not None
               and i.logged_at < demo.latest - timedelta(days=4)]
    if settled and not any(i.correction for i in demo.incidents):
        for inc in reversed(settled):
            if _correct(demo, living, inc, kind="description"):
                break
    copies = [i for i in settled if i.correction is None
              and (rng.random() < DUPLICATED_INCIDENTS)]
    if not copies and len(settled) >= 5:
        copies = [rng.choice([i for i in settled if i.correction is None] or settled)]
    for inc in copies:
        copy = _duplicate(demo, inc)
        if copy is not None:
            demo.incidents.append(copy)
    _incidents_for_today(demo, living)
    _number_incidents(demo)


def _incident_snapshot(inc: _Incident) -> dict[str, Any]:
    """Version 1 as ``correct_incident`` keeps it: ``_detail`` of the incident before."""
    v1 = inc.correction
    assert v1 is not None and inc.reporter is not None and inc.logged_at is not None

    def person(stay: _Stay) -> str:
        return f"{stay.person.given_names} {stay.person.family_name}"

    order = {code: i for i, code in enumerate(EXTRA_REPORT_CODES)}
    lines = sorted((line for line in inc.reports if line.created_at < v1.at),
                   key=lambda line: order.get(line.code, 99))
    detail = IncidentDetail(
        id=inc.id, number=inc.number, happened_at=v1.happened_at, noticed_at=v1.noticed_at,
        place=inc.place, kinds=tuple(v1.kinds), harassment_grounds=inc.harassment_grounds,
        description=v1.description, immediate_actions=tuple(inc.actions),
        other_persons=inc.other_persons, reported_by=inc.reporter.full_name,
        reported_at=inc.logged_at, minor_involved=v1.minor_involved, version=1,
        voided_at=None, void_reason=None,
        residents=tuple((p.target.id, person(p.target), p.target.person.person_id, p.role)
                        for p in v1.residents),
        staff=tuple(p.target.full_name for p in v1.staff),
        uses_of_force=tuple(ForceView(
            f.id, f.stay.id, person(f.stay), f.kind, f.started_at, f.ended_at, f.reason,
            f.decided_by.full_name if f.decided_by else None, f.injuries, None, None, False,
            None) for f in sorted(v1.forces, key=lambda f: f.started_at)),
        confiscated=tuple(ConfiscatedView(i.id, i.description,
                                          person(i.stay) if i.stay else None, i.kept_where,
                                          None, None, False) for i in v1.items),
        reports=tuple(ReportLine(
            line.code, line.required, line.added_reason,
            *((line.done_at, line.done_by.full_name if line.done_by else None, line.reference)
              if line.marked_at is not None and line.marked_at <= v1.at else (None, None, None)))
            for line in lines))
    return jsonable(asdict(detail))


_ALLOWANCE_COMMENTS = ("Jeg var træt, jeg gør det i næste uge.", None,
                       "Det er ikke fair, de andre gør det heller ikke.",
                       "I did not understand that it was my turn.")


def _allowance_decision(demo: _Demo, device_id: uuid.UUID,
                        inc: _Incident) -> dict[str, Any] | None:
    """The leader's decision behind an "allowance reduction" on a refusal: the minor's
    supplement withheld for a week from the day after, the minor told the same day."""
    if inc.scenario != "refused_tasks" or "allowance_reduction" not in inc.kinds \
            or inc.voided_at is not None or inc.main is None or inc.logged_at is None:
        return None
    leaders = [m for m in demo.staff if Role.CENTRE_LEADER.value in m.roles]
    if not leaders:
        return None
    decided = inc.logged_at + timedelta(hours=20)
    if decided > demo.latest:
        return None
    on = to_local(decided).date()
    pick = inc.id.int  # not the generator's random stream: the rest of the demo stays put
    comments = _ALLOWANCE_COMMENTS[pick % len(_ALLOWANCE_COMMENTS)]
    return {**_synced(device_id, uuid.UUID(int=inc.id.int ^ 0xA110), decided),
            "incident_id": inc.id, "resident_id": inc.main.id, "kind": "withhold",
            "allowance": "supplement_2", "grounds": "refused_tasks",
            "reasons": "Har nægtet at udføre sine pligter flere gange trods advarsler "
                       "(husordenen).",
            "period_from": on + timedelta(days=1), "period_to": on + timedelta(days=7),
            "per_day_dkk": None, "decided_on": on, "decided_by": leaders[pick % len(leaders)].id,
            "authorisation_id": None, "resident_told_on": on,
            "resident_comments": comments, "resident_declined": comments is None,
            "cancelled_on": None, "cancel_reason": None}


def _incident_rows(demo: _Demo,
                   device_id: uuid.UUID) -> list[tuple[type, list[dict[str, Any]]]]:
    incidents, versions, residents, staff, forces, items, reports = [], [], [], [], [], [], []
    decisions = []

    def part_row(part: _Part, inc: _Incident) -> dict[str, Any]:
        assert part.created_at is not None
        return {**_synced(device_id, part.id, part.created_at, [part.deleted_at]),
                "deleted_at": part.deleted_at, "incident_id": inc.id}

    for inc in demo.incidents:
        assert inc.logged_at is not None and inc.noticed_at is not None
        v1 = inc.correction
        assert inc.reporter is not None
        incidents.append({
            **_synced(device_id, inc.id, inc.logged_at, [v1.at if v1 else None, inc.voided_at]),
            "number": inc.number, "happened_at": inc.happened_at, "noticed_at": inc.noticed_at,
            "place": inc.place, "kinds": list(inc.kinds),
            "harassment_grounds": inc.harassment_grounds, "description": inc.description,
            "immediate_actions": list(inc.actions), "other_persons": inc.other_persons,
            "reported_by": inc.reporter.id, "minor_involved": inc.minor_involved,
            "version": 2 if v1 else 1, "voided_at": inc.voided_at,
            "voided_by": inc.voided_by.id if inc.voided_by else None,
            "void_reason": inc.void_reason})
        if v1 is not None:
            versions.append({**_synced(device_id, v1.id, v1.at), "incident_id": inc.id,
                             "version": 1, "snapshot": _incident_snapshot(inc),
                             "corrected_by": v1.by.id, "reason": v1.reason})
        for part in (*(v1.residents if v1 else ()), *inc.residents):
            residents.append({**part_row(part, inc), "resident_id": part.target.id,
                              "role": part.role})
        for part in (*(v1.staff if v1 else ()), *inc.staff):
            staff.append({**part_row(part, inc), "staff_id": part.target.id})
        for force in (*(v1.forces if v1 else ()), *inc.forces):
            assert force.created_at is not None
            forces.append({
                **_synced(device_id, force.id, force.created_at,
                          [force.recorded_at, force.deleted_at]),
                "deleted_at": force.deleted_at, "incident_id": inc.id,
                "resident_id": force.stay.id, "kind": force.kind,
                "started_at": force.started_at, "ended_at": force.ended_at,
                "reason": force.reason,
                "decided_by": force.decided_by.id if force.decided_by else None,
                "injuries": force.injuries, "minor_informed_on": force.informed_on,
                "minor_statement": force.statement, "minor_declined": force.declined,
                "statement_on": force.statement_on})
        for item in (*(v1.items if v1 else ()), *inc.items):
            assert item.created_at is not None
            items.append({
                **_synced(device_id, item.id, item.created_at, [item.returned_at,
                                                                item.deleted_at]),
                "deleted_at": item.deleted_at, "incident_id": inc.id,
                "resident_id": item.stay.id if item.stay else None,
                "description": item.description, "kept_where": item.kept_where,
                "returned_on": item.returned_on,
                "returned_by": item.returned_by.id if item.returned_by else None,
                "handed_to_police": item.handed_to_police})
        decision = _allowance_decision(demo, device_id, inc)
        if decision is not None:
            decisions.append(decision)
        for line in inc.reports:
            reports.append({
                **_synced(device_id, line.id, line.created_at, [line.marked_at]),
                "incident_id": inc.id, "code": line.code, "required": line.required,
                "added_reason": line.added_reason, "done_at": line.done_at,
                "done_by": line.done_by.id if line.done_by else None,
                "reference": line.reference})
    return [(Incident, incidents), (IncidentVersion, versions), (IncidentResident, residents),
            (IncidentStaff, staff), (UseOfForce, forces), (ConfiscatedItem, items),
            (IncidentReport, reports), (AllowanceDecision, decisions)]


# --- 4. rows --------------------------------------------------------------------------

def _synced(device_id: uuid.UUID, ident: uuid.UUID, created: datetime,
            updates: Iterable[datetime | None] = ()) -> dict[str, Any]:
    """The sync columns the unit of work would have filled: one version per change."""
    changes = [u for u in updates if u is not None]
    return {"id": ident, "created_at": created, "updated_at": max([created, *changes]),
            "updated_by_device": device_id, "deleted_at": None, "row_version": 1 + len(changes)}


def _rows(demo: _Demo, device_id: uuid.UUID,
          password_hash: str) -> list[tuple[type, list[dict[str, Any]]]]:
    """Every row to insert, table by table in foreign-key order."""
    assert demo.founded_at is not None
    rng = demo.rng
    staff_rows = []
    for member in demo.staff:
        hired = (demo.moment(member.since) if member.since else
                 demo.founded_at + timedelta(days=rng.randint(0, 30), minutes=rng.randint(0, 600)))
        left = demo.moment(member.until, 15, 16) if member.until else None
        last_login = (demo.moment(member.until - timedelta(days=1)) if member.until else
                      demo.latest - timedelta(hours=rng.randint(1, 24 * 14)))
        staff_rows.append({
            **_synced(device_id, member.id, hired, [left]),
            "username": member.username, "full_name": member.full_name,
            "password_hash": password_hash, "roles": sorted(member.roles), "active": member.until is None,
            "language": None, "phone": member.phone, "last_login_at": last_login})
    room_rows = [{**_synced(device_id, room.id, demo.founded_at), "name": room.name,
                  "section": room.section, "floor": room.floor} for room in demo.rooms]
    bed_rows = [{**_synced(device_id, bed.id, demo.founded_at), "room_id": room.id,
                 "label": bed.label} for room in demo.rooms for bed in room.beds]
    resident_rows, bed_assignments, contact_assignments = [], [], []
    for stay in demo.stays:
        person = stay.person
        until = stay.moved_out_on or demo.today
        has_representative = stay.representative_from <= until
        representative = person.representative if has_representative else None
        rep_at = (demo.moment(stay.representative_from)
                  if has_representative and stay.representative_from > stay.arrival else None)
        name, phone, email = representative or (None, None, None)
        missing = stay.open_episode() if stay.moved_out_on is None else None
        status = (stay.reason if stay.moved_out_on else
                  STATUS_MISSING if missing else STATUS_IN_RESIDENCE)
        resident_rows.append({
            **_synced(device_id, stay.id, stay.arrival_at,
                      [rep_at, stay.moved_out_at, missing.opened_at if missing else None]),
            "person_id": person.person_id, "given_names": person.given_names,
            "family_name": person.family_name, "name_in_own_script": person.own_script,
            "date_of_birth": person.date_of_birth, "age_disputed": person.age_disputed,
            "sex": person.sex,
            "nationality": NATIONALITY_AS_TYPED.get(person.nationality, person.nationality),
            "languages": list(person.languages), "phase": _phase(stay, until),
            "arrival_date": stay.arrival,
            "status": status,
            "moved_out_on": stay.moved_out_on,
            "move_out_reason": stay.reason if stay.moved_out_on else None,
            "move_out_note": stay.move_out_note,
            "representative_name": name, "representative_phone": phone,
            "representative_email": email, "street_oriented": stay.street,
            "special_needs": stay.special_needs_note is not None,
            "special_needs_note": stay.special_needs_note})
        for spell in stay.beds:
            bed_assignments.append({
                **_synced(device_id, spell.id, spell.start_at, [spell.end_at]),
                "resident_id": stay.id, "bed_id": spell.target.id, "started_on": spell.start,
                "ended_on": spell.end, "end_reason": spell.end_reason})
        for spell in stay.contacts:
            contact_assignments.append({
                **_synced(device_id, spell.id, spell.start_at, [spell.end_at]),
                "resident_id": stay.id, "staff_id": spell.target.id, "kind": spell.kind,
                "started_on": spell.start, "ended_on": spell.end})
    leave_rows = [{**_synced(device_id, leave.id, leave.approved_at), "resident_id": stay.id,
                   "kind": leave.kind, "starts_at": leave.starts_at, "ends_at": leave.ends_at,
                   "note": leave.note, "approved_by": leave.approved_by.id}
                  for stay in demo.stays for leave in stay.leaves]
    return [(Staff, staff_rows), (Room, room_rows), (Bed, bed_rows), (Resident, resident_rows),
            (BedAssignment, bed_assignments), (ContactAssignment, contact_assignments),
            (Leave, leave_rows)]


class _Cancelled(Exception):
    pass


def _write(db: Database, demo: _Demo, password_hash: str,
           cancel: threading.Event | None) -> Iterator[Progress]:
    tables = _rows(demo, db.device_id, password_hash)
    cases = _case_rows(demo, db.device_id)
    reception = _reception_rows(demo, db.device_id)
    incidents = _incident_rows(demo, db.device_id)
    from app.demo_notes import note_rows

    notes = note_rows(demo.notes, db.device_id)
    from app.demo_plans import plan_rows

    notes += plan_rows(demo.plans, db.device_id)
    # The rounds and marks are made as they are written (too many to keep in memory).
    total = (sum(len(rows) for _model, rows in (*tables, *cases, *reception, *incidents,
                                                *notes))
             + len(demo.rounds) + demo.expected_marks)
    done = 0
    message = _("Saving the demo centre")
    with db.unit(SYSTEM, audit=False) as session, index_suspended(session.connection()):
        for model, rows in itertools.chain(tables, _round_rows(demo, db.device_id), cases,
                                           reception, incidents, notes):
            for start in range(0, len(rows), BATCH_SIZE):
                if cancel is not None and cancel.is_set():
                    raise _Cancelled
                batch = rows[start:start + BATCH_SIZE]
                session.execute(insert(model), batch)
                done += len(batch)
                yield Progress(message, min(done, total), total)
        # The centre and its first administrator were made by the services just now;
        # date them back to when the centre opened.
        session.execute(update(Centre).values(created_at=demo.founded_at,
                                              updated_at=demo.founded_at))
        session.execute(update(Staff).where(Staff.username == ADMIN_USERNAME)
                        .values(created_at=demo.founded_at, updated_at=demo.founded_at))
        audit_entry(session, "create", "demo", None, {
            "places": demo.places, "first_day": demo.first_day.isoformat(),
            "last_day": demo.today.isoformat(), "residents": len(demo.stays),
            "staff": len(demo.staff) + 1, "rounds": len(demo.rounds),
            "marks": demo.marks_written, "lost_items": len(demo.items),
            "visits": len(demo.visits), "incidents": len(demo.incidents),
            "observations": len(demo.notes)},
            summary="demo centre generated")
    yield Progress(message, total, total)


# --- the entry points -----------------------------------------------------------------

def _partial_path(db_path: Path) -> Path:
    return Path(f"{db_path}.partial")


def _remove_sqlite_files(path: Path) -> None:
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        candidate.unlink(missing_ok=True)


def _to_single_file(path: Path) -> None:
    """Fold the write-ahead log into the file, so renaming it moves the whole database
    (the program switches back to WAL when it opens the file)."""
    connection = sqlite3.connect(str(path))
    try:
        mode = connection.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    finally:
        connection.close()
    if str(mode).lower() != "delete":
        raise RuntimeError(f"{path} is still in use; cannot finish the demo database")


def _years_before(day: date, years: int) -> date:
    return _birthday(day, day.year - years)


def generate(db_path: Path, *, places: int = 78, years: int = 1, seed: int = 1,
             cancel: threading.Event | None = None, today: date | None = None,
             now: datetime | None = None) -> Iterator[Progress | DemoResult]:
    """Build a demo centre with ``places`` beds and ``years`` of history up to ``today``.

    The history ends at ``now`` (default: the clock) when ``today`` is the day of ``now``,
    else at the end of ``today``: today's rounds planned later have not been taken yet.
    Yields ``Progress`` now and then and finally the ``DemoResult``. The database is built
    in ``<db_path>.partial`` and renamed at the end; if ``cancel`` is set, the generator
    stops without a result and leaves no file behind.
    """
    db_path = Path(db_path)
    if places < 4 or years < 1:
        raise ValueError("a demo centre needs at least 4 places and 1 year")
    if db_path.exists() and db_path.stat().st_size > 0:
        raise FileExistsError(str(db_path))
    clock = now or utcnow()
    today = today or local_today(clock)
    latest_today = datetime.combine(today, time(23, 59), tzinfo=LOCAL_TZ).astimezone(UTC)
    rng = random.Random(seed)
    demo = _Demo(rng=rng, places=places, first_day=_years_before(today, years) + timedelta(1),
                 today=today, latest=min(clock.astimezone(UTC), latest_today)
                 if today == local_today(clock) else latest_today)
    partial = _partial_path(db_path)
    _remove_sqlite_files(partial)
    db: Database | None = None
    finished = False
    try:
        yield Progress(_("Creating the centre and its staff"), 0, 1)
        _make_rooms(demo)
        _make_staff(demo)
        _initial_population(demo)
        yield from _simulate(demo, cancel)
        if cancel is not None and cancel.is_set():
            return
        yield Progress(_("Planning rounds, leave and missing cases"), 0, 1)
        _plan_attendance(demo)
        if cancel is not None and cancel.is_set():
            return
        yield Progress(_("Planning the lost-property register and the visitor log"), 0, 1)
        _plan_reception(demo)
        if cancel is not None and cancel.is_set():
            return
        yield Progress(_("Planning the incident log"), 0, 1)
        _plan_incidents(demo)
        if cancel is not None and cancel.is_set():
            return
        yield Progress(_("Planning the shift observations"), 0, 1)
        from app.demo_notes import plan_notes

        demo.notes = plan_notes(demo, random.Random(f"{seed}/notes"))
        from app.demo_plans import plan_plans

        demo.plans = plan_plans(demo, random.Random(f"{seed}/plans"))
        earliest = min([s.arrival for s in demo.stays] or [demo.first_day])
        demo.founded_at = demo.moment(earliest - timedelta(days=rng.randint(60, 240)), 9, 12)

        db = open_database(partial)
        initialise_centre(db, centre_name=CENTRE_NAME, centre_code=CENTRE_CODE,
                          admin_username=ADMIN_USERNAME, admin_full_name=_admin_name(rng),
                          admin_password=DEMO_PASSWORD)
        # Hashing costs ~0.1 s: every demo user shares the administrator's hash.
        with db.read() as session:
            password_hash = session.scalar(select(Staff.password_hash)
                                           .where(Staff.username == ADMIN_USERNAME))
        assert password_hash is not None
        try:
            yield from _write(db, demo, password_hash, cancel)
        except _Cancelled:
            return
        # The rows were bulk-inserted past the unit of work: enqueue them for head office.
        with db.sessions.begin() as session:
            backfill(session)
        # Visitor identity older than the centre's retention is erased, as the cleanup job
        # does (and logs) every day.
        demo.visits_erased = visitors.erase_expired_identities(db, now=demo.latest)
        db.close()
        db = None
        _to_single_file(partial)
        os.replace(partial, db_path)
        finished = True
        yield _result(demo)
    finally:
        if db is not None:
            db.close()
        if not finished:
            _remove_sqlite_files(partial)


def _admin_name(rng: random.Random) -> str:
    return f"{rng.choice(_DANISH_WOMEN)} {rng.choice(_DANISH_FAMILIES)}"


def _result(demo: _Demo) -> DemoResult:
    current = sum(1 for s in demo.stays if s.moved_out_on is None)
    active = [s for s in demo.staff if s.until is None]
    credentials = [(ADMIN_USERNAME, DEMO_PASSWORD, (Role.ADMINISTRATOR.value,))]
    credentials += [(s.username, DEMO_PASSWORD, tuple(s.roles)) for s in active]
    live = [i for i in demo.incidents if i.voided_at is None]
    return DemoResult(
        centre_name=CENTRE_NAME, centre_code=CENTRE_CODE, first_day=demo.first_day,
        last_day=demo.today, staff=len(active) + 1, former_staff=len(demo.staff) - len(active),
        residents_current=current, residents_former=len(demo.stays) - current,
        arrivals=sum(1 for s in demo.stays if s.arrival >= demo.first_day),
        departures=sum(1 for s in demo.stays if s.moved_out_on is not None),
        room_changes=demo.room_changes, rooms=len(demo.rooms), beds=len(demo.beds),
        credentials=credentials, rounds=len(demo.rounds), marks=demo.marks_written,
        leave=sum(len(s.leaves) for s in demo.stays),
        missing_cases=sum(len(s.episodes) for s in demo.stays),
        missing_open=sum(1 for s in demo.stays for e in s.episodes if e.end is None),
        lost_items=len(demo.items), lost_batches=len({i.batch_id for i in demo.items}),
        lost_kept=sum(1 for i in demo.items if i.disposition is None),
        lost_due=sum(1 for i in demo.items if i.disposition is None and i.deadline is not None
                     and i.deadline <= demo.today),
        visits=sum(1 for v in demo.visits if v.turned_away_reason is None),
        visits_turned_away=sum(1 for v in demo.visits if v.turned_away_reason is not None),
        visitors_in_building=sum(1 for v in demo.visits
                                 if v.turned_away_reason is None and v.left_at is None),
        visits_erased=demo.visits_erased,
        incidents=len(live),
        incidents_street=sum(1 for i in live if any(s.street for s in i.stays)),
        uses_of_force=sum(len(i.forces) for i in live),
        incident_reports=sum(len(i.reports) for i in live),
        incident_reports_open=sum(1 for i in live for line in i.reports
                                  if line.done_at is None),
        incidents_corrected=sum(1 for i in demo.incidents if i.correction is not None),
        incidents_voided=len(demo.incidents) - len(live),
        observations=sum(1 for n in demo.notes if n.deleted_at is None),
        observation_concerns=sum(1 for n in demo.notes if n.concern and n.deleted_at is None),
        observations_revised=sum(1 for n in demo.notes if n.earlier is not None))


def describe(result: DemoResult, db_path: Path) -> str:
    """What was built, and the demo users with their password and roles."""
    lines = [
        _("Demo centre {name} ({code}) created in {path}.").format(
            name=result.centre_name, code=result.centre_code, path=db_path),
        _("Simulated {first} to {last}: {arrivals} arrivals, {departures} move-outs, "
          "{changes} room changes.").format(
            first=format_date(result.first_day), last=format_date(result.last_day),
            arrivals=result.arrivals, departures=result.departures,
            changes=result.room_changes),
        _("Residents: {current} living here now, {former} former; {rooms} rooms with "
          "{beds} beds.").format(current=result.residents_current,
                                 former=result.residents_former, rooms=result.rooms,
                                 beds=result.beds),
        _("Staff: {staff} users, {former} former users (inactive).").format(
            staff=result.staff, former=result.former_staff),
        _("Attendance: {rounds} rounds with {marks} marks, {leave} approved leaves, "
          "{cases} missing cases ({open} open now).").format(
            rounds=result.rounds, marks=result.marks, leave=result.leave,
            cases=result.missing_cases, open=result.missing_open),
        _("Reception: {items} lost-property items in {batches} batches ({kept} still kept, "
          "{due} due now); {visits} visits, {away} visitors turned away, {inside} in the "
          "building now; visitor identity erased for {erased} visits (retention).").format(
            items=result.lost_items, batches=result.lost_batches, kept=result.lost_kept,
            due=result.lost_due, visits=result.visits, away=result.visits_turned_away,
            inside=result.visitors_in_building, erased=result.visits_erased),
        _("Incidents: {incidents} ({street} in the street-oriented section), {force} uses of "
          "force, {reports} reports ({open} outstanding now); {corrected} corrected, {voided} "
          "void.").format(
            incidents=result.incidents, street=result.incidents_street,
            force=result.uses_of_force, reports=result.incident_reports,
            open=result.incident_reports_open, corrected=result.incidents_corrected,
            voided=result.incidents_voided),
        _("Shift observations: {notes} notes ({concerns} marked as concern); {revised} "
          "changed more than a day after they were written (the earlier words kept).").format(
            notes=result.observations, concerns=result.observation_concerns,
            revised=result.observations_revised),
        "",
        _("Demo users (log in with the user name and password):"),
    ]
    header = (_("User name"), _("Password"), _("Roles"))
    table = [header] + [(username, password, ", ".join(role_label(r) for r in roles))
                        for username, password, roles in result.credentials]
    widths = [max(len(row[i]) for row in table) for i in range(2)]
    for row in table:
        lines.append(f"  {row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}".rstrip())
    return "\n".join(lines)

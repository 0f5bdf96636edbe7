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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update

from app.db import Database, open_database
from app.formatting import LOCAL_TZ, format_date, local_today, utcnow
from app.i18n import _
from app.models import (
    AttendanceMark,
    AttendanceRound,
    Bed,
    BedAssignment,
    Centre,
    ContactAssignment,
    Leave,
    LostItem,
    LostItemDisposition,
    MissingCase,
    MissingReport,
    Resident,
    Room,
    Staff,
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
from app.rules.residents import ADULT_AGE, age_on
from app.rules.rounds import DEFAULT_ROUND_TIMES, ROUND_SLOTS, parse_round_times, planned_at
from app.services import visitors
from app.services.centre import initialise_centre
from app.services.lost_property import OCCUPANT_LOOKBACK_DAYS
from app.services.visitors import visitor_key
from app.unit_of_work import SYSTEM, audit_entry

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
    # The rounds and marks are made as they are written (too many to keep in memory).
    total = (sum(len(rows) for _model, rows in (*tables, *cases, *reception))
             + len(demo.rounds) + demo.expected_marks)
    done = 0
    message = _("Saving the demo centre")
    with db.unit(SYSTEM, audit=False) as session:
        for model, rows in itertools.chain(tables, _round_rows(demo, db.device_id), cases,
                                           reception):
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
            "visits": len(demo.visits)}, summary="demo centre generated")
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
        visits_erased=demo.visits_erased)


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

"""The demo centre's shift observations (issue 4): the notes staff write after their shifts.

A pass of ``app.demo.generate`` after the incident log, over ``demo.stays``; it has its own
random stream (``random.Random(f"{seed}/notes")``), so adding it changed nothing else the
generator makes.

- Several notes per resident per week (``NOTES_PER_WEEK``; more in the street-oriented
  section), on days the resident was at home, about one or two areas (``TEMPLATES``), mostly
  in Danish, some in English, now and then quoting an Arabic-speaking resident in Arabic.
- Written by the resident's contact persons on that day mostly (primary more than
  secondary), some by the night staff the next morning about the night (shift date: the
  evening before), a few by others on the day shift; at the end of a shift, never later than
  the generation time.
- A few are concerns (``CONCERN_SHARE``); the primary contact person and a social coordinator
  acknowledge them within hours or a day (the author's own audience at once), except recent
  ones: a couple still wait on the Today page.
- Some are corrected: most within the same day (no version kept), some days later (the
  earlier words are kept as version 1, ``app.rules.observations``); a very few are deleted
  (written about the wrong resident).

``note_rows`` turns them into rows for ``_write``, which fills the full-text index once
after the bulk insert (``app.fts.index_suspended``). ``app.demo`` imports this module where
it is used (this module builds on ``app.demo``'s simulated objects).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from app.demo import _at_home, _Demo, _poisson, _shift, _StaffMember, _Stay, _synced
from app.formatting import LOCAL_TZ
from app.models import Observation, ObservationAcknowledgement, ObservationVersion
from app.models.observations import AUDIENCE_COORDINATOR, AUDIENCE_PRIMARY_CONTACT
from app.models.residents import CONTACT_PRIMARY, CONTACT_SECONDARY
from app.permissions import Role

#: Notes per resident per week: general section, street-oriented section.
NOTES_PER_WEEK = {False: 3.0, True: 4.0}
#: Who writes a note: the primary and secondary contact person, the night staff, anyone else
#: on the day shift.
AUTHOR_WEIGHTS = {CONTACT_PRIMARY: 0.5, CONTACT_SECONDARY: 0.3, "night": 0.12, "day": 0.08}
ENGLISH_SHARE = 0.08
CONCERN_SHARE = {False: 0.025, True: 0.05}
EDITED_SAME_DAY_SHARE = 0.04
EDITED_LATER_SHARE = 0.02
DELETED_SHARE = 0.003
#: Concerns still waiting for acknowledgement at the end of the demo (at least).
CONCERNS_WAITING = 2


@dataclass(eq=False)
class DemoNote:
    id: uuid.UUID
    stay: _Stay
    author: _StaffMember
    shift_date: date
    written_at: datetime
    text: str
    categories: list[str]
    concern: bool = False
    language: str = "da"
    edited_at: datetime | None = None
    # The words before a late edit: (version id, text, categories).
    earlier: tuple[uuid.UUID, str, list[str]] | None = None
    deleted_at: datetime | None = None
    delete_reason: str | None = None
    # (id, audience, who, when)
    acks: list[tuple[uuid.UUID, str, _StaffMember, datetime]] = field(default_factory=list)


# --- the words -----------------------------------------------------------------------------

TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {"da": {
    "wellbeing": (
        "{a} virkede glad og afslappet i dag og lavede sjov med personalet.",
        ("{a} var stille og trak sig fra fællesskabet efter frokost. Jeg spurgte ind, og "
        "{pron} sagde, at {pron} bare var træt."),
        "{a} var i godt humør og hjalp til med at dække bord.",
        ("{a} virkede trist i aften og talte om at savne sin familie. Vi sad sammen en halv "
        "time i fællesrummet."),
        ("{a} klagede over ondt i maven. Fik te og hvilede sig; sundhedsplejersken er "
        "orienteret."),
        "{a} var irritabel i eftermiddag, men faldt til ro efter en gåtur rundt om søen.",
    ),
    "school": (
        "{a} var i skole hele dagen og viste stolt sin danskopgave frem.",
        "{a} havde glemt sine skolebøger; vi fandt dem sammen, og {pron} nåede bussen.",
        ("{a} ville ikke i skole i morges og sagde, at {pron} havde hovedpine. Var frisk igen "
        "til frokost."),
        "{a} fik hjælp til matematiklektier i aften og arbejdede koncentreret i en time.",
        "Læreren ringede: {a} deltager godt i timerne, men mangler at aflevere to opgaver.",
        "{a} fortalte, at {pron} har fået en ny klassekammerat, der også taler {language}.",
    ),
    "leisure": (
        "{a} spillede fodbold med de andre på banen bag hus B.",
        "{a} var med på tur til stranden og badede i havet for første gang.",
        "{a} har meldt sig til boksning i den lokale klub og var til første træning i dag.",
        "{a} tegnede i fællesrummet det meste af eftermiddagen.",
        "{a} var med i cykelværkstedet og fik lappet sin cykel.",
        "{a} spillede playstation med to af de andre og tabte med et smil.",
    ),
    "social": (
        "{a} hjalp en nyankommen med at finde rundt og oversatte ved aftensmaden.",
        "{a} havde en mindre konflikt med en anden beboer om vaskemaskinen; løst ved en snak.",
        "{a} sad meget alene i dag. Jeg inviterede {ham} med til aftensmaden, og {pron} kom.",
        "{a} har fået en ny ven i skolen og har været hjemme hos vennens familie.",
        "{a} og værelseskammeraten lavede mad sammen i køkkenet og grinede meget.",
    ),
    "sleep": (
        "{a} sov uroligt og var oppe flere gange i løbet af natten.",
        ("{a} havde mareridt og kom ned til nattevagten kl. 3. Fik varm mælk og faldt i søvn "
        "igen."),
        "{a} sov hele natten. Stille på værelset.",
        ("{a} var oppe til sent med telefonen; vi har aftalt, at den ligger på kontoret efter "
        "kl. 23."),
        "{a} var svær at vække i morges og kom for sent til skole.",
    ),
    "daily_skills": (
        "{a} vaskede sit tøj selv i dag og fik hjælp til at sortere kulørt og hvidt.",
        "{a} lavede aftensmad med personalet: ris og kylling til otte personer.",
        "{a} har gjort rent på værelset uden påmindelse.",
        ("{a} var med i Netto og handlede ind for ugens lommepenge; vi talte om at lægge et "
        "budget."),
        "{a} glemte sin rengøringstjans igen; vi har lavet en plan på tavlen sammen.",
        "{a} øvede sig i at tage bussen alene til skolen. Det gik fint.",
    ),
    "family_contact": (
        "{a} talte med sin mor i telefonen i aften og var glad bagefter.",
        "{a} har ikke hørt fra sin familie i to uger og er bekymret.",
        "{a} fik besøg af sin onkel i weekenden.",
        "{a} har fået kontakt til en fætter i Tyskland gennem Røde Kors' efterlysningstjeneste.",
        ("{a} spurgte til familiesammenføring; henvist til samtale med den personlige "
        "repræsentant."),
    ),
    "concern": (
        ("{a} sagde i aften, at {pron} ikke kan se nogen mening med noget. Jeg blev hos {ham}, "
        "til {pron} faldt i søvn. Skal følges op i morgen."),
        "{a} har mærker på armen og ville ikke sige, hvor de kommer fra.",
        ("{a} får mange opkald fra et ukendt nummer og virker presset. Mistanke om, at nogen "
        "kræver penge af {ham}."),
        "{a} har ikke spist ordentligt i flere dage og har tabt sig synligt.",
        ("{a} fortalte, at nogen uden for centret har tilbudt {ham} arbejde og penge. Bekymring "
        "for udnyttelse."),
        "{a} kom hjem påvirket sent i aften og ville ikke sige, hvor {pron} havde været.",
    ),
}, "en": {
    "wellbeing": (
        "{a} was in a good mood today and helped to set the table.",
        ("{a} seemed low this evening and talked about missing home. We sat together for a "
        "while."),
        "{a} complained of a headache; rested in the afternoon and was fine by dinner.",
    ),
    "school": (
        "{a} went to school all day and proudly showed me {his} Danish homework.",
        "{a} did not want to go to school this morning; we talked and {he} went after lunch.",
    ),
    "leisure": (
        "{a} went to football practice after school and came home happy.",
        "{a} spent the afternoon drawing in the common room.",
    ),
    "social": (
        "{a} helped a new arrival find {his} way around and translated at dinner.",
        "{a} kept to {him}self today. I invited {him} to join us for dinner, and {he} did.",
    ),
    "sleep": (
        "{a} slept badly and was up several times during the night.",
        "{a} slept through the night. Quiet in the room.",
    ),
    "daily_skills": (
        "{a} did {his} laundry independently today.",
        "{a} cooked dinner with staff and planned the shopping for the week.",
    ),
    "family_contact": (
        "{a} spoke to {his} mother on the phone tonight and was happy afterwards.",
        "{a} has not heard from {his} family for two weeks and is worried.",
    ),
    "concern": (
        ("{a} said tonight that {he} does not see the point of anything. I stayed with {him} "
        "until {he} fell asleep. Follow up tomorrow."),
        "{a} has bruises on {his} arm and would not say where they came from.",
        "{a} came home late and intoxicated and would not say where {he} had been.",
    ),
}}
#: Said in Arabic and written down as the resident said it (words a boy or a girl can say).
ARABIC_QUOTES = ("الحمد لله، أنا بخير", "أريد أن أتكلم مع أمي", "شكراً على المساعدة",
                 "أشتاق إلى عائلتي", "أحب المدرسة هنا")
LATER_ADDITIONS = {
    "da": ("Tilføjelse: talt med {a} igen dagen efter; det går bedre.",
           "Tilføjelse: sundhedsplejersken har set på det, intet at bemærke.",
           "Tilføjelse: drøftet på personalemødet; {a} følges tæt den næste uge.",
           "Rettelse: det var onsdag, ikke tirsdag."),
    "en": ("Addition: talked to {a} again the next day; things are better.",
           "Correction: it was Wednesday, not Tuesday."),
}
DELETE_REASONS = ("Skrevet på den forkerte beboer.", "Registreret to gange.")
_CATEGORY_WEIGHTS = {"wellbeing": 5, "school": 4, "leisure": 3, "social": 3, "sleep": 2,
                     "daily_skills": 3, "family_contact": 2}


def _words(stay: _Stay) -> dict[str, str]:
    female = stay.person.sex == "female"
    language = next((lang for lang in stay.person.languages if lang != "English"),
                    stay.person.languages[0] if stay.person.languages else "dansk")
    return {"a": stay.person.given_names, "pron": "hun" if female else "han",
            "ham": "hende" if female else "ham", "he": "she" if female else "he",
            "him": "her" if female else "him", "his": "her" if female else "his",
            "language": _LANGUAGE_DA.get(language, language)}


_LANGUAGE_DA = {"Arabic": "arabisk", "Dari": "dari", "Pashto": "pashto", "Farsi": "farsi",
                "Tigrinya": "tigrinya", "Somali": "somali", "Ukrainian": "ukrainsk",
                "Russian": "russisk", "French": "fransk", "Vietnamese": "vietnamesisk",
                "Kurdish (Kurmanji)": "kurmanji", "Kurdish (Sorani)": "sorani",
                "Tamazight": "tamazight", "Spanish": "spansk"}


def _text(rng: random.Random, stay: _Stay, categories: list[str], concern: bool,
          language: str) -> str:
    words = _words(stay)
    templates = TEMPLATES[language]
    # A concern is a note of its own, not one more sentence after "a good day at school".
    parts = ([rng.choice(templates["concern"])] if concern
             else [rng.choice(templates[category]) for category in categories])
    text = " ".join(part.format(**words) for part in parts)
    if "Arabic" in stay.person.languages and rng.random() < 0.06:
        said = "said" if language == "en" else "sagde"
        text += f" {words['a']} {said}: «{rng.choice(ARABIC_QUOTES)}»"
    return text


# --- who, when -----------------------------------------------------------------------------

def _contact_on(stay: _Stay, kind: str, day: date) -> _StaffMember | None:
    for spell in stay.contacts:
        if spell.kind == kind and spell.start <= day and (spell.end is None or day < spell.end):
            assert isinstance(spell.target, _StaffMember)
            return spell.target
    return None


def _local(day: date, minute: int) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=LOCAL_TZ).astimezone(UTC)


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _write_time(rng: random.Random, day: date, night: bool) -> tuple[datetime, datetime]:
    """(when the resident was observed, when the note was written) for a shift on ``day``."""
    if night:
        # Written at the end of the night shift, about the evening and the night.
        return _local(day, 23 * 60 + 30), _local(day + timedelta(days=1),
                                                 rng.randint(6 * 60, 7 * 60 + 20))
    if rng.random() < 0.6:  # end of the day shift
        written = _local(day, rng.randint(14 * 60 + 20, 16 * 60 + 40))
    else:                   # end of the evening shift
        written = _local(day, rng.randint(20 * 60 + 30, 21 * 60 + 50))
    return written - timedelta(hours=2), written


def _author(demo: _Demo, rng: random.Random, stay: _Stay, day: date) -> tuple[_StaffMember,
                                                                               bool] | None:
    kind = rng.choices(list(AUTHOR_WEIGHTS), weights=list(AUTHOR_WEIGHTS.values()))[0]
    if kind in (CONTACT_PRIMARY, CONTACT_SECONDARY):
        member = _contact_on(stay, kind, day)
        if member is not None and member.works_on(day):
            return member, False
        kind = "day"
    pool = _shift(demo, day, kind)
    return (rng.choice(pool), kind == "night") if pool else None


def _note(demo: _Demo, rng: random.Random, stay: _Stay, day: date,
          concern: bool | None = None) -> DemoNote | None:
    chosen = _author(demo, rng, stay, day)
    if chosen is None:
        return None
    author, night = chosen
    observed, written = _write_time(rng, day, night)
    if (written > demo.latest or not _at_home(stay, observed)
            or (stay.moved_out_at is not None and written > stay.moved_out_at)):
        return None
    if concern is None:
        concern = rng.random() < CONCERN_SHARE[stay.street]
    if night:
        categories = ["sleep"] if rng.random() < 0.7 else [_category(rng)]
    else:
        categories = sorted({_category(rng) for _i in range(rng.choice((1, 1, 2)))},
                            key=list(_CATEGORY_WEIGHTS).index)
    if concern:
        categories = ["wellbeing"] + (["social"] if rng.random() < 0.3 else [])
    language = "en" if rng.random() < ENGLISH_SHARE else "da"
    return DemoNote(_uuid(rng), stay, author, day, written,
                    _text(rng, stay, categories, concern, language), categories, concern,
                    language)


def _category(rng: random.Random) -> str:
    return rng.choices(list(_CATEGORY_WEIGHTS), weights=list(_CATEGORY_WEIGHTS.values()))[0]


def _coordinator_on(demo: _Demo, rng: random.Random, day: date) -> _StaffMember | None:
    pool = [s for s in demo.staff
            if Role.SOCIAL_COORDINATOR.value in s.roles and s.works_on(day)]
    return rng.choice(pool) if pool else None


def _acknowledge(demo: _Demo, rng: random.Random, note: DemoNote, *, waiting: bool) -> None:
    """The primary contact person and a coordinator see the concern within hours or a day;
    the author's own audience at once. ``waiting``: nobody else has seen it yet."""
    primary = _contact_on(note.stay, CONTACT_PRIMARY, note.shift_date)
    coordinator = _coordinator_on(demo, rng, note.shift_date)
    for audience, member, hours in ((AUDIENCE_PRIMARY_CONTACT, primary, (1, 20)),
                                    (AUDIENCE_COORDINATOR, coordinator, (2, 30))):
        if member is None:
            continue
        own = member is note.author or (audience == AUDIENCE_COORDINATOR
                                        and Role.SOCIAL_COORDINATOR.value in note.author.roles)
        at = note.written_at if own else note.written_at + timedelta(
            hours=rng.uniform(*hours))
        if own or (not waiting and at <= demo.latest):
            note.acks.append((_uuid(rng), audience, note.author if own else member, at))


def _revise(demo: _Demo, rng: random.Random, note: DemoNote) -> None:
    """A correction the same day, a later addition (the earlier words kept), or a deletion."""
    roll = rng.random()
    language = note.language
    if roll < DELETED_SHARE:
        at = note.written_at + timedelta(minutes=rng.randint(10, 3 * 24 * 60))
        if at <= demo.latest:
            note.deleted_at, note.delete_reason = at, rng.choice(DELETE_REASONS)
    elif roll < DELETED_SHARE + EDITED_SAME_DAY_SHARE:
        at = note.written_at + timedelta(minutes=rng.randint(5, 20 * 60))
        if at <= demo.latest:
            note.edited_at = at
    elif roll < DELETED_SHARE + EDITED_SAME_DAY_SHARE + EDITED_LATER_SHARE:
        at = note.written_at + timedelta(hours=rng.uniform(25, 10 * 24))
        if at <= demo.latest:
            note.earlier = (_uuid(rng), note.text, list(note.categories))
            addition = rng.choice(LATER_ADDITIONS[language]).format(**_words(note.stay))
            note.text, note.edited_at = f"{note.text} {addition}", at


def plan_notes(demo: _Demo, rng: random.Random) -> list[DemoNote]:
    """Every note of every stay, in the order written, with its edits and acknowledgements."""
    notes: list[DemoNote] = []
    for stay in demo.stays:
        first = max(stay.arrival, demo.first_day)
        last = stay.moved_out_on - timedelta(days=1) if stay.moved_out_on else demo.today
        days = (last - first).days + 1
        if days <= 0:
            continue
        for _i in range(_poisson(rng, days * NOTES_PER_WEEK[stay.street] / 7)):
            note = _note(demo, rng, stay, first + timedelta(days=rng.randrange(days)))
            if note is not None:
                notes.append(note)
    recent = demo.latest - timedelta(days=2)
    for note in notes:
        _revise(demo, rng, note)
        if note.concern and note.deleted_at is None:
            _acknowledge(demo, rng, note, waiting=False)
    _concerns_for_today(demo, rng, notes, recent)
    notes.sort(key=lambda n: (n.written_at, n.id))
    return notes


def _concerns_for_today(demo: _Demo, rng: random.Random, notes: list[DemoNote],
                        since: datetime) -> None:
    """A couple of concerns about current residents wait for acknowledgement today."""
    waiting = [n for n in notes if n.concern and n.deleted_at is None
               and n.stay.moved_out_on is None and _waits(n)]
    current = [s for s in demo.stays if s.moved_out_on is None]
    for _attempt in range(50):
        if len(waiting) >= CONCERNS_WAITING or not current:
            return
        stay = rng.choice(current)
        day = demo.today - timedelta(days=rng.randint(0, 1))
        note = _note(demo, rng, stay, day, concern=True)
        if note is None or note.written_at < since:
            continue
        _acknowledge(demo, rng, note, waiting=True)
        if _waits(note):
            notes.append(note)
            waiting.append(note)


def _waits(note: DemoNote) -> bool:
    return {audience for _id, audience, _who, _at in note.acks} != {AUDIENCE_PRIMARY_CONTACT,
                                                                   AUDIENCE_COORDINATOR}


# --- rows ------------------------------------------------------------------------------------

def note_rows(notes: list[DemoNote],
              device_id: uuid.UUID) -> list[tuple[type, list[dict[str, Any]]]]:
    observations, versions, acks = [], [], []
    for note in notes:
        observations.append({
            **_synced(device_id, note.id, note.written_at, [note.edited_at, note.deleted_at]),
            "deleted_at": note.deleted_at, "resident_id": note.stay.id,
            "author_id": note.author.id, "shift_date": note.shift_date,
            "written_at": note.written_at, "text": note.text, "categories": note.categories,
            "concern": note.concern, "version": 2 if note.earlier else 1,
            "edited_at": note.edited_at,
            "deleted_by": note.author.id if note.deleted_at else None,
            "delete_reason": note.delete_reason})
        if note.earlier is not None:
            assert note.edited_at is not None
            ident, text, categories = note.earlier
            versions.append({**_synced(device_id, ident, note.edited_at),
                             "observation_id": note.id, "version": 1, "text": text,
                             "categories": categories, "concern": note.concern,
                             "written_at": note.written_at, "replaced_at": note.edited_at})
        for ident, audience, member, at in note.acks:
            acks.append({**_synced(device_id, ident, at), "observation_id": note.id,
                         "audience": audience, "staff_id": member.id, "acknowledged_at": at})
    return [(Observation, observations), (ObservationVersion, versions),
            (ObservationAcknowledgement, acks)]

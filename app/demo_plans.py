"""The demo centre's development plans (issue 4): goals, action plans, reviews and versions.

A pass of ``app.demo.generate`` after the shift observations, over ``demo.stays``; it has its
own random stream (``random.Random(f"{seed}/plans")``), so adding it changed nothing else the
generator makes.

- Two to five weeks after arrival the primary contact person makes version 1 together with
  the resident (often with an interpreter) and signs it off a few days later: three to five
  goals in the areas of ``PLAN_AREAS`` — schooling and language nearly always, everyday
  skills (cooking, cleaning, laundry, money) for 13–17 year olds — each with an action plan.
- Every 6–10 weeks the goals are reviewed (what happened, the resident's own words, next
  steps, the next review date). As in ``app.services.plans``, a signed-off version is frozen:
  the first review after a sign-off starts the next version from it (goals and open actions
  copied; the reviews stay with the version they were written on), and a version is signed
  off again at a review meeting some months later. So residents who stayed long have a
  version 2 (or later), signed off or still a draft.
- Actions are finished, dropped or still running as time goes by; a version shows the
  status on the day it was signed off (the latest version: today).

``plan_rows`` turns them into rows for ``_write`` (after the notes, in foreign-key order).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.demo import _Demo, _StaffMember, _Stay, _synced
from app.demo_notes import _LANGUAGE_DA, _contact_on, _local, _uuid, _words
from app.models.plans import DevelopmentPlan, PlanAction, PlanGoal, PlanReview
from app.models.residents import CONTACT_PRIMARY, CONTACT_SECONDARY
from app.permissions import Role

#: Days after arrival the first plan is made together with the resident.
FIRST_PLAN_DAYS = (14, 35)
#: Days between the meeting and the sign-off of version 1.
SIGN_OFF_DAYS = (1, 10)
#: Weeks between reviews.
REVIEW_WEEKS = (6, 10)
#: A version is signed off after this many review meetings (when the resident stays).
MEETINGS_PER_VERSION = (2, 5)
#: A draft is left unsigned at a meeting now and then (signed off at a later one).
INTERPRETER_SHARE = 0.75
SKILLS_AGES = range(13, 18)


@dataclass(eq=False)
class DemoAction:
    id: uuid.UUID
    text: str
    responsible: str
    created_on: date
    due_on: date
    closed_on: date | None = None
    outcome: str = "done"   # when closed: done / dropped


@dataclass(eq=False)
class DemoGoal:
    """A goal as it runs through the versions (each version gets a copy with its own id)."""

    area: str
    title: str
    description: str | None
    position: int
    created_on: date
    own_words: tuple[str, ...] = ()
    actions: list[DemoAction] = field(default_factory=list)


@dataclass(eq=False)
class DemoReview:
    goal: DemoGoal
    id: uuid.UUID
    on: date
    at: datetime
    what_happened: str
    residents_words: str | None
    next_steps: str | None
    next_review_on: date | None


@dataclass(eq=False)
class DemoVersion:
    id: uuid.UUID
    number: int
    based_on: DemoVersion | None
    started_on: date
    started_at: datetime
    made_with_resident_on: date
    interpreter_used: bool
    language: str | None
    goals: list[DemoGoal]
    goal_ids: dict[int, uuid.UUID] = field(default_factory=dict)   # id(goal) -> row id
    action_ids: dict[int, uuid.UUID] = field(default_factory=dict)  # id(action) -> row id
    reviews: list[DemoReview] = field(default_factory=list)
    signed_off_at: datetime | None = None
    signed_off_by: _StaffMember | None = None
    # The day the version's action statuses are shown for (sign-off, else today).
    as_of: date | None = None


@dataclass(eq=False)
class DemoPlan:
    stay: _Stay
    latest: datetime  # nothing after this moment
    versions: list[DemoVersion] = field(default_factory=list)


# --- the words -----------------------------------------------------------------------------

# area -> (title, description, actions: (text, responsible), residents' words)
GOALS: dict[str, tuple[tuple[str, str, tuple[tuple[str, str], ...], tuple[str, ...]], ...]] = {
    "schooling": (
        ("Møde stabilt i skole og følge undervisningen",
         "{a} skal komme i skole hver dag og have sine ting med.",
         (("Vække {a} kl. 7 og følge op på mødetid", "Kontaktperson"),
          ("Ugentlig snak om skoleugen", "Kontaktperson"),
          ("Møde med klasselæreren om trivsel og fravær", "Kontaktperson og skolen")),
         ("Jeg vil gerne lære, men det er svært at stå op.",
          "Skolen er god. Jeg kan godt lide min lærer.")),
        ("Blive klar til at starte i almindelig folkeskoleklasse",
         "{a} går i modtagelsesklasse og skal gradvist deltage i timer i en almindelig klasse.",
         (("Aftale prøveperiode i 7. klasse to dage om ugen", "Skolen"),
          ("Lektiehjælp tirsdag og torsdag", "Kontaktperson"),
          ("Finde en skolekammerat, der kan hjælpe i starten", "{a} og skolen")),
         ("Jeg vil gerne gå i klasse med danske børn.",
          "Jeg er lidt bange for ikke at forstå noget.")),
        ("Bestå dansk som andetsprog og få en plan for uddannelse",
         "{a} vil gerne videre på en erhvervsuddannelse.",
         (("Samtale med UU-vejleder om uddannelse", "Socialkoordinator"),
          ("Besøge en erhvervsskole sammen", "Kontaktperson"),
          ("Øve til prøven med lektiecafé", "{a}")),
         ("Jeg vil være mekaniker.", "Jeg vil gerne tjene mine egne penge en dag.")),
    ),
    "language": (
        ("Kunne føre en hverdagssamtale på dansk",
         "{a} forstår meget, men er genert ved at tale dansk.",
         (("Tale dansk ved aftensmaden", "Alle medarbejdere"),
          ("Låne lette danske bøger på biblioteket", "{a} og kontaktperson"),
          ("Øve ord fra hverdagen: butik, bus, læge", "Kontaktperson")),
         ("Dansk er svært, men jeg prøver hver dag.",
          "Jeg vil gerne kunne tale med folk i butikken.")),
        ("Bruge dansk, når {pron} handler og tager bussen",
         None,
         (("Handle ind på dansk med personalet en gang om ugen", "Kontaktperson"),
          ("Bruge Rejseplanen og spørge chaufføren på dansk", "{a}")),
         ("Jeg kan nu sige, hvad jeg skal have i Netto.",)),
    ),
    "leisure": (
        ("Finde en fritidsaktivitet uden for centret",
         "{a} er glad for sport og vil gerne møde jævnaldrende uden for centret.",
         (("Undersøge fodboldklubber i nærheden", "Kontaktperson"),
          ("Følge {a} til de første tre træninger", "Kontaktperson"),
          ("Søge kontingentstøtte", "Socialkoordinator")),
         ("Jeg elsker fodbold. Det er det bedste ved ugen.",
          "Jeg vil gerne gå til boksning med min ven.")),
        ("Bruge fritiden aktivt i stedet for at sidde på værelset",
         None,
         (("Deltage i cykelværkstedet onsdag", "{a}"),
          ("Være med på mindst én tur om måneden", "{a} og kontaktperson")),
         ("Det er kedeligt på værelset. Jeg vil gerne med ud.",)),
    ),
    "relatives": (
        ("Holde kontakt med familien",
         "{a} savner sin familie og har brug for faste tidspunkter til at ringe hjem.",
         (("Fast opkald hjem søndag aften", "{a}"),
          ("Hjælpe med taletidskort og wifi på telefonen", "Kontaktperson")),
         ("Jeg har det bedre, når jeg har talt med min mor.",
          "Jeg savner min lillebror meget.")),
        ("Få kontakt til familie gennem Røde Kors",
         "{a} har ikke hørt fra sin familie siden flugten.",
         (("Udfylde efterlysning hos Røde Kors sammen", "Kontaktperson"),
          ("Orientere den personlige repræsentant", "Socialkoordinator")),
         ("Jeg vil bare vide, om de er i live.",)),
    ),
    "wellbeing": (
        ("Få en god døgnrytme og sove om natten",
         "{a} sover dårligt og er træt i skolen.",
         (("Telefonen afleveres på kontoret kl. 23", "{a} og nattevagten"),
          ("Aftensnak med kontaktperson, når det er svært at falde i søvn", "Kontaktperson"),
          ("Tid hos sundhedsplejersken om søvn", "Socialkoordinator")),
         ("Jeg tænker meget om natten.", "Jeg sover bedre nu, når jeg har gået en tur.")),
        ("Have en voksen at tale med, når det er svært",
         None,
         (("Fast samtale med kontaktperson hver uge", "Kontaktperson"),
          ("Tilbyde samtale med psykolog via kommunen", "Socialkoordinator")),
         ("Det hjælper at snakke, men jeg vil ikke tale om min rejse.",
          "Jeg har det okay. Nogle dage er svære.")),
    ),
    "other": (
        ("Lære at cykle og tage bussen alene",
         None,
         (("Cykeltræning på parkeringspladsen lørdag", "Kontaktperson"),
          ("Tage bussen til skolen alene, med personale første gang", "{a}")),
         ("Nu kan jeg cykle til skole selv!",)),
        ("Få overblik over sine papirer og aftaler",
         "{a} bliver stresset over breve fra myndighederne.",
         (("Gennemgå post fra Udlændingestyrelsen sammen", "Kontaktperson"),
          ("Kalender på telefonen med aftaler", "{a}")),
         ("Jeg forstår ikke brevene, men nu ved jeg, hvem jeg skal spørge.",)),
    ),
}
#: Everyday skills for 13–17 year olds: cooking, cleaning, laundry, money.
SKILLS: tuple[tuple[str, str, tuple[tuple[str, str], ...], tuple[str, ...]], ...] = (
    ("Lære at lave et enkelt måltid selv",
     "Madlavning: {a} skal kunne planlægge, handle ind til og lave et enkelt måltid.",
     (("Lave aftensmad med personalet en gang om ugen", "{a} og kontaktperson"),
      ("Skrive en indkøbsliste til tre retter", "{a}")),
     ("Jeg kan lave ris og kylling nu. Næste gang vil jeg lave pasta.",
      "Jeg vil gerne lære at lave mad som min mor.")),
    ("Holde sit værelse rent og ryddeligt",
     "Rengøring: {a} skal gøre rent på sit værelse hver uge uden påmindelse.",
     (("Rengøringsplan på tavlen", "Kontaktperson"),
      ("Gøre rent lørdag formiddag", "{a}")),
     ("Det er fint at have et rent værelse, men jeg glemmer det.",)),
    ("Vaske sit tøj selv",
     "Tøjvask: sortere, vaske og tørre sit eget tøj.",
     (("Vise vaskemaskine og tørretumbler", "Kontaktperson"),
      ("Fast vasketid tirsdag", "{a}")),
     ("Jeg kan selv vaske nu.", "Mit hvide tøj blev lyserødt én gang. Nu sorterer jeg.")),
    ("Styre sine lommepenge og lægge et budget",
     "Penge: {a} skal kunne få lommepengene til at række hele måneden.",
     (("Lave et budget for lommepengene sammen", "Kontaktperson"),
      ("Gemme kvitteringer og gennemgå dem hver anden uge", "{a} og kontaktperson")),
     ("Jeg har sparet op til nye fodboldstøvler.",
      "Pengene er væk efter to uger. Jeg skal lære det.")),
)
HAPPENED = (
    "{a} er godt i gang, og de fleste aftaler er overholdt.",
    "Det går langsomt fremad. {a} har haft nogle svære uger, men holder fast i målet.",
    "Målet er næsten nået. {a} klarer det meste selv nu.",
    "{a} har ikke fået arbejdet meget med målet; vi har talt om, hvad der står i vejen.",
    "Fint forløb. Skolen og personalet oplever, at {a} er mere selvstændig.",
    "{a} var syg i en periode, så der er ikke sket så meget. Vi fortsætter.",
)
NEXT_STEPS = (
    "Fortsætter som aftalt.",
    "Vi gør aftalerne lidt mere konkrete og følger op hver uge.",
    "Næste skridt: {a} prøver selv, personalet er med på sidelinjen.",
    "Aftalt at inddrage skolen mere.",
    "Målet justeres, så det passer bedre til {a}s hverdag.",
)
OWN_WORDS_ARABIC = ("أريد أن أتعلم الدنماركية", "أنا سعيد هنا", "أريد أن أذهب إلى المدرسة")
LANGUAGES_NO_INTERPRETER = ("dansk", "engelsk")


# --- planning ----------------------------------------------------------------------------------

def _fill(text: str, words: dict[str, str]) -> str:
    return text.format(**words)


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _meeting_at(rng: random.Random, day: date) -> datetime:
    return _local(day, rng.randint(9 * 60, 15 * 60))


def _signer(demo: _Demo, rng: random.Random, stay: _Stay, day: date) -> _StaffMember | None:
    for kind in (CONTACT_PRIMARY, CONTACT_SECONDARY):
        member = _contact_on(stay, kind, day)
        if member is not None and member.works_on(day):
            return member
    pool = [s for s in demo.staff if Role.SOCIAL_COORDINATOR.value in s.roles
            and s.works_on(day)]
    return rng.choice(pool) if pool else None


def _goal(rng: random.Random, template, area: str, position: int, day: date,
          words: dict[str, str]) -> DemoGoal:
    title, description, actions, own = template
    goal = DemoGoal(area, _fill(title, words), _fill(description, words) if description else None,
                    position, day, own)
    for text, responsible in rng.sample(actions, k=min(len(actions), rng.randint(2, 3))):
        goal.actions.append(_action(rng, text, responsible, day, words))
    return goal


def _action(rng: random.Random, text: str, responsible: str, day: date,
            words: dict[str, str]) -> DemoAction:
    action = DemoAction(_uuid(rng), _fill(text, words), _fill(responsible, words), day,
                        day + timedelta(weeks=rng.randint(3, 14)))
    roll = rng.random()
    if roll < 0.75:    # done around the due date
        action.closed_on = action.due_on + timedelta(days=rng.randint(-20, 25))
    elif roll < 0.85:  # dropped
        action.closed_on, action.outcome = day + timedelta(days=rng.randint(14, 80)), "dropped"
    action.closed_on = max(action.closed_on, day + timedelta(days=3)) if action.closed_on else None
    return action


def _first_goals(rng: random.Random, stay: _Stay, day: date,
                 words: dict[str, str]) -> list[DemoGoal]:
    age = _age_on(stay.person.date_of_birth, day)
    chosen: list[tuple[str, Any]] = [("schooling", rng.choice(GOALS["schooling"]))]
    if rng.random() < 0.85:
        chosen.append(("language", rng.choice(GOALS["language"])))
    if age in SKILLS_AGES:
        chosen += [("everyday_skills", s) for s in rng.sample(SKILLS, k=rng.randint(1, 2))]
    others = ["leisure", "relatives", "wellbeing", "other"]
    rng.shuffle(others)
    for area in others[:rng.randint(1, 2)]:
        chosen.append((area, rng.choice(GOALS[area])))
    return [_goal(rng, template, area, position, day, words)
            for position, (area, template) in enumerate(chosen)]


def _status(action: DemoAction, on: date) -> str:
    if action.closed_on is not None and action.closed_on < on:
        return action.outcome
    return "in_progress" if action.created_on + timedelta(days=7) <= on else "planned"


def _own_words(rng: random.Random, stay: _Stay, goal: DemoGoal) -> str | None:
    if rng.random() < 0.15:
        return None
    if "Arabic" in stay.person.languages and rng.random() < 0.12:
        return rng.choice(OWN_WORDS_ARABIC)
    return rng.choice(goal.own_words or ("Det går fint.",))


def _new_version(demo: _Demo, rng: random.Random, stay: _Stay, number: int,
                 based_on: DemoVersion | None, day: date, goals: list[DemoGoal]) -> DemoVersion:
    language = next((lang for lang in stay.person.languages if lang != "English"), None)
    interpreter = language is not None and rng.random() < (INTERPRETER_SHARE if number == 1
                                                           else 0.5)
    spoken = (_LANGUAGE_DA.get(language, language) if interpreter and language
              else rng.choice(LANGUAGES_NO_INTERPRETER))
    return DemoVersion(_uuid(rng), number, based_on, day, _meeting_at(rng, day), day,
                       interpreter, spoken, list(goals))


def _plan_for(demo: _Demo, rng: random.Random, stay: _Stay) -> DemoPlan | None:
    last = stay.moved_out_on - timedelta(days=1) if stay.moved_out_on else demo.today
    made = stay.arrival + timedelta(days=rng.randint(*FIRST_PLAN_DAYS))
    if made > last:
        return None
    words = _words(stay)
    plan = DemoPlan(stay, demo.latest)
    version = _new_version(demo, rng, stay, 1, None, made,
                           _first_goals(rng, stay, made, words))
    if version.started_at > demo.latest:
        return None
    plan.versions.append(version)
    signed = made + timedelta(days=rng.randint(*SIGN_OFF_DAYS))
    if signed <= last:
        at = _meeting_at(rng, signed)
        signer = _signer(demo, rng, stay, signed)
        if at <= demo.latest and signer is not None:
            version.signed_off_at, version.signed_off_by, version.as_of = at, signer, signed
    meetings_left = rng.randint(*MEETINGS_PER_VERSION)
    planned = made + timedelta(weeks=rng.randint(*REVIEW_WEEKS))
    while True:
        day = planned + timedelta(days=rng.randint(-3, 10))
        if day > last:
            break
        at = _meeting_at(rng, day)
        if at > demo.latest:
            break
        if version.signed_off_at is not None:  # a frozen version: the next one starts
            goals = list(version.goals)
            if rng.random() < 0.3:
                area = rng.choice(["leisure", "relatives", "wellbeing", "other"])
                if all(g.area != area for g in goals):
                    goals.append(_goal(rng, rng.choice(GOALS[area]), area, len(goals), day,
                                       words))
            version = _new_version(demo, rng, stay, version.number + 1, version, day, goals)
            version.started_at = at
            plan.versions.append(version)
            meetings_left = rng.randint(*MEETINGS_PER_VERSION)
        planned = day + timedelta(weeks=rng.randint(*REVIEW_WEEKS))
        for goal in version.goals:
            if rng.random() < 0.1:
                continue  # not talked about this time
            version.reviews.append(DemoReview(
                goal, _uuid(rng), day, at + timedelta(minutes=rng.randint(30, 90)),
                _fill(rng.choice(HAPPENED), words), _own_words(rng, stay, goal),
                _fill(rng.choice(NEXT_STEPS), words) if rng.random() < 0.85 else None,
                planned))
            if rng.random() < 0.25:  # a new step in the action plan
                area_templates = GOALS.get(goal.area) or SKILLS
                text, responsible = rng.choice(rng.choice(area_templates)[2])
                goal.actions.append(_action(rng, text, responsible, day, words))
        meetings_left -= 1
        if meetings_left <= 0 and rng.random() < 0.8:
            sign_at = at + timedelta(hours=2)
            signer = _signer(demo, rng, stay, day)
            if sign_at <= demo.latest and signer is not None:
                version.signed_off_at, version.signed_off_by, version.as_of = (
                    sign_at, signer, day)
    for v in plan.versions:
        if v.as_of is None:
            v.as_of = min(last, demo.today)
    return plan


def plan_plans(demo: _Demo, rng: random.Random) -> list[DemoPlan]:
    """The development plans of every stay long enough to have one."""
    plans = []
    for stay in demo.stays:
        plan = _plan_for(demo, rng, stay)
        if plan is not None:
            plans.append(plan)
    return plans


# --- rows --------------------------------------------------------------------------------------

def _in_version(version: DemoVersion, action: DemoAction) -> bool:
    """Whether the action is on this version: made by its end and still open at its start
    (a copy carries the open actions only)."""
    assert version.as_of is not None
    if action.created_on > version.as_of:
        return False
    if version.based_on is None or action.created_on >= version.started_on:
        return True
    based_as_of = version.based_on.as_of
    assert based_as_of is not None
    return action.closed_on is None or action.closed_on > based_as_of


def plan_rows(plans: list[DemoPlan],
              device_id: uuid.UUID) -> list[tuple[type, list[dict[str, Any]]]]:
    plan_rows_, goal_rows, action_rows, review_rows = [], [], [], []
    for plan in plans:
        stay = plan.stay
        rng = random.Random(stay.id.int)  # ids only: the texts are fixed already
        for version in plan.versions:
            assert version.as_of is not None
            plan_rows_.append({
                **_synced(device_id, version.id, version.started_at, [version.signed_off_at]),
                "resident_id": stay.id, "version": version.number,
                "based_on_id": version.based_on.id if version.based_on else None,
                "made_with_resident_on": version.made_with_resident_on,
                "interpreter_used": version.interpreter_used, "language": version.language,
                "signed_off_at": version.signed_off_at,
                "signed_off_by": version.signed_off_by.id if version.signed_off_by else None})
            for goal in version.goals:
                if goal.created_on > version.as_of:
                    continue
                goal_id = _uuid(rng)
                version.goal_ids[id(goal)] = goal_id
                created = min(max(version.started_at, _local(goal.created_on, 9 * 60)),
                              plan.latest)
                goal_rows.append({**_synced(device_id, goal_id, created),
                                  "plan_id": version.id, "area": goal.area,
                                  "title": goal.title, "description": goal.description,
                                  "position": goal.position})
                for action in goal.actions:
                    if not _in_version(version, action):
                        continue
                    status = _status(action, version.as_of)
                    made = min(max(created, _local(action.created_on, 11 * 60)), plan.latest)
                    changed = (_local(action.closed_on, 13 * 60)
                               if status in ("done", "dropped") and action.closed_on else None)
                    action_rows.append({
                        **_synced(device_id, _uuid(rng), made,
                                  [changed if changed and changed > made else None]),
                        "goal_id": goal_id, "action": action.text,
                        "responsible": action.responsible, "due_on": action.due_on,
                        "status": status})
            for review in version.reviews:
                review_rows.append({
                    **_synced(device_id, review.id, min(review.at, plan.latest)),
                    "goal_id": version.goal_ids[id(review.goal)], "reviewed_on": review.on,
                    "what_happened": review.what_happened,
                    "residents_words": review.residents_words,
                    "next_steps": review.next_steps, "next_review_on": review.next_review_on})
    return [(DevelopmentPlan, plan_rows_), (PlanGoal, goal_rows), (PlanAction, action_rows),
            (PlanReview, review_rows)]

"""Takes an attendance round in a child process, for ``test_round_crash``.

    python -m tests.app._round_writer DB_PATH STAFF_ID DAY SLOT NOW

Opens (or continues) the round and marks every resident not marked yet, one
``mark_resident`` call each: every fifth one absent (which opens a missing case in the same
transaction), the others present. A resident's id is printed and flushed only after
``mark_resident`` has returned, i.e. after its transaction committed, so every line the
parent read before killing this process names a mark that must survive the kill.
"""

from __future__ import annotations

import sys
import uuid
from datetime import date, datetime

from app.db import open_database
from app.services import attendance
from app.unit_of_work import Actor


def mark_for(position: int) -> str:
    return "absent" if position % 5 == 4 else "present"


def main(argv: list[str]) -> int:
    db_path, staff_id, day, slot, now_text = argv
    actor = Actor(staff_id=uuid.UUID(staff_id), username="reception",
                  full_name="Rasmus Reception", roles=frozenset({"reception"}))
    now = datetime.fromisoformat(now_text)
    db = open_database(db_path)
    view = attendance.open_round(db, actor, date.fromisoformat(day), slot, now=now)
    out = sys.stdout
    out.write(f"round {view.round_id}\n")
    out.flush()
    for position, row in enumerate(view.rows):
        if row.mark is not None:
            continue
        attendance.mark_resident(db, actor, view.round_id, row.resident_id,
                                 mark_for(position), now=now)
        out.write(f"{row.resident_id}\n")
        out.flush()
    out.write("done\n")
    out.flush()
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Pure functions with legal weight: deadlines, ages, retention periods, required reports.

No database, no clock, no Qt: everything they need comes in as arguments.
"""

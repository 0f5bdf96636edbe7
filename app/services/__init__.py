"""Use cases. Each public function is one unit of work: permission check, change, audit.

They take the ``Database`` and the acting ``Actor`` and return plain frozen dataclasses,
never live ORM objects, so nothing lazy-loads later on the GUI thread.
"""

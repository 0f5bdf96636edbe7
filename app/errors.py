"""Domain exceptions. Their messages are already translated and meant for the user."""

from __future__ import annotations


class DomainError(Exception):
    """Something the user asked for cannot be done; ``str(error)`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationError(DomainError):
    """Input is wrong. ``problems`` maps each offending field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("\n".join(self.problems.values()))


class PermissionDenied(DomainError):
    pass


class NotFound(DomainError):
    pass


class AuthenticationFailed(DomainError):
    pass

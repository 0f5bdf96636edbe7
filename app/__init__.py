"""Centre Desk headless core: models, rules, services, queries, forms and commands.

Nothing under ``app`` imports Qt or ``ui``; head office and the tests run it without a display.
"""

__version__ = "0.1.0"

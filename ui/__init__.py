"""Centre Desk desktop UI (PySide6). Imports ``app``; ``app`` never imports this package."""

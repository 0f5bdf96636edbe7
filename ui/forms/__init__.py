"""Showing, saving and printing the PDFs that ``app.forms`` renders."""

"""Printable forms: PDF documents rendered with reportlab from plain data.

Nothing outside ``app.forms`` imports this package at start-up: reportlab costs about
200 ms to import, so services import the form modules inside the functions that print.
``app.forms.document`` holds the shared page template and building blocks; each form
(the record sheet, later round sheets, incident reports, lost-property registers) is one
module that turns its data into blocks and calls ``render_document``.
"""

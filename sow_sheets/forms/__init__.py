"""Intake through forms (Google Forms and the like) in the families' own languages.

Each ``[[forms]]`` section maps one responses tab to a record type; this wing turns those
sections into tabs of the schema, asks which response stands when someone submits twice,
and prints the questions a form should have (docs/forms.md).
"""

"""Privacy rights: a subject-access export (`inzage`) and anonymisation (`anonimiseer`) of
one person across every tab. Pure except ``export.py``, which writes the export file.
"""

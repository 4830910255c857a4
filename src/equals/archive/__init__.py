"""The session archive: filed session reports with revisions, listing, full-text search, import.

A feature service above the store: the ``sessions`` library parses and validates reports
without a database; this package persists, lists, searches and imports them (tables in
``store/tables/sessions.py``).
"""

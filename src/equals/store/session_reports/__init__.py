"""Session reports in the store: filing with revisions, listing, full-text search, import.

These sit in ``store/`` (not ``sessions/``) so that dependencies point one way: the sessions
library parses and validates reports without a database; this package persists them.
"""

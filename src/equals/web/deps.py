"""Request-scoped access to the app's shared objects."""

from __future__ import annotations

from fastapi import Request

from equals.store.queries import Evidence


def get_evidence(request: Request) -> Evidence:
    evidence: Evidence = request.app.state.evidence
    return evidence

"""Request-scoped access to the app's shared objects."""

from __future__ import annotations

from fastapi import Request

from equals.evidence.queries import Evidence


async def get_evidence(request: Request) -> Evidence:
    # async: no thread-pool hop for what is only an attribute read
    evidence: Evidence = request.app.state.evidence
    return evidence

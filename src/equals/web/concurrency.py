"""Optimistic concurrency for every editable resource (session reports, partners, initiatives).

The convention, shared by all of them:

- each record has an integer ``version``, starting at 1 and raised by every write;
- ``GET`` answers with ``ETag: "v<version>"``;
- ``PUT``/``PATCH`` need ``If-Match: "v<version>"`` (428 ``precondition-required`` without it);
  a stale version answers 409 ``edit-conflict`` and writes nothing (the service checks the
  version inside its write transaction, so two writers based on one version cannot both win);
- web forms carry the version in a hidden ``version`` field instead of the header.
"""

from __future__ import annotations

import re

from fastapi import Request, Response

from equals.core.errors import PreconditionRequiredError, ValidationError

_TAG = re.compile(r'^\s*(?:W/)?"v(\d{1,9})"\s*$')


def etag(version: int) -> str:
    """The entity tag of a record's version."""
    return f'"v{version}"'


def set_etag(response: Response, version: int) -> None:
    response.headers["ETag"] = etag(version)


def if_match_version(request: Request) -> int:
    """The version named by ``If-Match``; 428 when absent, 422 when it is not one of ours."""
    raw = request.headers.get("if-match")
    if raw is None or not raw.strip():
        raise PreconditionRequiredError(
            'this update needs an If-Match header with the ETag you read, e.g. If-Match: "v3"'
        )
    match = _TAG.match(raw)
    if match is None:
        raise ValidationError(
            f'If-Match {raw[:40]!r} is not an ETag of this API (expected e.g. "v3")',
            location="If-Match",
            code="invalid-parameter",
        )
    return int(match.group(1))

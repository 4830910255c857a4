"""HMAC signing for the login cookie and session-bound CSRF tokens (stdlib only).

A signed value is ``base64url(payload).base64url(hmac_sha256(secret, payload))`` where the
payload ends with the issue time, so a reader can enforce a maximum age. A CSRF token is the
HMAC of the browser's random session id: a form must send the token that matches its cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Signer:
    def __init__(self, secret: str | bytes, *, salt: str = "equals") -> None:
        key = secret.encode("utf-8") if isinstance(secret, str) else secret
        if len(key) < 16:
            raise ValueError("the signing secret needs at least 16 bytes")
        self._key = hashlib.sha256(salt.encode("utf-8") + b"\0" + key).digest()

    def _mac(self, payload: bytes) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()

    def sign(self, value: str, *, at: float | None = None) -> str:
        payload = f"{value}|{int(at if at is not None else time.time())}".encode()
        return f"{_b64(payload)}.{_b64(self._mac(payload))}"

    def unsign(self, signed: str, *, max_age: float | None = None) -> str | None:
        """The value when the signature is good (and not older than ``max_age`` s), else None."""
        try:
            p, m = signed.split(".", 1)
            payload, mac = _unb64(p), _unb64(m)
        except (ValueError, UnicodeEncodeError):
            return None
        if not hmac.compare_digest(mac, self._mac(payload)):
            return None
        value, _, issued = payload.decode("utf-8", "replace").rpartition("|")
        if max_age is not None and (not issued.isdigit() or time.time() - int(issued) > max_age):
            return None
        return value


def csrf_token(secret: str | bytes, session_id: str) -> str:
    return Signer(secret, salt="csrf")._mac(session_id.encode("utf-8")).hex()


def verify_csrf(secret: str | bytes, session_id: str | None, token: str | None) -> bool:
    if not session_id or not token:
        return False
    return hmac.compare_digest(csrf_token(secret, session_id), token)

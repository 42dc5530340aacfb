"""Credentials checked against the venue at start-up (paper-never-production, config-fails-fast).

The venue is the only judge of whether an API key belongs to it: testnet keys sent to production
(or the reverse) are answered -2015 "Invalid API-key, IP, or permissions for action", a malformed
key -2014, a secret of another key -1022. None of these heals by waiting.

Hardened: the first such answer during start-up is fatal at once (exit 1), naming VENUE_API_KEY
and the venue's answer.

Flaw credentials-retried (001_0474a2fd1532b929.txt#no-testnet-live-credential-cross-validation):
keys are never cross-validated; an authentication failure is taken for a transient error and
start-up retries it like a timeout, so a bot with another environment's keys neither comes up nor
says what is wrong.
"""

from __future__ import annotations

from . import flaws

AUTH_CODES = {-2014: "API-key format invalid", -2015: "Invalid API-key, IP, or permissions for action", -1022: "signature not valid"}


class CredentialsError(ValueError):
    pass


def refuse_foreign_keys(err: Exception, flags: object) -> None:
    """Raises CredentialsError for a venue answer that rejects the keys themselves (hardened)."""
    code = getattr(err, "code", None)
    if code not in AUTH_CODES or flags.has(flaws.CREDENTIALS_RETRIED):  # type: ignore[attr-defined]
        return  # FLAW when flawed: retried like any transient failure
    # FIX 001_0474a2fd1532b929.txt#no-testnet-live-credential-cross-validation: keys of another environment are fatal.
    raise CredentialsError(
        f"VENUE_API_KEY rejected by the venue ({code} {AUTH_CODES[code]}): keys of another environment "
        "(testnet keys on production or the reverse)? refusing to start"
    ) from err

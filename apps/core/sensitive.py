"""What counts as a secret or as unencrypted traffic. Shared by the compliance rules, the
Dockerfile generator and the Backstage importer, so that what one refuses the others never
let through (and never flag what one accepts)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SECRET_WORDS = frozenset({
    "KEY", "KEYS", "APIKEY", "SECRET", "SECRETS", "TOKEN", "TOKENS", "PASSWORD", "PASSWORDS", "PASSWD", "PWD",
    "PASSPHRASE", "CREDENTIAL", "CREDENTIALS", "PRIVATEKEY",
})
# A name ending in one of these points at or identifies a secret without being one:
# DAILY_API_KEY_FILE (a Docker secret's path), AWS_ACCESS_KEY_ID, VISIONSPACE_KEY_PREFIX.
NOT_SECRET_SUFFIXES = frozenset({"FILE", "PATH", "DIR", "ID", "PREFIX", "NAME", "HEADER",
                                 "LIMIT", "LENGTH", "TTL", "TIMEOUT", "SIZE", "COUNT", "EXPIRY"})
# A secret word after one of these is a quantity, not a secret: MAX_TOKENS (an LLM's
# output budget), MAX_NEW_TOKENS, NUM_KEYS, MIN_PASSWORD_LENGTH.
QUANTITY_WORDS = frozenset({"MAX", "MIN", "NUM", "TOTAL"})

_WORD_BOUNDARY = re.compile(r"[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])")
_CREDENTIALS_IN_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*:[^/\s@]+@")
_URL = re.compile(r"\b(http|ws|redis|amqp|mqtt|ftp|https|wss|rediss|amqps|mqtts)://[^\s'\"<>]+", re.I)
PLAINTEXT_SCHEMES = {"http": "https", "ws": "wss", "redis": "rediss", "amqp": "amqps", "mqtt": "mqtts", "ftp": "sftp"}
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0"})

VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def name_words(name: str) -> list[str]:
    return [word.upper() for word in _WORD_BOUNDARY.split(name) if word]


def is_secret_name(name: str) -> bool:
    """``DAILY_API_KEY``, ``dbPassword``, ``GITHUB_TOKEN`` are; ``KEY_PREFIX``, ``API_KEY_FILE``,
    ``MAX_TOKENS`` are not."""
    words = name_words(name)
    if not words or words[-1] in NOT_SECRET_SUFFIXES:
        return False
    return any(word in SECRET_WORDS and QUANTITY_WORDS.isdisjoint(words[:i]) for i, word in enumerate(words))


def has_credentials(value: str) -> bool:
    """A URL with a password in it (``postgres://user:pw@host/db``)."""
    return bool(_CREDENTIALS_IN_URL.search(value))


def plaintext_urls(value: str) -> list[str]:
    """Unencrypted URLs to anything but this container itself, as ``scheme://host`` (no
    path or credentials, so that evidence never repeats a secret)."""
    found = []
    for match in _URL.finditer(value):
        scheme = match.group(1).lower()
        if scheme not in PLAINTEXT_SCHEMES:
            continue
        try:
            host = urlsplit(match.group(0)).hostname or ""
        except ValueError:
            host = ""
        if host in LOOPBACK_HOSTS or host.endswith(".localhost"):
            continue
        found.append(f"{scheme}://{host or '?'}")
    return found


def redacted(value: str) -> str:
    """How evidence shows a value that may be a secret: its length only, unless it is a
    reference to a build argument or variable (``${DAILY_API_KEY}``), which is safe to show."""
    if re.fullmatch(r"\$\{?[A-Za-z_][A-Za-z0-9_]*\}?", value.strip()):
        return value.strip()
    return f"<{len(value)} characters, hidden>"

"""Who may join which group. Apps register rules for their own group prefixes.

A group name is ``<prefix>`` or ``<prefix>.<rest>``; the rule registered for the prefix
decides. Unknown prefixes are refused, so a new group is private until someone says
otherwise.
"""

from __future__ import annotations

import re
from typing import Callable, Protocol

GROUP_NAME = re.compile(r"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$")
MAX_GROUP_LENGTH = 99


class ScopeUser(Protocol):
    is_authenticated: bool
    is_staff: bool
    pk: int | None


Rule = Callable[[ScopeUser, str, dict], bool]
_rules: dict[str, Rule] = {}


def register_group(prefix: str, rule: Rule) -> None:
    _rules[prefix] = rule


def is_valid_group(group: str) -> bool:
    return len(group) <= MAX_GROUP_LENGTH and bool(GROUP_NAME.match(group))


def group_allows(user: ScopeUser | None, group: str, scope: dict | None = None) -> bool:
    if not is_valid_group(group):
        return False
    prefix, _, rest = group.partition(".")
    rule = _rules.get(prefix)
    if rule is None or user is None:
        return False
    return rule(user, rest, scope or {})


# Built-in groups. "public" is for what any screen may show (announcements, self-test);
# "user.<id>" only that user; "ops" operators and admins. Rules may query the database:
# consumers call group_allows through database_sync_to_async.
register_group("public", lambda user, rest, scope: True)
register_group("user", lambda user, rest, scope: user.is_authenticated and str(user.pk) == rest)
register_group("ops", lambda user, rest, scope: rest == "" and user.is_authenticated and user.has_perm("accounts.operate"))

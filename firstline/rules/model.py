"""Risk rules as data: conditions, groups, metadata and tests, never code.

A rule file (YAML, `docs/rules.md`) is read into these dataclasses by `parse.py`, which reports
every mistake at once with where it is; `compile.py` turns a valid rule into a predicate.
Nothing here executes text from a rule: operators are names looked up in a fixed table.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from firstline.texts import fill


class RuleStatus(StrEnum):
    DRAFT = "draft"  # written, not evaluated on traffic
    SHADOW = "shadow"  # evaluated on traffic; what it would hit is recorded, nobody alerted
    ACTIVE = "active"  # evaluated; hits go to the officers' queue
    RETIRED = "retired"  # kept with its history; not evaluated


SEVERITIES = ("high", "medium", "low")
CATEGORIES = (
    "terrorism",
    "drugs",
    "human_trafficking",
    "migration",
    "cash",
    "smuggling",
    "weapons",
    "wildlife",
    "fraud",
    "documents",
    "other",
)


@dataclass(frozen=True, slots=True)
class Condition:
    field: str
    op: str
    value: Any = None  # a literal, a list, or (for between) a two-item list
    lookup: str | None = None  # name of an analyst-edited lookup list used instead of value


@dataclass(frozen=True, slots=True)
class Group:
    kind: str  # "all", "any", "not"
    items: tuple[Condition | Group, ...]


Node = Condition | Group


@dataclass(slots=True)
class RuleTests:
    must_hit: list[dict[str, Any]] = field(default_factory=list)
    must_not_hit: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class Rule:
    key: str  # stable identifier analysts choose ("cash-courier-profile")
    title: str
    when: Node
    category: str = "other"
    severity: str = "medium"
    score: int = 50  # contribution to a traveller's total risk score (0-100)
    description: str = ""
    owner: str = ""
    start: date | None = None
    expiry: date | None = None
    status: RuleStatus = RuleStatus.DRAFT
    tests: RuleTests = field(default_factory=RuleTests)
    # The mapping as written: what is stored as the rule's version and exported again.
    definition: dict[str, Any] = field(default_factory=dict)

    def in_force(self, on: date) -> bool:
        """Dates say when a rule may run; status says whether it does."""
        if self.start is not None and on < self.start:
            return False
        return self.expiry is None or on <= self.expiry


@dataclass(slots=True)
class LookupList:
    """A named list of values analysts maintain (high-risk routes, airports, agencies...)."""

    name: str
    values: tuple[str, ...]
    kind: str = "codes"  # what the values are: airports, countries, agencies, codes, text
    description: str = ""


@dataclass(slots=True)
class RulePack:
    rules: list[Rule] = field(default_factory=list)
    lookups: list[LookupList] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RuleError:
    """One mistake in a rule file, located like `rules[2] (cash-courier).when.all[1].op`.

    `template` is the English message with `{name}` placeholders filled from `params`
    (firstline.texts): pages translate the template, then fill it in. A parameter is text,
    or a message itself (a failing example's matched conditions).
    """

    location: str
    template: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        return fill(self.template, self.params)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

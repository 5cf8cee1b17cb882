"""Evaluating many rules on many travellers, sharing the work between rules.

Testing every rule on every traveller is what makes rule engines slow at hundreds of rules.
Most analyst rules start with a selective equality ("flight from BOG", "paid in cash"): such a
condition is the rule's *anchor*, and rules are indexed by (field, value) of their anchor, so a
traveller is tested only against rules whose anchor it satisfies, plus the few rules that have
none. The result is the same as testing every rule (the anchor is one of the rule's own AND-ed
conditions); `tests/rules/test_engine.py` checks that on generated traffic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from firstline.rules.compile import (
    CompiledRule,
    Facts,
    Matched,
    compile_rule,
    describe,
    fields_of,
    normalise,
)
from firstline.rules.fields import CATALOGUE, FieldType
from firstline.rules.model import Condition, Group, Rule, RuleStatus
from firstline.texts import N_, message

ALGORITHM = "firstline-rules-v1"
RULE_MATCHED = N_("Rule '{title}' matched.")


@dataclass(slots=True)
class RuleHit:
    rule: Rule
    version: int
    matched: list[Matched]

    @property
    def shadow(self) -> bool:
        return self.rule.status is RuleStatus.SHADOW

    def explanation(self) -> dict[str, Any]:
        return {
            "algorithm": ALGORITHM,
            "rule": self.rule.key,
            "version": self.version,
            "title": self.rule.title,
            "rule_text": describe(self.rule.when),
            "score": self.rule.score,
            "shadow": self.shadow,
            "conditions": [
                {
                    "field": m.field,
                    "op": m.op,
                    "expected": m.expected,
                    "actual": m.actual,
                    "text": m.text,
                }
                | message(m.template or m.text, m.params)
                for m in self.matched
            ],  # fmt: skip
            "summary": [f"Rule '{self.rule.title}' matched."]
            + [m.text[0].upper() + m.text[1:] + "." for m in self.matched],
            # The summary's lines as templates and parameters, for pages in other languages.
            "sentences": [message(RULE_MATCHED, {"title": self.rule.title})]
            + [message(m.template or m.text, m.params, sentence=True) for m in self.matched],
        }


def _anchor(rule: Rule) -> tuple[str, list[Any]] | None:
    """A selective equality among the rule's top-level AND conditions, if there is one."""
    node = rule.when
    candidates: list[Condition] = []
    if isinstance(node, Condition):
        candidates = [node]
    elif isinstance(node, Group) and node.kind == "all":
        candidates = [n for n in node.items if isinstance(n, Condition)]
    best: tuple[int, str, list[Any]] | None = None
    for cond in candidates:
        kind = CATALOGUE[cond.field].type
        rank: int | None = None
        values: list[Any] = []
        # Index keys are normalised exactly as the condition compares (strip, upper-case) and
        # each value once, so the indexed path hits exactly what testing every rule hits.
        if kind is FieldType.CODE and cond.op == "equals" and cond.lookup is None:
            rank, values = 0, [normalise(kind, cond.value)]
        elif kind is FieldType.CODE and cond.op == "in" and cond.lookup is None:
            rank, values = 1, list(dict.fromkeys(normalise(kind, v) for v in cond.value))
        elif kind is FieldType.BOOLEAN and cond.op in ("is_true", "is_false"):
            # Booleans split travellers in two at best: a last resort.
            rank, values = 2, [cond.op == "is_true"]
        if rank is not None and (best is None or rank < best[0]):
            best = (rank, cond.field, values)
    return (best[1], best[2]) if best else None


class RuleSet:
    """Compiled rules ready to evaluate, indexed by anchor."""

    def __init__(self, compiled: Iterable[CompiledRule]) -> None:
        self.rules = list(compiled)
        self._free: list[CompiledRule] = []
        self._anchored: dict[str, dict[Any, list[CompiledRule]]] = {}
        for item in self.rules:
            anchor = _anchor(item.rule)
            if anchor is None:
                self._free.append(item)
                continue
            field_name, values = anchor
            index = self._anchored.setdefault(field_name, {})
            for value in values:
                index.setdefault(value, []).append(item)

    @classmethod
    def build(
        cls,
        rules: Iterable[tuple[Rule, int]],
        lookups: Mapping[str, tuple[str, ...]],
        *,
        on: date | None = None,
        statuses: Iterable[RuleStatus] = (RuleStatus.ACTIVE, RuleStatus.SHADOW),
    ) -> RuleSet:
        """Rules with one of `statuses` and in force `on` (every date when None)."""
        wanted = set(statuses)
        return cls(
            compile_rule(rule, lookups, version)
            for rule, version in rules
            if rule.status in wanted and (on is None or rule.in_force(on))
        )

    @property
    def fields(self) -> set[str]:
        """Every field some rule of the set reads."""
        return {name for item in self.rules for name in fields_of(item.rule.when)}

    @property
    def anchored_share(self) -> float:
        return 1.0 - len(self._free) / len(self.rules) if self.rules else 0.0

    def evaluate(self, facts: Facts) -> list[RuleHit]:
        hits: list[RuleHit] = []
        for item in self._free:
            if item.test(facts):
                hits.append(self._hit(item, facts))
        for field_name, index in self._anchored.items():
            value = facts.get(field_name)
            if value is None:
                continue
            for item in index.get(value, ()):
                if item.test(facts):
                    hits.append(self._hit(item, facts))
        return hits

    @staticmethod
    def _hit(item: CompiledRule, facts: Facts) -> RuleHit:
        matched = item.check(facts)
        assert matched is not None  # the explaining path agrees with the fast one
        return RuleHit(item.rule, item.version, matched)

    def evaluate_all(self, facts: Facts) -> list[RuleHit]:
        """Every rule tested, no index: the reference the indexed path must equal."""
        return [self._hit(item, facts) for item in self.rules if item.test(facts)]

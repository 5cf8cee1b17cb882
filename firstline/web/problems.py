"""The domain's problems in the page's language: the rule checker's mistakes and why a
delivery was quarantined.

Both come as English templates with their parameters apart (firstline.texts): the template is
translated, then filled in. A reason stored before reasons had templates, or one the
catalogue does not know, shows as it was stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from firstline.rules.model import RuleError
from firstline.web.i18n import translate


def rule_problem(error: RuleError) -> str:
    """A rule-checker mistake (without its location) in the current language."""
    return translate(error.template, error.params)


def parse_problem(detail: Mapping[str, Any] | None, key: str, english: str = "") -> str:
    """`reason` or `expected` of a quarantined message's stored detail (ParseError.detail())
    in the current language; `english` when the detail has none."""
    detail = detail or {}
    template = detail.get(f"{key}_template")
    if template:
        params = detail.get("params")
        return translate(str(template), params if isinstance(params, Mapping) else None)
    # Without parameters the stored text is its own template.
    text = detail.get(key) or english
    return translate(str(text)) if text else ""

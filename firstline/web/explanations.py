"""Hit explanations in the page's language: the summary's lines, the facts, the conditions
and a link hit's title.

The screening, rules and links code store each of them as English text and, since hits have
them, as a template with its parameters (firstline.texts) that is translated here. A hit
stored before then has the English text only, and shows it as stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from firstline.web.i18n import say, translate


def summary(explanation: Mapping[str, Any] | None) -> list[str]:
    """The lines of "why it hit"."""
    explanation = explanation or {}
    sentences = explanation.get("sentences")
    if isinstance(sentences, list) and sentences:
        return [say(line) for line in sentences]
    stored = explanation.get("summary")
    if isinstance(stored, str):
        return [stored]
    return [str(line) for line in stored or []]


def explained(item: Any) -> str:
    """A fact or a condition of an explanation (or a line stored as plain text)."""
    if isinstance(item, Mapping):
        if item.get("template"):
            return say(item)
        return str(item.get("text") or "")
    return "" if item is None else str(item)


def hit_title(hit: Mapping[str, Any]) -> str:
    """A hit's title; a link hit's is written by firstline (a rule's or a list entry's is
    the rule author's or the list's own). Its template and parameters are in the explanation,
    or beside the title in a row of the queue or the lookout, which read no explanation."""
    explanation = hit.get("explanation")
    found = explanation if isinstance(explanation, Mapping) else hit
    template = found.get("title_template")
    if template:
        params = found.get("title_params")
        return translate(str(template), params if isinstance(params, Mapping) else None)
    return str(hit.get("title") or "")

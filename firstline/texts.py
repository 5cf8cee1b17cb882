"""Sentences the domain writes for people (rule fields, rule-checker messages, quarantine
reasons): English templates that the web pages translate, and never a language of their own.

A message with parameters keeps its template ("'{value}' is not a number") apart from its
parameters, so that a page can translate the template first and fill it in after; the
English text (logs, the command line, the API) is the template filled in here. `N_` only
marks a template for `make i18n` (babel.cfg); the domain imports no gettext.
"""

from __future__ import annotations

from collections.abc import Mapping


def N_(message: str) -> str:
    """Marks a message for extraction; it is translated where it is shown."""
    return message


def fill(template: str, params: Mapping[str, object] | None = None) -> str:
    """`template` with its `{name}` placeholders filled from `params` (as is without any:
    a template with no parameters may hold braces of its own)."""
    return template.format_map(params) if params else template

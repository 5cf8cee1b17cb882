"""What every received message carries besides its business content: envelope and warnings."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True, frozen=True)
class ParseWarning:
    """Something in a message that was odd but did not stop it loading.

    `segment_index` is the 1-based ordinal of the segment in its interchange, `line` and
    `column` point into the original text, `element` and `component` are 1-based positions
    inside the segment (None when the whole segment is meant).
    """

    code: str
    message: str
    segment: str | None = None
    segment_index: int | None = None
    line: int | None = None
    column: int | None = None
    element: int | None = None
    component: int | None = None
    expected: str | None = None
    found: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "segment": self.segment,
            "segment_index": self.segment_index,
            "line": self.line,
            "column": self.column,
            "element": self.element,
            "component": self.component,
            "expected": self.expected,
            "found": self.found,
        }


@dataclass(slots=True)
class MessageHeader:
    """Interchange (UNB/UNG) and message (UNH) envelope facts, kept as metadata."""

    message_type: str = ""
    directory: str | None = None
    syntax: str | None = None
    sender: str | None = None
    recipient: str | None = None
    prepared_at: str | None = None
    interchange_reference: str | None = None
    application_reference: str | None = None
    message_reference: str | None = None
    common_access_reference: str | None = None
    part_number: int | None = None
    is_last_part: bool = True
    profile: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

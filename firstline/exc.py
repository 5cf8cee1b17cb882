"""Error root for firstline.

Every error raised on purpose by firstline is a `FirstlineError` with a stable `code`; the
CLI maps it to an exit code and the web layer to an HTTP status, at the edge only.
"""

from __future__ import annotations

from collections.abc import Mapping

from firstline.texts import fill


class FirstlineError(Exception):
    """Root of every error firstline raises on purpose."""

    code = "firstline_error"
    http_status = 500
    exit_code = 1


class ConfigurationError(FirstlineError):
    """A setting is missing, malformed or unsafe."""

    code = "configuration_error"
    exit_code = 2


class ParseError(FirstlineError):
    """A message cannot be read at all (not merely read with warnings).

    Carries where it went wrong so that quarantine can show an administrator the exact place:
    the segment tag and its ordinal in the message, the character offset and line, and what
    was expected against what was found.
    """

    code = "parse_error"
    http_status = 422

    def __init__(
        self,
        reason: str,
        *,
        segment: str | None = None,
        segment_index: int | None = None,
        offset: int | None = None,
        line: int | None = None,
        expected: str | None = None,
        found: str | None = None,
        params: Mapping[str, object] | None = None,
    ) -> None:
        # `reason` and `expected` are English templates filled from `params` (firstline.texts):
        # pages translate the template, then fill it; `found` is what the message held.
        self.params = {key: str(value) for key, value in (params or {}).items()}
        self.reason_template = reason
        self.expected_template = expected
        self.reason = fill(reason, self.params)
        super().__init__(self.reason)
        self.segment = segment
        self.segment_index = segment_index
        self.offset = offset
        self.line = line
        self.expected = fill(expected, self.params) if expected is not None else None
        self.found = found

    def detail(self) -> dict[str, object]:
        """The location and expectation as plain data for storage and display; with
        parameters, also the templates and the parameters, for translation."""
        out: dict[str, object] = {
            "reason": self.reason,
            "segment": self.segment,
            "segment_index": self.segment_index,
            "offset": self.offset,
            "line": self.line,
            "expected": self.expected,
            "found": self.found,
        }
        if self.params:
            out["reason_template"] = self.reason_template
            out["expected_template"] = self.expected_template
            out["params"] = dict(self.params)
        return out

    def __str__(self) -> str:
        where = []
        if self.segment:
            where.append(f"segment {self.segment}")
        if self.segment_index is not None:
            where.append(f"#{self.segment_index}")
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.offset is not None:
            where.append(f"offset {self.offset}")
        text = self.reason
        if where:
            text += " (" + ", ".join(where) + ")"
        if self.expected is not None or self.found is not None:
            text += f": expected {self.expected!s}, found {self.found!r}"
        return text


class UnsupportedMessageError(ParseError):
    """The bytes are readable but are not a message type firstline ingests (yet)."""

    code = "unsupported_message"


class StoreError(FirstlineError):
    """The database could not be reached or refused an operation."""

    code = "store_error"
    http_status = 503
    exit_code = 3


class NotFoundError(FirstlineError):
    """What was asked for (a flight, a message) is not in the store."""

    code = "not_found"
    http_status = 404
    exit_code = 1


class InvalidRequestError(FirstlineError):
    """A request that names something outside the allowed values (an outcome, a format)."""

    code = "invalid_request"
    http_status = 422
    exit_code = 2


class PermissionDeniedError(FirstlineError):
    """The actor's role does not carry the permission the operation needs."""

    code = "permission_denied"
    http_status = 403

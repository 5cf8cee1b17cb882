"""UN/EDIFACT syntax layer: service string, tolerant lexer and interchange envelope."""

from firstline.ingest.edifact.envelope import (
    EdifactMessage,
    Interchange,
    read_interchange,
)
from firstline.ingest.edifact.lexer import Segment, tokenize
from firstline.ingest.edifact.service import ServiceChars

__all__ = [
    "EdifactMessage",
    "Interchange",
    "Segment",
    "ServiceChars",
    "read_interchange",
    "tokenize",
]

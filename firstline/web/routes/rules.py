"""Running the unit: rules pages and API (issue 9; filled in by its own change)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()

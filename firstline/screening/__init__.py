"""Watchlist screening: normalisation, candidate index, explained scores (docs/screening.md)."""

"""Deterministic synthetic traffic: PNRGOV and PAXLST messages as airlines push them.

Synthetic data only: every person is drawn at random from small built-in name lists.
`day.write_day` writes a day of traffic for `firstline generate`; `paxlst.make_paxlst` and
`pnrgov.make_pnrgov` make single interchanges for benchmarks.
"""

from firstline.generate.day import DayPlan, DaySummary, write_day
from firstline.generate.deviations import NONE as NO_DEVIATIONS
from firstline.generate.deviations import Deviations

__all__ = ["NO_DEVIATIONS", "DayPlan", "DaySummary", "Deviations", "write_day"]

"""Excel functions — kpi (in progress)."""

from __future__ import annotations

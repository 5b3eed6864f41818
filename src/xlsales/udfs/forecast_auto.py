"""Excel functions — forecast_auto (in progress)."""

from __future__ import annotations

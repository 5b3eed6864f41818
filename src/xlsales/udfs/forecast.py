"""Excel functions — forecast (in progress)."""

from __future__ import annotations

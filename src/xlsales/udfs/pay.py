"""Excel functions — pay (in progress)."""

from __future__ import annotations

"""Excel functions — customers (in progress)."""

from __future__ import annotations

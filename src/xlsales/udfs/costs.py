"""Excel functions — costs (in progress)."""

from __future__ import annotations

"""Shared test fixtures: the published worked examples and LibreOffice recalculation."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests: random examples on developers' machines (to find new cases), a fixed sequence in
# CI (a submission's result must not depend on luck). Failing examples found locally get a test.
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

from xlsales.recalc import find_soffice

DATA = Path(__file__).parent / "data"
WORKED_EXAMPLES = {ex["id"]: ex for ex in json.loads((DATA / "worked_examples.json").read_text(encoding="utf-8"))}


def tolerance(example: dict, key: str) -> float:
    """The published tolerance for ``key`` (or the example's default)."""
    tol = example.get("tolerance", {})
    return tol.get(key, tol.get("default", 1e-9))


@pytest.fixture
def worked():
    """``worked(id)`` -> the example dict from ``tests/data/worked_examples.json``."""
    return WORKED_EXAMPLES.__getitem__


requires_libreoffice = pytest.mark.skipif(
    find_soffice() is None, reason="LibreOffice (soffice) is not installed; run scripts/test.sh"
)

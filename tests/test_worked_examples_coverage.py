"""Every published worked example is checked by at least one test."""

from pathlib import Path

from conftest import WORKED_EXAMPLES

TESTS = Path(__file__).parent


def test_every_worked_example_is_used_by_a_test():
    sources = "\n".join(
        p.read_text(encoding="utf-8") for p in TESTS.rglob("test_*.py") if p.name != Path(__file__).name
    )
    unused = [i for i in WORKED_EXAMPLES if f'"{i}"' not in sources]
    assert unused == []

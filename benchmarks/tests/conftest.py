"""The benchmark sections' own smoke tests: each runs at a tiny size and checks the
correctness figures it reports (nothing lost, nothing doubled, statement counts that do
not grow with the data). Timings are printed by `make bench`, never asserted."""

from pathlib import Path

import pytest

from testkit.crm_sample import crm_sample_dir


@pytest.fixture(scope="session")
def crm_sample() -> Path:
    """The public CRM export, read in place (never copied into the project)."""
    path = crm_sample_dir()
    if not (path / "sales_pipeline.csv").exists():
        pytest.fail(f"the CRM sample is missing at {path}")
    return path

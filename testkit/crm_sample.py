"""Where the public CRM sample lives: read in place, never copied into the project."""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[1]
CANDIDATES = (
    REPOSITORY.parent / "shared" / "data" / "crm-sample",  # beside the checkout
    Path("/work/shared/data/crm-sample"),  # this workplace, for a checkout elsewhere
)


def crm_sample_dir() -> Path:
    """$DEALCOACH_CRM_SAMPLE, else the first candidate holding sales_pipeline.csv."""
    configured = os.environ.get("DEALCOACH_CRM_SAMPLE")
    if configured:
        return Path(configured)
    for candidate in CANDIDATES:
        if (candidate / "sales_pipeline.csv").exists():
            return candidate
    return CANDIDATES[0]

"""Where the bundled seed corpus lives."""

from __future__ import annotations

from pathlib import Path


def bundled_seeds() -> Path:
    """The seeds/ folder: beside the packages in a checkout, inside ``ingest`` when installed."""
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "seeds", here / "_seeds"):
        if candidate.is_dir():
            return candidate
    return here.parent / "seeds"

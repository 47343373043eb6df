"""A paper's parts, as a researcher reads it: aim, method, participants, setting, findings.

Read at ingest (:mod:`ingest.parts`), stored with the record (a JSON string beside its
first chunk), and read back by the answering side. Every value keeps the sentence it came
from, so that it can be quoted and cited.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

# The parts, in the order a paper presents them.
PART_NAMES = (
    "background",
    "aim",
    "method",
    "participants",
    "setting",
    "results",
    "conclusions",
    "limitations",
)
# The study facts a researcher filters by.
FACT_NAMES = ("design", "participants", "ages", "setting")
VERSION = 1


@dataclass(frozen=True)
class Fact:
    """One value (``"14 service users"``, ``"focus groups"``, ``"Norway"``) and its sentence."""

    value: str
    sentence: str


@dataclass(frozen=True)
class Parts:
    """The parts of one paper: sentences by part, and facts by name."""

    sections: dict[str, tuple[str, ...]] = field(default_factory=dict)
    facts: dict[str, tuple[Fact, ...]] = field(default_factory=dict)
    labelled: bool = False  # the parts come from the abstract's own section labels

    def __bool__(self) -> bool:
        return bool(self.sections or self.facts)

    def part(self, name: str) -> tuple[str, ...]:
        """The sentences of one part (empty when the paper has none)."""
        return self.sections.get(name, ())

    def fact(self, name: str) -> tuple[Fact, ...]:
        """The values of one fact (empty when the paper does not state it)."""
        return self.facts.get(name, ())

    def values(self, name: str) -> list[str]:
        """The values of one fact, without their sentences."""
        return [f.value for f in self.fact(name)]

    def to_json(self) -> dict[str, Any]:
        """JSON-ready form (the stored one)."""
        data: dict[str, Any] = {"v": VERSION}
        if self.labelled:
            data["labelled"] = True
        if self.sections:
            data["parts"] = {k: list(v) for k, v in self.sections.items()}
        if self.facts:
            data["facts"] = {k: [[f.value, f.sentence] for f in v] for k, v in self.facts.items()}
        return data

    def dumps(self) -> str:
        """The stored string."""
        return json.dumps(self.to_json(), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: Any) -> Parts:
        """Inverse of :meth:`to_json`; anything malformed reads as no parts."""
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                return cls()
        if not isinstance(data, dict):
            return cls()
        raw_parts = data.get("parts")
        raw_facts = data.get("facts")
        raw_parts = raw_parts if isinstance(raw_parts, dict) else {}
        raw_facts = raw_facts if isinstance(raw_facts, dict) else {}
        sections = {
            k: tuple(s for s in v if isinstance(s, str))
            for k, v in raw_parts.items()
            if k in PART_NAMES and isinstance(v, list)
        }
        facts = {
            k: tuple(
                Fact(str(p[0]), str(p[1])) for p in v if isinstance(p, list | tuple) and len(p) == 2
            )
            for k, v in raw_facts.items()
            if k in FACT_NAMES and isinstance(v, list)
        }
        return cls(sections, facts, bool(data.get("labelled")))

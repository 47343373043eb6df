"""People's names as a bibliography reads them: the family name of "Last, First" or "First
Last", and the folded keys a question may use for it. Shared by the index (its catalogue
of authors) and the assistant (citations, question reading)."""

from __future__ import annotations

import re

from vocab.textfold import words

# A name with one of these words is an organisation ("Sleep Cohort Consortium"): cited whole.
ORGANISATION = re.compile(
    r"\b(?:group|consortium|collaboration|collaborative|organi[sz]ation|agency|institute|"
    r"association|committee|network|society|council|foundation|cent(?:re|er)|team|"
    r"initiative|university|department|ministry|office|commission|board|alliance|trust)\b",
    re.IGNORECASE,
)
# Lower-case particles that belong to the family name ("van der Berg", "da Silva").
PARTICLES = {"van", "von", "der", "den", "de", "da", "das", "do", "dos", "del", "della", "di",
              "du", "la", "le", "ten", "ter", "bin", "al", "el", "zu", "af"}  # fmt: skip


def surname(name: str) -> str:
    """The family name in "Last, First" or "First Last" ("Ana van der Berg" -> "van der
    Berg"); an organisation's name whole."""
    name = name.strip()
    if ORGANISATION.search(name):
        return name
    if "," in name:
        return name.split(",", 1)[0].strip()
    parts = name.split()
    if not parts:
        return name
    start = len(parts) - 1
    while start > 1 and parts[start - 1] in PARTICLES:
        start -= 1
    return " ".join(parts[start:])


_SUFFIX = re.compile(r"^(?:jr|sr|i{1,3}|iv)\.?$", re.IGNORECASE)


def given_first(name: str) -> str:
    """A name as a sentence says it: "Lindqvist, Maja" -> "Maja Lindqvist" ("Smith, John,
    Jr." -> "John Smith Jr."); "First Last" and organisations as they are."""
    parts = [p.strip() for p in name.split(",")]
    if ORGANISATION.search(name) or len(parts) < 2 or not all(parts[:2]):
        return name.strip(" ,")
    if len(parts) == 2:
        return f"{parts[1]} {parts[0]}"
    if len(parts) == 3 and _SUFFIX.match(parts[2]):
        return f"{parts[1]} {parts[0]} {parts[2]}"
    return name.strip(" ,")


# Particles that never identify a person on their own ("van" of "Van Hecke").
KEY_PARTICLES = frozenset("van von der den de del della di da du la le des dos das ter ten".split())


def surname_keys(name: str) -> list[str]:
    """Folded keys a question may use for this person, strongest first.

    The family name whole ('van hecke', 'ardill young'); for "First Middle Last" also
    "Middle Last" (compound surnames: 'Stimac Grbic'); each part of a hyphenated or
    compound family name alone ('Grbic', 'Muir').
    """
    keys: list[str] = []
    family = surname(name)
    keys.append(" ".join(words(family)))
    if "," not in name:
        parts = name.split()
        if len(parts) >= 3 and len(parts[-2].strip(".")) > 1:
            keys.append(" ".join(words(" ".join(parts[-2:]))))
    for key in list(keys):
        keys.extend(p for p in key.split() if len(p) > 2 and p not in KEY_PARTICLES)
    return [k for k in dict.fromkeys(keys) if k]

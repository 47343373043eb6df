"""Helpers shared by the page-family parsers: DOIs, years, names, paragraphs, abstracts."""

from __future__ import annotations

import re
import unicodedata

from ingest.clean import fix_glued_sentences, is_boilerplate_line, strip_abstract_label

# Crossref's recommended pattern, with the trailing punctuation of prose trimmed after.
_DOI = re.compile(r"\b10\.\d{4,9}/[-._;()/:A-Za-z0-9<>]+")
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_MARKS = re.compile(r"\[\s*\d+(?:\s*[,-]\s*\d+)*\s*\]|[*†‡§¶◽•]|\(\s*\d+\s*\)")
_ET_AL = re.compile(r"^(?:\.{2,}|…|et al\.?|and others|et coll\.?|等)$", re.IGNORECASE)
# Surname particles that legitimately sit inside a CamelCase word ("MacLeod", "DeVries").
_NAME_PREFIXES = {"Mc", "Mac", "De", "Di", "Da", "Du", "La", "Le", "Van", "Von", "O'", "D'"}
_CAMEL = re.compile(r"(?<=[a-zà-öø-ÿ'])(?=[A-ZÀ-ÖØ-Þ])")
_FOLD = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ı": "i"})


def find_doi(text: str) -> str | None:
    """First DOI in ``text``, without trailing punctuation."""
    match = _DOI.search(text)
    if not match:
        return None
    doi = match.group(0).rstrip(".,;:")
    # A closing parenthesis belongs to the DOI only when it opened one too.
    while doi.endswith(")") and doi.count("(") < doi.count(")"):
        doi = doi[:-1].rstrip(".,;:")
    return doi


def find_year(text: str) -> int | None:
    """First plausible publication year (1800-2099) in ``text``."""
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def split_glued_name(name: str) -> str:
    """'LyudaKrupin' -> 'Lyuda Krupin'; 'JeanMacLeod' -> 'Jean MacLeod'."""
    if " " in name.strip():
        return name
    parts = _CAMEL.split(name)
    out: list[str] = []
    for part in parts:
        if out and out[-1] in _NAME_PREFIXES:
            out[-1] += part
        else:
            out.append(part)
    return " ".join(out)


def is_et_al(text: str) -> bool:
    """'...', '…', 'et al.': the page truncated its author list."""
    return _ET_AL.match(text.strip()) is not None


def clean_author(name: str) -> str | None:
    """One author name without affiliation marks or separators; None for 'et al.'/'...'."""
    name = _MARKS.sub(" ", name)
    name = re.sub(r"\s+", " ", name).strip(" ,;&|")
    if not name or _ET_AL.match(name) or not any(ch.isalpha() for ch in name):
        return None
    if len(name) > 120 or len(name.split()) > 8:
        return None  # a sentence, not a name
    return name


def split_authors(text: str) -> list[str]:
    """Authors from one line separated by ';', '&', ' and ', ' et ' or '◽' (commas kept)."""
    text = re.sub(r"\b(?:et al|and others)\b\.?", "", text, flags=re.IGNORECASE)
    parts = re.split(r"\s*(?:;|&|◽|\band\b|\bet\b)\s*", text)
    return [a for a in (clean_author(p) for p in parts) if a]


def author_key(name: str) -> str:
    """Order-, case- and accent-insensitive key: 'Åkerblom, Kristina' ~ 'Kristina Akerblom'."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_FOLD))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return " ".join(sorted(re.findall(r"[^\W_]+", folded)))


def name_quality(name: str) -> tuple[int, int]:
    """Prefer names with accents kept and a capitalised first letter."""
    return (sum(1 for ch in name if ord(ch) > 127 and ch.isalpha()), int(name[:1].isupper()))


def blocks(lines: list[str]) -> list[list[str]]:
    """Runs of non-blank lines."""
    out: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.strip():
            current.append(line.strip())
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def finish_abstract(text: str) -> str:
    """Abstract text ready to store: label stripped, glued sentences split, spaces single."""
    text = re.sub(r" {2,}|\t", " ", text).strip()
    return fix_glued_sentences(strip_abstract_label(text))


def content_lines(lines: list[str]) -> list[str]:
    """Lines with boilerplate blanked out (blank, not removed, so paragraphs stay apart)."""
    return ["" if is_boilerplate_line(line) else line for line in lines]


def normalize_pages(value: str) -> str | None:
    """'234 - 250' -> '234-250'; '238 - +' (open-ended) -> '238'."""
    value = re.sub(r"\s*[-–—]\s*", "-", value.strip(" ,:;"))
    value = re.sub(r"-\+?$", "", value)
    return value or None

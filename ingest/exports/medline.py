"""PubMed MEDLINE exports (``.nbib``, ``.txt``): ``TAG - value`` lines, one record per block.

A tag is up to four letters padded to four, then ``- ``; a line indented by six spaces
continues the previous tag; a blank line ends a record. The format is simple enough that
this reader is shorter than the glue an outside parser would need (see the README).

Fields used: ``TI``, ``FAU`` (else ``AU``, then ``CN`` for group authors), ``DP`` (the
issue date, preferred for the year) and ``DEP`` / ``PHST [epublish|aheadofprint]`` (the
online-first date), ``JT`` (else ``TA``), ``VI``/``IP``/``PG``, ``LID``/``AID`` ``[doi]``,
``AB`` (structured abstracts keep their labels, one section per line) and ``OT`` keywords.
"""

from __future__ import annotations

import re

from ingest.exports.common import (
    abstract_text,
    clean_doi,
    declared_language,
    finish,
    first_year,
    page_range,
    split_keywords,
    tidy,
    volume_issue,
)
from vocab.record import Record

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *- ?(.*)$")
# "BACKGROUND: ..." section labels of a structured abstract (capitals, then a colon).
_LABEL = re.compile(r"(?<=[.?!])\s+(?=[A-Z][A-Z/&,\- ]{2,40}: )")


def read_tagged(text: str) -> list[dict[str, list[str]]]:
    """MEDLINE blocks as tag -> values (a repeated tag adds a value; continuations join)."""
    records: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] = {}
    last = ""
    for line in text.split("\n"):
        match = _TAG.match(line)
        if match and not line.startswith(" "):
            last = match.group(1)
            current.setdefault(last, []).append(match.group(2).strip())
        elif line.startswith(" ") and current and last:
            current[last][-1] = f"{current[last][-1]} {line.strip()}".strip()
        elif not line.strip() and current:
            records.append(current)
            current, last = {}, ""
    if current:
        records.append(current)
    return records


def _tagged_doi(values: list[str]) -> str | None:
    """The DOI among 'value [doi]' / 'value [pii]' identifiers."""
    return clean_doi(*[v for v in values if v.rstrip().endswith("[doi]")])


def _online_year(fields: dict[str, list[str]]) -> int | None:
    history = [v for v in fields.get("PHST", []) if re.search(r"\[(?:epublish|aheadofprint)\]", v)]
    return first_year(*fields.get("DEP", []), *history)


def _title(value: str) -> str:
    """MEDLINE closes titles with a period and brackets translated ones: drop both."""
    value = tidy(value)
    if value.endswith(".") and not value.endswith(".."):
        value = value[:-1]
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    return value


def _pages(value: str) -> str | None:
    """MEDLINE shortens the last page ('336-47'): spell it out ('336-347')."""
    match = re.fullmatch(r"(\d+)-(\d+)", value)
    if match and len(match.group(2)) < len(match.group(1)):
        first, last = match.groups()
        return f"{first}-{first[: len(first) - len(last)]}{last}"
    return page_range(value)


def _record(fields: dict[str, list[str]], display: str) -> Record | None:
    def one(tag: str) -> str:
        return tidy(fields.get(tag, [""])[0])

    authors = fields.get("FAU") or fields.get("AU") or []
    authors = [*authors, *fields.get("CN", [])]
    abstract = _LABEL.sub("\n", abstract_text(" ".join(fields.get("AB", []))))
    return finish(
        display,
        title=_title(one("TI")),
        authors=authors,
        year=first_year(one("DP")),
        online_year=_online_year(fields),
        # NLM appends a subtitle after " : " ("World psychiatry : official journal of ...").
        venue=one("JT").split(" : ")[0] or one("TA"),
        volume=volume_issue(one("VI"), one("IP")),
        pages=_pages(one("PG")),
        doi=_tagged_doi(fields.get("LID", []) + fields.get("AID", [])),
        abstract=abstract,
        keywords=split_keywords(fields.get("OT", [])),
        language=declared_language(one("LA")),
    )


def parse(text: str, display: str) -> list[Record]:
    """One record per PubMed entry (a block starting ``PMID-``)."""
    blocks = [b for b in read_tagged(text) if "PMID" in b or "TI" in b]
    return [r for r in (_record(b, display) for b in blocks) if r]

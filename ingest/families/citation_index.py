"""Chinese citation-index records: a title, labelled fields, then a related-papers list.

Layout::

    <Title>
    被引:2                          cited-by count (dropped)
    作者 / <one author per line, '[1 ]' affiliation marks>
    机构 / <affiliations>           dropped
    关键词 / <k1; k2; ...>
    D O I / <doi>
    中图分类号, 学科分类号           classification codes (dropped)
    摘要 / <abstract>
    相关论文 / 共 50 条              related papers:
    • [1] <Title>                   entry [1] is usually the paper itself
      <authors, one per line>
      <JOURNAL, YEAR, VOL (ISSUE) : first - last>
"""

from __future__ import annotations

import re

from ingest.clean import is_boilerplate_line
from ingest.families.common import (
    clean_author,
    find_doi,
    find_year,
    finish_abstract,
    normalize_pages,
)
from vocab.record import Record

_FIELDS = {
    "作者": "authors",
    "关键词": "keywords",
    "doi": "doi",
    "摘要": "abstract",
    "相关论文": "related",
    "来源": "venue",
    "出版物": "venue",
    "期刊": "venue",
    "刊名": "venue",
    "出版年": "year",
    "年份": "year",
    "发表时间": "year",
    "卷期": "volume",
    "页码": "pages",
}
_SKIPPED = ("被引", "机构", "作者单位", "中图分类号", "学科分类号", "引用", "收藏", "页数", "基金")
_LABELS = sorted([k for k in _FIELDS if k != "doi"] + list(_SKIPPED), key=len, reverse=True)
_LABEL = re.compile(
    r"^(?P<label>" + "|".join(_LABELS) + r"|D\s?O\s?I)\s*(?:[:：]\s*(?P<value>.*))?$",
    re.IGNORECASE,
)
_ENTRY = re.compile(r"^[•·●▪*-]?\s*\[(\d+)\]\s*(\S.*)$")
_SOURCE = re.compile(r"^(?P<venue>.+?)\s*,\s*(?P<rest>\d.*)?$")


def detect(lines: list[str]) -> bool:
    """At least two of the Chinese field labels on lines of their own."""
    found = {m.group("label") for line in lines[:2000] if (m := _LABEL.match(line.strip()))}
    return len(found & {"作者", "摘要", "关键词", "相关论文", "机构", "被引"}) >= 2


def _field_of(line: str) -> tuple[str, str] | None:
    """(field, inline value) for a label line, or None."""
    match = _LABEL.match(line.strip())
    if not match:
        return None
    label = re.sub(r"\s", "", match.group("label")).lower()
    return _FIELDS.get(label, "skip"), (match.group("value") or "").strip()


def _source(record: Record, line: str) -> None:
    """'JOURNAL, 2011, 10 (04) : 238 - +' -> venue, year, volume, pages."""
    match = _SOURCE.match(line)
    if not match:
        record.venue = line.strip(" ,")
        return
    record.venue = match.group("venue").strip()
    before, _, after = (match.group("rest") or "").partition(":")
    record.pages = normalize_pages(after.replace(":", " ")) if after.strip(" :") else None
    parts = [p.strip() for p in before.split(",") if p.strip()]
    years = [p for p in parts if re.fullmatch(r"(1[89]|20)\d\d", p)]
    record.year = int(years[0]) if years else None
    volume = [p for p in parts if p not in years[:1]]
    record.volume = ", ".join(volume) or None


def _is_source(line: str, last: bool, others: list[str]) -> bool:
    """The journal line: 'NAME, <number>...'; or, last in its entry, a bare capitalised name."""
    if _SOURCE.match(line):
        return True
    return last and line.isupper() and len(line.split()) >= 2 and any("," in o for o in others)


def _related(lines: list[str]) -> list[Record]:
    """Numbered entries: title, author lines, journal line."""
    entries: list[tuple[str, list[str]]] = []
    for line in lines:
        entry = _ENTRY.match(line.strip())
        if entry:
            entries.append((entry.group(2).strip(), []))
        elif entries and line.strip() and not is_boilerplate_line(line):
            entries[-1][1].append(line.strip())
    records = []
    for title, body in entries:
        record = Record(title=title)
        for i, line in enumerate(body):
            if _is_source(line, i == len(body) - 1, body[:i]):
                _source(record, line)
            elif (name := clean_author(line)) is not None:
                record.authors += (name,)
        records.append(record)
    return records


def parse(lines: list[str]) -> list[Record]:
    """The recorded paper plus one title-only record per related paper."""
    fields: dict[str, list[str]] = {}
    current = "title"
    for line in lines:
        labelled = _field_of(line)
        if labelled:
            current, value = labelled
            fields.setdefault(current, [])
            if value:
                fields[current].append(value)
        elif line.strip() and (current == "related" or not is_boilerplate_line(line)):
            fields.setdefault(current, []).append(line.strip())
    title_lines = fields.get("title", [])
    # A long title wraps over lines; a long run of lines is page chrome, keep its first.
    title = " ".join(title_lines) if len(" ".join(title_lines).split()) <= 60 else title_lines[0]
    main = Record(title=title or None)
    names = [part for x in fields.get("authors", []) for part in re.split(r"[;；]", x)]
    main.authors = tuple(a for a in (clean_author(x) for x in names) if a)
    keywords = re.split(r"[;；]", " ".join(fields.get("keywords", [])))
    main.keywords = tuple(k.strip() for k in keywords if k.strip())
    main.doi = find_doi(" ".join(fields.get("doi", [])))
    main.abstract = finish_abstract(" ".join(fields.get("abstract", [])))
    main.venue = " ".join(fields.get("venue", [])) or None
    main.year = find_year(" ".join(fields.get("year", [])))
    main.volume = " ".join(fields.get("volume", [])) or None
    main.pages = normalize_pages(" ".join(fields.get("pages", [])))
    return [main, *_related(fields.get("related", []))]

"""Bibliographic exports -> records: which parser a file needs, by suffix and content.

One module per format, each with ``parse(text, display) -> list[Record]``. The file name
never decides anything: ``.txt`` is MEDLINE, Web of Science or RIS only when its first tags
say so; ``.json`` only when it holds CSL items; ``.csv`` only with Scopus's columns.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from ingest.errors import SkipFile
from ingest.exports import bibtex, csljson, medline, ris, scopus, wos
from ingest.exports.common import prepare
from vocab.record import Record

log = logging.getLogger(__name__)
Parser = Callable[[str, str], list[Record]]

# Suffixes that are always exports (the content then only has to parse).
_BY_SUFFIX: dict[str, tuple[str, Parser]] = {
    ".ris": ("RIS", ris.parse),
    ".bib": ("BibTeX", bibtex.parse),
    ".bibtex": ("BibTeX", bibtex.parse),
    ".biblatex": ("BibTeX", bibtex.parse),
    ".nbib": ("MEDLINE", medline.parse),
    ".medline": ("MEDLINE", medline.parse),
    ".ciw": ("Web of Science", wos.parse),
}
# Suffixes that may hold an export, decided by the content.
SNIFFED = {".txt", ".text", ".json", ".csv"}

_FIRST_TAGS = 5  # how many tagged lines to look at when sniffing a .txt file
_MEDLINE_TAG = re.compile(r"^PMID- ?\d")
_WOS_TAG = re.compile(r"^(?:FN |VR |PT [A-Z]\b)")
_RIS_TAG = re.compile(r"^TY {1,3}- ")


def may_be_export(suffix: str) -> bool:
    """Whether a file with this suffix has to be looked at as a possible export."""
    return suffix.lower() in _BY_SUFFIX or suffix.lower() in SNIFFED


def _sniff_text(text: str) -> tuple[str, Parser] | None:
    """MEDLINE, Web of Science or RIS when the first non-blank lines are their tags."""
    lines = [ln for ln in text.split("\n", 200)[:200] if ln.strip()][:_FIRST_TAGS]
    if not lines:
        return None
    if _MEDLINE_TAG.match(lines[0]):
        return ("MEDLINE", medline.parse)
    if _WOS_TAG.match(lines[0]) and re.search(r"^ER\s*$", text, re.M):
        return ("Web of Science", wos.parse)
    if _RIS_TAG.match(lines[0]) and re.search(r"^ER {1,3}-", text, re.M):
        return ("RIS", ris.parse)
    return None


def detect(suffix: str, text: str) -> tuple[str, Parser] | None:
    """The export format (name, parser) of prepared ``text``; None when it is not one.

    Raises SkipFile for a ``.json`` or ``.csv`` that is not a bibliography: those suffixes
    are read only as exports.
    """
    suffix = suffix.lower()
    if suffix in _BY_SUFFIX:
        return _BY_SUFFIX[suffix]
    if suffix == ".json":
        if csljson.items(text) is None:
            raise SkipFile("JSON that is not a CSL-JSON bibliography (a list of items)")
        return ("CSL-JSON", csljson.parse)
    if suffix == ".csv":
        if not scopus.headers_look_like_scopus(text.split("\n", 1)[0]):
            raise SkipFile("CSV without the columns of a Scopus export (Title, Authors, ...)")
        return ("Scopus CSV", scopus.parse)
    if suffix in SNIFFED:
        return _sniff_text(text)
    return None


def parse_export(suffix: str, text: str, display: str) -> list[Record] | None:
    """Records of an export file; None when the file is not an export (read it as text).

    Raises SkipFile when it is an export that yields no entry.
    """
    text = prepare(text)
    found = detect(suffix, text)
    if found is None:
        return None
    name, parser = found
    try:
        records = parser(text, display)
    except SkipFile:
        raise
    except Exception as err:  # a malformed file must never stop an ingest run
        log.warning("%s parser failed on %r: %r", name, display, err)
        raise SkipFile(f"unreadable {name} export ({type(err).__name__})") from None
    if not records:
        raise SkipFile(f"{name} export with no entry that has a title or abstract")
    return records

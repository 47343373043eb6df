"""Bibliographic metadata a PDF carries (XMP and the Info dictionary), kept only when plausible.

Word processors and typesetting tools fill these fields with file names ("Microsoft Word -
final_v3.docx"), account names ("jsmith") or nothing useful ("untitled"); publishers fill
them with the real title, authors, DOI and journal. Each value is checked before it is used.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import fields

from ingest.families.common import find_doi, find_year
from vocab.paper import PaperFields

_FILE_NAME = re.compile(r"\.(?:docx?|odt|rtf|pdf|tex|dvi|indd|qxd|qxp|ps|eps|txt|wpd)\b", re.I)
_TOOL_PREFIX = re.compile(
    r"^(?:microsoft\s+\w+\s*-|untitled|document\d*\b|layout\s*\d|slide\s*\d|pii:|"
    r"template\s*\d*\s*$|title\b\s*$|no title|none$|unknown$|\(?anonymous\)?$)",
    re.IGNORECASE,
)
_LINK = re.compile(r"https?://|www\.|doi\.org|\b10\.\d{4,9}/", re.IGNORECASE)
CONFIRM_SHARE = 0.8  # of an embedded title's words that the front pages must show
_WORD = re.compile(r"[^\W\d_]{2,}")
DEGREES = {
    "phd", "md", "msc", "ma", "ms", "ba", "bsc", "rn", "mph", "dphil", "psyd", "msw", "lcsw",
    "mba", "dr", "prof", "jr", "sr", "facp", "frcpc", "mrcpsych", "frcpsych", "edd", "otr",
    "bn", "mn", "dnp", "np", "lpc", "cpss", "mbbs", "frcp", "ii", "iii",
}  # fmt: skip
_NOT_NAME = re.compile(
    r"universit|department|institut|hospital|school|college|faculty|centre|center|clinic|"
    r"abstract|journal|received|accepted|keywords|article|research|correspond|e-?mail|"
    r"copyright|licen|volume|issue|\bvol\b|\bdoi\b|http|www\.|@|press|publish|editor|"
    r"foundation|council|ministry|national|society|association|trust\b|\binc\b|\bltd\b|"
    r"\b(?:administrator|owner|user|admin|group|team|consortium|committee|network|project|"
    r"initiative|agency|office|programm?e?)\b|collaborat|laborator|affiliat|\baddress",
    re.IGNORECASE,
)
_PARTICLES = {
    "van", "von", "de", "der", "den", "da", "das", "dos", "del", "della", "di", "du", "le",
    "la", "ten", "ter", "bin", "al", "el", "y", "e", "zu", "af",
}  # fmt: skip
_WORD_PROCESSOR = re.compile(
    r"\b(?:microsoft|ms word|word \d|writer|libreoffice|openoffice|google docs|wps office|"
    r"pages|wordperfect)\b",
    re.IGNORECASE,
)
_MARKS = re.compile(r"(?<=[^\W\d_])[\d*†‡§¶∗#,]*[\d*†‡§¶∗#](?=\s|$|,|&)")
_INITIAL = re.compile(r"^(?:[A-ZÀ-Þ]\.?-?){1,3}\.?$")
_NAME_TOKEN = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ][\w'’.\-]*$")


def plausible_title(text: str | None) -> bool:
    """True when ``text`` reads like an article title, not a file name or tool default."""
    if not text:
        return False
    text = " ".join(text.split())
    if len(text) < 8 or len(text) > 400 or _TOOL_PREFIX.match(text) or _FILE_NAME.search(text):
        return False
    if _LINK.search(text):
        return False  # a citation line ("Electron. Commun. Probab. 0 (2020), https://doi…")
    if " " not in text:
        return False  # "final_v3", "ms1234", "jmh-2019-0042"
    words = _WORD.findall(text)
    letters = sum(ch.isalpha() for ch in text)
    return len(words) >= 2 and letters >= 0.6 * len(text.replace(" ", ""))


def _tidy_name(name: str) -> str | None:
    """A personal name without marks, degrees or stray punctuation; None if it is not one."""
    if _NOT_NAME.search(name):
        return None
    name = re.sub(r"[*†‡§¶#∗✉⁎]|\d+|\([^)]*\)", " ", name)
    name = " ".join(name.replace("\u00a0", " ").split()).strip(" ,;.&")
    if not name or _NOT_NAME.search(name):
        return None
    tokens = [t for t in name.split() if t.strip(".,").lower() not in DEGREES]
    if len(tokens) < 2 or len(tokens) > 6:
        return None
    for tok in tokens:
        core = tok.strip(",")
        if core.lower() in _PARTICLES:
            continue
        if not (_INITIAL.match(core) or _NAME_TOKEN.match(core)):
            return None
    name = " ".join(tokens).strip(" ,")
    if name.isupper() and len(name) > 3:
        name = " ".join(
            t if _INITIAL.match(t) else "-".join(p.capitalize() for p in t.split("-"))
            for t in name.split()
        )
    return name


# Society grades printed after names: "Anna Sundström, Senior Member, IEEE".
_SOCIETY = re.compile(
    r",?\s*\b(?:(?:senior|life|student|graduate student|associate)\s+)?(?:member|fellow)\b"
    r"(?:\s*,?\s*(?-i:[A-Z]{2,6})\b|\s*,?\s*$)",
    re.IGNORECASE,
)


def parse_names(text: str, printed: bool = False) -> list[str] | None:
    """Names from a byline or an Author field; None unless every part is a personal name.

    ``printed``: a byline on the page, where names are never inverted ("Umeå, Sweden" is a
    place, not "Sweden Umeå").
    """
    # Affiliation marks typed at the name's size ("Strand1,2*, Gammon2", "Sundström,1
    # Rönnlund,2") part names as a comma would.
    text = _MARKS.sub(",", " ".join(text.split()))
    text = _SOCIETY.sub(",", text)
    text = re.sub(r"^(?:by|authors?:)\s+", "", text, flags=re.IGNORECASE)
    if not text.strip(" ,"):
        return None
    if ";" in text:
        parts = text.split(";")
    else:
        parts = re.split(r",|\s&\s|\band\b", text, flags=re.IGNORECASE)
        # "Strand, Monica" / "Strand, M. J." is one inverted name, not two.
        if len(parts) == 2 and re.fullmatch(r"\s*(?:[A-Z][\w'.\-]*\s*){1,3}", parts[1]):
            if len(parts[0].split()) == 1 and not printed:
                parts = [text]
    names = []
    for part in parts:
        part = part.strip()
        if not part or part.strip(".").lower() in DEGREES:
            continue
        if re.fullmatch(r"et\s+al\.?", part, re.IGNORECASE):
            continue
        if "," in part:  # inverted: "Strand, Monica"
            family, _, given = part.partition(",")
            name = _tidy_name(f"{given} {family}")
            names.append(f"{family.strip()}, {given.strip()}" if name else "")
        else:
            names.append(_tidy_name(part) or "")
    if not names or not all(names):
        return None
    return names


class Meta(PaperFields):
    """Bibliographic fields found for one PDF (any may be missing)."""

    online_year: int | None = None

    def fill_from(self, other: Meta) -> None:
        """Take ``other``'s value for every field still missing here."""
        for f in fields(self):
            if not getattr(self, f.name):
                setattr(self, f.name, getattr(other, f.name))


def _first(xmp: dict[str, list[str]], *keys: str) -> str | None:
    for key in keys:
        for value in xmp.get(key) or []:
            if value.strip():
                return value.strip()
    return None


def _plausible_venue(text: str | None) -> str | None:
    if not text:
        return None
    text = " ".join(text.split()).strip(" ,.;")
    if len(text) < 3 or len(text) > 200 or _FILE_NAME.search(text) or "http" in text:
        return None
    return text if _WORD.search(text) else None


def embedded_meta(info: dict[str, str], xmp: dict[str, list[str]]) -> Meta:
    """Title, authors, year, venue and DOI from XMP first, then Info, each when plausible."""
    meta = Meta()
    for title in (_first(xmp, "dc:title"), info.get("Title")):
        if plausible_title(title):
            meta.title = " ".join((title or "").split())
            break
    creators = xmp.get("dc:creator") or []
    candidates = []
    if creators:
        candidates.append(creators if len(creators) > 1 else parse_names(creators[0]))
    # A word processor fills /Author with the account that made the file (often one of the
    # authors, never the byline); what a typesetter or publisher writes there is kept.
    made_by = f"{info.get('Creator', '')} {info.get('Producer', '')}"
    if not _WORD_PROCESSOR.search(made_by):
        candidates.append(parse_names(info.get("Author", "")))
    for names in candidates:
        if names and all(_tidy_name(n) or "," in n for n in names):
            meta.authors = tuple(" ".join(n.split()) for n in names)
            break
    subject = info.get("Subject", "") or _first(xmp, "dc:description") or ""
    for raw in (
        _first(xmp, "prism:doi", "pdfx:doi", "pdfx:DOI", "crossmark:DOI"),
        _first(xmp, "dc:identifier", "prism:url"),
        info.get("doi") or info.get("DOI"),
        subject,
    ):
        doi = find_doi(raw or "")
        if doi:
            meta.doi = doi
            break
    date = _first(xmp, "prism:coverDate", "prism:publicationDate", "prism:coverDisplayDate")
    meta.year = find_year(date or "")
    meta.venue = _plausible_venue(_first(xmp, "prism:publicationName"))
    if not meta.venue:
        # Publishers write "Journal Name, 42 (2019) 123-130. doi:..." into /Subject.
        cited = re.match(r"^([^\d,;:()]{3,150}?)[,.]?\s+(?:\d|\()", subject)
        if cited and find_doi(subject):
            meta.venue = _plausible_venue(cited.group(1))
            meta.year = meta.year or find_year(subject)
    return meta


def _words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.casefold())
    return re.findall(
        r"[^\W\d_]{3,}", "".join(ch for ch in folded if not unicodedata.combining(ch))
    )


def confirm(meta: Meta, page_text: str) -> Meta:
    """``meta`` without a title or authors that the pages themselves do not show.

    A document started from another paper's file keeps that paper's title and author
    in its Info fields; the front pages tell the stale values from the real ones.
    """
    seen = set(_words(page_text))
    if not seen:
        return meta
    title_words = _words(meta.title or "")
    if title_words and sum(w in seen for w in title_words) < CONFIRM_SHARE * len(title_words):
        meta.title = None
    for name in meta.authors:
        family = name.split(",")[0] if "," in name else name.split()[-1]
        if not all(w in seen for w in _words(family)):
            meta.authors = ()
            break
    return meta

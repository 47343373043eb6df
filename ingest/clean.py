"""Text hygiene for scraped pages: invisible junk out, site chrome recognised.

``clean_text`` makes page text safe and regular (NFC, LF line ends, no control or
terminal escape sequences, no zero-width characters, single spaces) while keeping the
line structure the page parsers rely on. ``is_boilerplate_line`` recognises one line of
site chrome (navigation, counters, permissions text, advertisements, field labels) out of
context; parsers read structural lines (years, labels) *before* filtering with it.
"""

from __future__ import annotations

import re
import unicodedata

# Terminal escapes. Bodies are bounded by a newline so a stray ESC cannot swallow a page.
_ANSI = re.compile(
    r"(?:\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?"  # OSC: ESC ] ... BEL | ESC \ (window titles)
    r"|\x1b[PX^_][^\x1b\n]*(?:\x1b\\)?"  # DCS / SOS / PM / APC strings
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x9d[^\x07\x9c\n]*[\x07\x9c]?"  # 8-bit OSC
    r"|\x1b[ -/]*[0-~]?)"  # other two-byte escapes, or a lone ESC
)
# C0 (minus tab and newline), DEL, C1, lone surrogates.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Zero-width and bidi formatting characters: invisible, and a known spoofing vector.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
_LINE_BREAKS = re.compile("\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# Only runs and exotic spaces: substituting every single space would be slow on big pages.
_ODD_SPACE = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_SPACES = re.compile(f"[ {_ODD_SPACE}]{{2,}}|[{_ODD_SPACE}]")


def clean_text(text: str) -> str:
    """Normalise raw page text: NFC, LF, no controls/escapes/zero-width chars, single spaces."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("", text)
    text = _INVISIBLE.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip(" ") for line in text.split("\n"))


# --- boilerplate ---------------------------------------------------------------------

# Whole lines (compared case-folded, whitespace collapsed, trailing colon dropped).
_EXACT = {
    # account / sharing / export chrome
    "sign in", "sign up", "sign in / sign up", "sign in/sign up", "log in", "login",
    "register", "log out", "my account", "export citation", "export citation format",
    "export citations", "share", "share document", "share this article", "cite",
    "cite this article", "cite this document", "download pdf", "download citation",
    "view pdf", "pdf", "full text", "full-text", "add to favorites", "add to library",
    "back to top", "skip to main content", "show more", "show less", "read more",
    "previous article", "next article", "open access", "permissions", "request permissions",
    "reprints", "metrics", "article metrics", "related articles", "similar articles",
    # counters' captions
    "views", "downloads", "citations", "altmetric", "crossref citations to date",
    "citations to date", "article views", "cited by",
    # article-type badges
    "research article", "original article", "review article", "original research",
    "article", "abstract only", "related research", "people also read",
    "recommended articles",
    # reprints and permissions
    "reprints and corporate permissions", "academic permissions", "reprints & permissions",
    # Érudit-style French navigation
    "fiche du document", "date", "discipline", "type de document", "périmètre", "langue",
    "identifiant", "relations", "ce document est lié à", "collection", "organisation",
    "licence", "citer ce document", "métriques", "partage / export", "partage",
    "document thumbnail", "par les mêmes auteurs", "sur les mêmes sujets",
    "sur les mêmes disciplines", "exporter en", "consortium érudit", "erudit", "érudit",
    # field labels of Chinese citation-index records
    "被引", "作者", "机构", "关键词", "d o i", "doi", "中图分类号", "学科分类号", "摘要",
    "引用", "收藏", "页数", "相关论文", "|",
}  # fmt: skip

# Whole-line shapes (matched against the key in full).
_WHOLE = re.compile(
    # counters: "3,401", "1.2k views"
    r"\d[\d,.\s]*[km]?(?: (?:views|downloads|citations|altmetric|crossref citations to date))?"
    r"|résumé(?:\s+[a-z]{2})+|abstract(?:\s+[a-z]{2}){2,}"  # "Résumé En Fr": language tabs
    r"|(?:被引|页数|引用|收藏)\s*[:：]\s*\d*"  # counters with inline values
    r"|共\s*\d+\s*条"  # "共 50 条": list size
    r"|[\W_]{1,3}",  # stray punctuation: "|", "&", "◽", "..."
)
# Notices recognised by how they start.
_PREFIX = re.compile(
    r"please note: selecting permissions|to request a reprint|obtain permissions instantly"
    r"|if you are unable to obtain permissions|for more information, please visit our perm"
    r"|scite is (?:a|an|used)\b"  # the scite advertisement paragraph
    r"|we use cookies|this (?:web)?site uses cookies|by continuing to (?:use|browse)"
    r"|all rights reserved|tous droits réservés|copyright\s*(?:©|\(c\)|\d{4})|©"
    r"|exporter en\b|export to\b"
)
# Tell-tale phrases of the same ads and notices when a scraper glued them to other text.
_INSIDE = re.compile(
    r"smart citations|selecting permissions does not provide access|permissions via rightslink"
)


_HEAD = 400


def _line_key(line: str) -> str:
    """Case-folded line with collapsed whitespace and no trailing colon."""
    return " ".join(line.split()).rstrip(":：").strip().casefold()


def is_boilerplate_line(line: str) -> bool:
    """True when a line is site chrome (navigation, counters, labels, permissions, ads)."""
    # Notices are recognised by their start, so long lines are only read that far.
    key = _line_key(line[:_HEAD])
    if not key:
        return False
    if len(line) <= _HEAD and (key in _EXACT or _WHOLE.fullmatch(key)):
        return True
    return _PREFIX.match(key) is not None or _INSIDE.search(key) is not None


# --- abstract helpers ----------------------------------------------------------------

_ABSTRACT_LABEL = re.compile(
    r"^(?:abstract|summary|résumé|resumen|zusammenfassung|摘要)"
    r"(?:\s*[:.\-–—]\s*|\s+|(?=[A-Z]))",
    re.IGNORECASE,
)
_GLUED_SENTENCE = re.compile(r"(?<=[a-z]{2}[.?!])(?=[A-Z][a-z]+\b)")


def strip_abstract_label(text: str) -> str:
    """Drop a leading 'Abstract' word, also when glued to the next word ('AbstractThis')."""
    text = text.strip()
    match = _ABSTRACT_LABEL.match(text)
    # Case-insensitive match would also eat 'Abstracts are...': require the label's own case.
    if match and (match.group(0)[:1].isupper() or text[:2] == "摘要"):
        rest = text[match.end() :].strip()
        # "Abstract thinking is..." is prose that starts with the word, not a label.
        prose = match.group(0).strip()[-1:].isalpha() and rest[:1].islower()
        if rest and not prose:
            return rest
    return text


def fix_glued_sentences(text: str) -> str:
    """Re-insert the space scrapers drop between sentences ('workers.Methods A')."""
    return _GLUED_SENTENCE.sub(" ", text)


_CJK = re.compile("[\u3040-\u9fff\uac00-\ud7af]")


def word_count(text: str) -> int:
    """Number of whitespace-separated words; CJK text counts one word per two characters."""
    return len(text.split()) + len(_CJK.findall(text)) // 2


_SMALL_WORDS = {
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of",
    "on", "or", "over", "per", "the", "to", "upon", "via", "vs", "with", "within", "without",
    "à", "au", "aux", "de", "des", "du", "en", "et", "la", "le", "les", "sur", "un", "une",
}  # fmt: skip
_ROMAN = re.compile(r"^(?=[IVXLC])C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")  # not "CIVIL"


def _case_word(word: str, first: bool, keep: set[str] | frozenset[str] = frozenset()) -> str:
    """Title-case one word of an ALL-CAPS title; hyphenated parts each."""
    if word.strip("\"'“”‘’«»()[]:;,.!?") in keep:
        return word
    lower = word.lower()
    core = lower.strip("\"'“”‘’«»()[]:;,.!?")
    if not first and core in _SMALL_WORDS:
        return lower
    if any(ch.isdigit() for ch in word) or _ROMAN.match(word.strip("().,:;")):
        return word  # "COVID-19", "II": case is meaningful
    return "-".join(part[:1].upper() + part[1:] for part in lower.split("-"))


def smart_title_case(title: str, keep: set[str] | None = None) -> str:
    """Title-case an ALL-CAPS title; other titles are returned unchanged. Words in ``keep``
    (acronyms seen elsewhere, such as "IEEE") stay in capitals."""
    letters = [ch for ch in title if ch.isalpha()]
    if not letters or any(ch.islower() for ch in letters) or len(letters) < 12:
        return title
    out, first = [], True
    for word in title.split(" "):
        out.append(_case_word(word, first, keep or frozenset()) if word else word)
        # A subtitle after a colon starts with a capital again.
        first = word.endswith((":", "?", "!", "."))
    return " ".join(out)

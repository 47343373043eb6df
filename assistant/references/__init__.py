"""Every way a source is written out, in one package: short and full references, list
lines, source-list labels, CSV cells (``cited_refs``), APA / Vancouver strings, BibTeX,
RIS and CSL-JSON — so the CLI, batch files, catalogue answers, the chat and exports name a
paper the same way (text passes :func:`assistant.textsafe.plain` on the way out). An
untitled record is named by the opening words of its text; a :class:`TitleBook` keeps the
first such name per record, so every later mention uses the same one.

``text.py`` (references in text and the parts of a reference), ``styles.py`` (citation
strings), ``formats.py`` (reference-manager files); import from the package.
"""

from __future__ import annotations

from assistant.references.formats import (
    bibtex,
    bibtex_entry,
    bibtex_escape,
    bibtex_key,
    csl_item,
    csl_json,
    one_line,
    ris,
    ris_entry,
)
from assistant.references.styles import CITATION_STYLES, apa, vancouver
from assistant.references.text import (
    UNTITLED,
    Citable,
    TitleBook,
    cited_refs,
    display_title,
    end_sentence,
    first_words,
    full_ref,
    initials,
    label,
    list_ref,
    locator,
    name_parts,
    page_range,
    short_authors,
    short_ref,
    surname,
    volume_issue,
)

__all__ = [
    "CITATION_STYLES",
    "UNTITLED",
    "Citable",
    "TitleBook",
    "apa",
    "bibtex",
    "bibtex_entry",
    "bibtex_escape",
    "bibtex_key",
    "cited_refs",
    "csl_item",
    "csl_json",
    "display_title",
    "end_sentence",
    "first_words",
    "full_ref",
    "initials",
    "label",
    "list_ref",
    "locator",
    "name_parts",
    "one_line",
    "page_range",
    "ris",
    "ris_entry",
    "short_authors",
    "short_ref",
    "surname",
    "vancouver",
    "volume_issue",
]

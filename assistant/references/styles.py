"""Ready citation strings: APA 7 and Vancouver (ICMJE)."""

from __future__ import annotations

from assistant.references.text import (
    Citable,
    TitleBook,
    display_title,
    end_sentence,
    initials,
    name_parts,
    page_range,
    volume_issue,
)
from assistant.textsafe import plain


# -- citation strings ------------------------------------------------------------------
def apa(source: Citable, titles: TitleBook | None = None) -> str:
    """An APA 7 reference: ``Strand, M., & Gammon, D. (2018). Title. Venue, 23(2), 45–67.
    https://doi.org/…``"""
    names = []
    for author in source.authors:
        family, given = name_parts(author)
        names.append(f"{family}, {initials(given)}" if given else family)
    if len(names) > 20:
        names = names[:19] + ["…", names[-1]]
    if len(names) > 1:
        who = ", ".join(names[:-1]) + ", & " + names[-1]
    else:
        who = names[0] if names else ""
    when = f"({source.year or 'n.d.'})."
    title = end_sentence(display_title(source, titles))
    head = f"{who} {when} {title}" if who else f"{title} {when}"
    volume, issue = volume_issue(source.volume)
    first, last = page_range(source.pages)
    where = source.venue or ""
    if volume:
        where += f", {volume}" + (f"({issue})" if issue else "")
    if first:
        where += f", {first}" + (f"–{last}" if last else "")
    line = head + (f" {end_sentence(where)}" if where else "")
    if source.doi:
        line += f" https://doi.org/{source.doi}"
    return plain(" ".join(line.split()))


def vancouver(source: Citable, titles: TitleBook | None = None) -> str:
    """A Vancouver (ICMJE) reference: ``Strand M, Gammon D. Title. Venue. 2018;23(2):45-67.
    doi:…``"""
    names = []
    for author in source.authors[:6]:
        family, given = name_parts(author)
        names.append(f"{family} {initials(given, dots=False)}".strip())
    who = ", ".join(names) + (", et al." if len(source.authors) > 6 else ".") if names else ""
    parts = [who] if who else []
    parts.append(end_sentence(display_title(source, titles)))
    if source.venue:
        parts.append(end_sentence(source.venue))
    volume, issue = volume_issue(source.volume)
    first, last = page_range(source.pages)
    when = str(source.year or "")
    if volume:
        when += f";{volume}" + (f"({issue})" if issue else "")
    if first:
        when += f":{first}" + (f"-{last}" if last else "")
    if when:
        parts.append(when + ".")
    if source.doi:
        parts.append(f"doi:{source.doi}")
    return plain(" ".join(" ".join(parts).split()))


CITATION_STYLES = {"apa": apa, "vancouver": vancouver}
"""Ready citation strings by style name."""

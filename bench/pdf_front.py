"""Front matter of article PDFs: exact title, all authors, year, venue, DOI, and leaks.

    python bench/pdf_front.py

There is no internet here, so no publisher PDFs could be downloaded: the set is the first
pages generated in the layouts of real journals and proceedings that issue 23 reported
(tests/ingest/frontpapers.py: Hindawi-, VLDB-, arXiv-, IEEE-, PeerJ- and BMC-like). For
each file it reads the record as the ingest does and counts the fields that come out
exactly, and the front-matter or reference strings found in the indexed text (leaks).
Run it from an older checkout (with these fixture files copied in) for the "before" row.
Results: docs/QUALITY.md.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest.pdf import pdf_records  # noqa: E402
from tests.ingest import frontpapers as F  # noqa: E402
from tests.ingest.test_pdf_front import LEAKS  # noqa: E402

# (fixture, title, authors, year, venue, doi); None: the page prints none.
CASES = [
    ("hindawi", F.TITLE, F.AUTHORS, 2014, "Journal of Aging Research", F.DOI),
    ("vldb", F.VLDB_TITLE, F.VLDB_AUTHORS, 2004, F.VLDB_VENUE, None),
    ("arxiv", F.ARXIV_TITLE, ["Ada Lovelace", "Charles Babbage"], 2015, None, None),
    ("ieee", F.IEEE_TITLE, F.AUTHORS, 2014, F.IEEE_VENUE, None),
    ("peerj", F.VLDB_TITLE, F.AUTHORS, 2017, F.PEERJ_VENUE, F.PEERJ_DOI),
    ("cite_on_last_page", F.TITLE, F.AUTHORS, 2007, "Journal of Aging Research", F.CITE_DOI),
]
FIELDS = ["title", "authors", "year", "venue", "doi"]


def main() -> None:
    totals = dict.fromkeys([*FIELDS, "exact", "clean"], 0)
    print("| file | title | authors | year | venue | DOI | leaks |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name, *expected in CASES:
            data = getattr(F, name)()
            path = Path(tmp) / f"{name}.pdf"
            path.write_bytes(data)
            record = pdf_records(path, data, path.name)[0]
            allowed = {"©"} if name == "arxiv" else set()  # its body cites "(© 2010 ...)"
            leaks = [x for x in LEAKS if x not in allowed and re.search(x, record.abstract)]
            got = [record.title, record.authors, record.year, record.venue, record.doi]
            ok = [g == e for g, e in zip(got, expected, strict=True)]
            for field, hit in zip(FIELDS, ok, strict=True):
                totals[field] += hit
            totals["exact"] += all(ok)
            totals["clean"] += not leaks
            marks = ["yes" if hit else f"**{g!r}**" for hit, g in zip(ok, got, strict=True)]
            print(f"| {name} | " + " | ".join(marks) + f" | {', '.join(leaks) or 'none'} |")
    n = len(CASES)
    print(
        f"\n{n} files: {totals['exact']} exact; titles {totals['title']}/{n}, all authors "
        f"{totals['authors']}/{n}, year {totals['year']}/{n}, venue {totals['venue']}/{n}, "
        f"DOI {totals['doi']}/{n}; no leaks in {totals['clean']}/{n}."
    )


if __name__ == "__main__":
    main()

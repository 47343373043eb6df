"""Child-process entry point: print the text of one PDF (``python -m ingest.pdftext FILE``).

Run by :func:`ingest.readers.read_pdf` under time and memory limits; a crash here is
reported as a skipped file, never as a failed ingest.
"""

from __future__ import annotations

import logging
import sys


def main(path: str) -> int:
    """Write the PDF's text to stdout, pages separated by blank lines."""
    from pypdf import PdfReader

    logging.disable(logging.WARNING)  # pypdf warns loudly about harmless oddities
    reader = PdfReader(path, strict=False)
    if reader.is_encrypted:
        try:
            reader.decrypt("")
        except Exception:  # noqa: BLE001
            print("encrypted PDF", file=sys.stderr)
            return 3
    pages = []
    for page in reader.pages[:500]:
        pages.append(page.extract_text() or "")
    sys.stdout.write("\n\n".join(pages))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

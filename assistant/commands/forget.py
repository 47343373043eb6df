"""``assistant forget``: remove files or folders, and the papers only they held, from the index."""

from __future__ import annotations

import argparse
import json
import sys

from assistant.config import Settings
from assistant.runtime import chunk_settings, make_embedder, open_index
from assistant.textsafe import plain


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Forget the given paths and print what is left."""
    from ingest.pipeline import forget

    index = open_index(settings)
    try:
        report = forget(list(args.paths), index, make_embedder(settings), chunk_settings(settings))
    finally:
        index.close()
    data = report.to_dict()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(
        f"Forgot {data['removed']} file(s) and {data['records_removed']} paper(s); "
        f"{data['records']} papers ({data['chunks']} chunks) remain in the index."
    )
    if data["records_updated"]:
        print(
            plain(f"{data['records_updated']} paper(s) also held elsewhere were kept."),
            file=sys.stderr,
        )
    return 0

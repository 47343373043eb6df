"""Parsers for the page layouts ("families") scraped scholarly pages come in.

Each module exposes ``detect(lines) -> bool`` (by structure, never by file name) and
``parse(lines) -> list[Record]`` over the lines of an already cleaned page.
"""

"""Turn folders of scraped scholarly pages into clean, citable records in Chroma.

Nothing in this package imports :mod:`assistant`: dependencies flow one way.
"""

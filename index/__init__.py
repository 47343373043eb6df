"""The index's one owner: Chroma, the manifest, the lexical index, the writer lock."""

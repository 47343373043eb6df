"""The Textual chat UI (``assistant chat``).

Deliberately imports nothing: ``assistant.export`` and friends must stay importable
without pulling in Textual.
"""

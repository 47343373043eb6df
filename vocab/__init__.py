"""The project's small shared language: a paper's metadata declared once (``paper``), the
ingest's record and its identity, personal names, DOIs, one case- and accent-insensitive
text fold, tiktoken counts, and the errors a user can meet (their exit codes are the
CLI's: ``assistant.exits``). It stores nothing and answers nothing; ``index``,
``ingest`` and ``assistant`` all speak it, and it imports none of them."""

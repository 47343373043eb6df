"""The project's small shared language: a paper's record and its identity, personal names,
DOIs, one case- and accent-insensitive text fold, tiktoken counts, and the errors a user
can meet. It stores nothing and answers nothing; ``index``, ``ingest`` and ``assistant``
all speak it, and it imports none of them."""

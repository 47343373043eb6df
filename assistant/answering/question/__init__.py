"""Reading a question against the index's own bibliography, offline and without a model:
the authors, years, venues, DOIs and titles it names (``read``, ``names``, ``years``,
``refs``, ``words``), what kind of question it is (``kind``), and the plan that follows
(``planner``): a catalogue or bibliographic answer from the bibliography (``catalogue``,
``bibliography``), or retrieval restricted to the papers named."""

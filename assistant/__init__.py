"""A local research assistant: cited answers over a corpus of scholarly abstracts."""

__version__ = "0.1.0"

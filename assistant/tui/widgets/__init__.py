"""Reusable widgets of the chat UI (each with its own ``DEFAULT_CSS``)."""

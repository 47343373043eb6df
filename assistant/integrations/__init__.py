"""Optional bridges to other frameworks; each is imported only by code that uses it.

``assistant.integrations.llama_index`` exposes the index, the engine and any llama-index LLM
as llama-index components. Nothing in the CLI or the TUI imports this package.
"""

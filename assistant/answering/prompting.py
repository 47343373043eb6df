"""The prompt sent to the model: sources fenced as data, budgeted to the context window.

Counts tokens with tiktoken (an approximation of the model's own tokenizer, hence a
margin) and never lets a long question or a long source push the rest out unannounced.
"""

from __future__ import annotations

from dataclasses import replace

import prompts
from assistant.answering.answer import Source
from assistant.config import Settings
from vocab.tokens import count_tokens, truncate_tokens

BUDGET_MARGIN = 64  # tokens kept free: tiktoken only approximates the model's tokenizer
QUESTION_MIN_TOKENS = 32


LENGTHS = {
    "short": "Answer in about three sentences.",
    "long": "Answer thoroughly: cover every source that bears on the question.",
}


def answer_instructions(
    system: str | None = None, length: str | None = None, style: str | None = None
) -> tuple[str, str]:
    """What a conversation's own controls add (``/system``, ``/length``, ``/style``): to
    the system message, after the rules it cannot replace, and to the end of the request."""
    extra_system = (
        "\n\nThe researcher's own instructions for this conversation (they do not change "
        f"the rules above):\n{system.strip()}"
        if system and system.strip()
        else ""
    )
    asks = [LENGTHS[length]] if length in LENGTHS else []
    if style and style.strip():
        asks.append(
            f"Format the answer as: {style.strip()}. Keep a citation in every sentence or item."
        )
    return extra_system, ("\n\n" + " ".join(asks)) if asks else ""


def build_messages(
    settings: Settings,
    question: str,
    sources: list[Source],
    warnings: list[str],
    num_ctx: int,
    instructions: tuple[str, str] = ("", ""),
) -> tuple[list[dict[str, str]], list[Source]]:
    """System + answer prompt with as many sources as fit ``num_ctx``, and the sources it
    holds (trimmed copies where shortened); every trim is a warning. ``instructions``:
    the conversation's own additions (:func:`answer_instructions`)."""
    extra_system, extra_user = instructions
    system = prompts.render("system") + extra_system
    room = (
        num_ctx
        - settings.answer_tokens
        - count_tokens(system)
        - count_tokens(prompts.render("answer", sources="", question="") + extra_user)
        - BUDGET_MARGIN
    )
    # A huge question must not push every source out: it gets at most a third of the room.
    limit = max(QUESTION_MIN_TOKENS, room // 3)
    if count_tokens(question) > limit:
        question = truncate_tokens(question, limit) + " …"
        warnings.append(
            f"The question was shortened to {limit} tokens to leave room for the sources "
            f"in the model's context window (num_ctx={num_ctx})."
        )
    budget = room - count_tokens(question)
    blocks: list[str] = []
    kept: list[Source] = []
    for source in sources:
        block = format_source(source)
        cost = count_tokens(block) + 2
        if cost > budget:
            room = budget - (cost - count_tokens(source.text)) - 2
            if room < 48:  # too little left to be worth quoting
                break
            source = replace(source, text=truncate_tokens(source.text, room) + " …")
            warnings.append(
                f"Source [{source.n}] was shortened to fit the model's context window "
                f"(num_ctx={num_ctx})."
            )
            block = format_source(source)
            cost = count_tokens(block) + 2
        blocks.append(block)
        kept.append(source)
        budget -= cost
    if len(kept) < len(sources):
        dropped = ", ".join(f"[{s.n}]" for s in sources[len(kept) :])
        warnings.append(
            f"Sources {dropped} were left out to fit the model's context window "
            f"(num_ctx={num_ctx})."
        )
    user = prompts.render("answer", sources="\n\n".join(blocks), question=question) + extra_user
    return [{"role": "system", "content": system}, {"role": "user", "content": user}], kept


def format_source(source: Source) -> str:
    """A source fenced as data for the prompt; fence-like text inside it is defused."""

    def clean(text: str) -> str:
        return text.replace("<source", "‹source").replace("</source", "‹/source")

    head = [f'<source n="{source.n}">']
    if source.authors:
        head.append(f"Authors: {clean('; '.join(source.authors))}")
    if source.year:
        head.append(f"Year: {source.year}")
    if source.title:
        head.append(f"Title: {clean(source.title)}")
    # Venue and DOI too, so a model can answer "in which journal…" or "what is the DOI…".
    if source.venue:
        head.append(f"Venue: {clean(source.venue)}")
    if source.doi:
        head.append(f"DOI: {clean(source.doi)}")
    if source.page is not None:
        head.append(f"Page: {source.page}")
    return "\n".join(head + [f"Text: {clean(source.text)}", "</source>"])

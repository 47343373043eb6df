"""The prompt sent to the model: sources fenced as data, budgeted to the context window.

Each source is a labelled block: its bibliographic fields, the paper's study facts
(design, participants, ages, setting) and the sentences of the parts the question asks
about (aim, method, findings…, read at ingest: :mod:`vocab.parts`), then the passage. The
request names the asked facet and how long to answer, so a small model finds the asked
fact and keeps to it; no worked example (a small model copies one: docs/QUALITY.md).

Counts tokens with tiktoken (an approximation of the model's own tokenizer, hence a
margin) and never lets a long question or a long source push the rest out unannounced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import prompts
from assistant.answering.answer import Source
from assistant.config import Settings
from vocab.parts import Parts
from vocab.tokens import count_tokens, truncate_tokens

BUDGET_MARGIN = 64  # tokens kept free: tiktoken only approximates the model's tokenizer
QUESTION_MIN_TOKENS = 32
PART_TOKENS = 60  # at most this much of one part's sentence in a source block


LENGTHS = {
    "short": "Answer in about three sentences.",
    "normal": "Answer in two to five sentences.",
    "long": "Answer thoroughly: cover every source that bears on the question.",
}
# What a facet question asks for, said to the model.
FACETS = {
    "ages": "how old the participants were (their ages)",
    "participants": "who took part in the studies (how many, who they were, their ages)",
    "setting": "where the studies were carried out (the country or the setting)",
    "method": "how the studies were done (their design and how data were collected)",
    "aim": "what the studies set out to do (their aims)",
    "findings": "what the studies found (their results)",
    "conclusions": "what the studies conclude",
    "limitations": "the studies' limitations",
    "about": "what the papers are about (their aims and main findings)",
}
# The parts shown, labelled, for each facet (None: a question about a topic).
SHOWN_PARTS: dict[str | None, tuple[str, ...]] = {
    "ages": ("participants",),
    "participants": ("participants",),
    "setting": ("setting",),
    "method": ("method",),
    "aim": ("aim",),
    "findings": ("results", "conclusions"),
    "conclusions": ("conclusions", "results"),
    "limitations": ("limitations",),
    "about": ("aim", "results"),
    None: ("aim", "results"),
}
PART_LABELS = {"results": "Findings"}
FACT_LABELS = (("design", "Design"), ("participants", "Participants"), ("ages", "Ages"))


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
    asks = [LENGTHS.get(length or "normal", LENGTHS["normal"])]
    if style and style.strip():
        asks.append(
            f"Format the answer as: {style.strip()}. Keep a citation in every sentence or item."
        )
    return extra_system, "\n\n" + " ".join(asks)


def asked_line(facets: tuple[str, ...]) -> str:
    """The request's line naming what the question asks about ("" for a topic question)."""
    said = [FACETS[f] for f in facets if f in FACETS]
    if not said:
        return ""
    if len(said) == 1:
        return f"The question asks about {said[0]}: answer with that, as the sources state it."
    listed = "; ".join(f"({i}) {s}" for i, s in enumerate(said, start=1))
    return (
        f"The question asks about {len(said)} things: {listed}. Answer each in turn, as the "
        "sources state it, and say so where no source states one."
    )


def build_messages(
    settings: Settings,
    question: str,
    sources: list[Source],
    warnings: list[str],
    num_ctx: int,
    instructions: tuple[str, str] | None = None,
    parts: Mapping[str, Parts] | None = None,
    facets: tuple[str, ...] = (),
) -> tuple[list[dict[str, str]], list[Source]]:
    """System + answer prompt with as many sources as fit ``num_ctx``, and the sources it
    holds (trimmed copies where shortened); every trim is a warning. ``instructions``:
    the conversation's own additions (:func:`answer_instructions`: by default the answer
    length alone); ``parts``: each
    record's parts, by record id; ``facets``: what the question asks of them."""
    extra_system, extra_user = instructions or answer_instructions()
    system = prompts.render("system") + extra_system
    asked = asked_line(facets)
    room = (
        num_ctx
        - settings.answer_tokens
        - count_tokens(system)
        - count_tokens(prompts.render("answer", sources="", question="", asked=asked) + extra_user)
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
        labelled = part_lines((parts or {}).get(source.record_id), facets)
        block = format_source(source, labelled)
        cost = count_tokens(block) + 2
        if cost > budget and labelled:  # tight: the passage before its labelled parts
            labelled = []
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
            block = format_source(source, labelled)
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
    body = "\n\n".join(blocks)
    user = prompts.render("answer", sources=body, question=question, asked=asked) + extra_user
    return [{"role": "system", "content": system}, {"role": "user", "content": user}], kept


def part_lines(parts: Parts | None, facets: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """``(label, text)`` lines of a paper's parts for its source block: the study facts,
    then one sentence of each part the question asks about."""
    if not parts:
        return []
    lines: list[tuple[str, str]] = []
    for name, label in FACT_LABELS:
        values = list(dict.fromkeys(parts.values(name)))
        if values:
            lines.append((label, "; ".join(values)))
    countries = list(dict.fromkeys(parts.values("setting")))
    if countries:
        lines.append(("Setting", "; ".join(countries)))
    shown = [n for f in facets for n in SHOWN_PARTS.get(f, ())] or SHOWN_PARTS[None]
    for name in dict.fromkeys(shown):
        sentences = parts.part(name)
        if sentences and not (name == "setting" and countries):
            label = PART_LABELS.get(name, name.capitalize())
            lines.append((label, truncate_tokens(sentences[0], PART_TOKENS)))
    return lines


def format_source(source: Source, labelled: list[tuple[str, str]] | None = None) -> str:
    """A source fenced as data for the prompt, its parts labelled (``labelled``); fence-like
    text inside it is defused."""

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
    head += [f"{label}: {clean(text)}" for label, text in labelled or ()]
    return "\n".join(head + [f"Text: {clean(source.text)}", "</source>"])

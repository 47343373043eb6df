"""The answer prompt for small models: each source's parts labelled, the asked facet named,
an answer length, no worked example; within the context budget."""

from __future__ import annotations

from pathlib import Path

import prompts
from assistant.answering.answer import Source
from assistant.answering.prompting import build_messages, format_source
from assistant.config import Settings
from vocab.parts import Fact, Parts
from vocab.tokens import count_tokens

TEXT = (
    "Long-term service users at a community clinic were asked about continuity of care. "
    "Eleven service users aged 25 to 60 took part in individual interviews in Oslo, Norway. "
    "They valued staying with the same professional over years."
)
PARTS = Parts(
    sections={
        "aim": ("The aim was to explore what continuity of care means to service users.",),
        "participants": ("Eleven service users aged 25 to 60 took part.",),
        "results": ("They valued staying with the same professional over years.",),
        "method": ("Individual interviews were analysed thematically.",),
    },
    facts={
        "design": (Fact("individual interviews", "Individual interviews were analysed."),),
        "participants": (Fact("11 service users", "Eleven service users aged 25 to 60."),),
        "ages": (Fact("25–60", "Eleven service users aged 25 to 60."),),
        "setting": (Fact("Norway", "in Oslo, Norway."),),
    },
)


def source(n: int = 1, text: str = TEXT) -> Source:
    return Source(
        n=n, record_id=f"r{n}", title="Continuity of care", authors=("Lie, Kari",),
        year=2019, venue=None, doi=None, path=None, text=text, score=1.0,
    )  # fmt: skip


def user_prompt(facet: str | tuple[str, ...] | None, num_ctx=4096, sources=None, warnings=None):
    settings = Settings(home=Path("/nonexistent"), answer_tokens=256)
    sources = sources or [source()]
    parts = {s.record_id: PARTS for s in sources}
    messages, kept = build_messages(
        settings, "Who took part?", sources, warnings if warnings is not None else [],
        num_ctx, parts=parts,
        facets=facet if isinstance(facet, tuple) else ((facet,) if facet else ()),
    )  # fmt: skip
    return messages[-1]["content"], kept


def test_the_study_facts_and_the_asked_part_are_labelled_in_the_source_block():
    prompt, _ = user_prompt("participants")
    block = prompt[prompt.index('<source n="1">') : prompt.index("</source>")]
    assert "Design: individual interviews" in block
    assert "Participants: 11 service users" in block and "Ages: 25–60" in block
    assert "Setting: Norway" in block
    assert "Participants: Eleven service users aged 25 to 60 took part." in block
    assert "Aim:" not in block and "Findings:" not in block  # not what was asked
    assert block.index("Design:") < block.index("Text: ")  # the labels before the passage
    assert "The question asks about who took part in the studies" in prompt


def test_a_topic_question_gets_each_papers_aim_and_findings_and_no_facet_line():
    prompt, _ = user_prompt(None)
    assert "Aim: The aim was to explore" in prompt
    assert "Findings: They valued staying" in prompt
    assert "The question asks about" not in prompt
    method, _ = user_prompt("method")
    assert "Method: Individual interviews were analysed" in method
    assert "how the studies were done" in method


def test_a_question_asking_two_things_names_both_and_shows_both_parts():
    prompt, _ = user_prompt(("setting", "participants"))
    block = prompt[prompt.index('<source n="1">') : prompt.index("</source>")]
    assert "Participants: Eleven service users aged 25 to 60 took part." in block
    assert "Setting: Norway" in block and "Findings:" not in block
    assert "asks about 2 things: (1) where the studies were carried out" in prompt
    assert "(2) who took part in the studies" in prompt
    assert "say so where no source states one" in prompt


def test_the_request_asks_for_a_length_and_a_citation_per_sentence_without_an_example():
    prompt, _ = user_prompt(None)
    assert "Answer in two to five sentences." in prompt
    assert "End every sentence with the number of the source" in prompt
    template = prompts.template("answer") + prompts.template("system")
    # no worked example a small model could copy as its answer (docs/QUALITY.md)
    assert "Example" not in template and "example" not in template


def test_a_tight_window_drops_the_labelled_parts_before_cutting_the_passage():
    settings = Settings(home=Path("/nonexistent"), answer_tokens=256)
    plain = format_source(source())
    # a window with room for the plain block but not for the labelled one
    overhead = build_messages(settings, "Who took part?", [], [], 4096, facets=("participants",))[0]
    used = sum(count_tokens(m["content"]) for m in overhead)
    num_ctx = used + 256 + 64 + count_tokens(plain) + 20
    warnings: list[str] = []
    prompt, kept = user_prompt("participants", num_ctx, warnings=warnings)
    assert kept[0].text == TEXT and not warnings  # the passage whole, nothing announced
    assert "Design:" not in prompt and f"Text: {TEXT}" in prompt


def test_parts_stay_inside_the_budget_for_small_windows():
    sources = [source(n, TEXT * 3) for n in range(1, 6)]
    for num_ctx in (2048, 4096, 8192):
        warnings: list[str] = []
        prompt, kept = user_prompt("participants", num_ctx, sources, warnings)
        settings = Settings(home=Path("/nonexistent"))
        system = build_messages(settings, "q", [], [], num_ctx)[0][0]["content"]
        assert count_tokens(system) + count_tokens(prompt) + 256 <= num_ctx
        assert kept and prompt.count("</source>") == len(kept)

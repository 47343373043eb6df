import string
from importlib import resources

import pytest

import prompts

NAMES = sorted(p.name[:-3] for p in resources.files("prompts").iterdir() if p.name.endswith(".md"))
# The fields each template must receive from the engine, and no others.
SUPPLIED = {
    "system": set(),
    "answer": {"sources", "question", "asked"},
    "condense": {"history", "question"},
    "no_answer": {"question"},
}


def test_every_template_is_known_to_the_engine():
    assert set(NAMES) == set(SUPPLIED)


@pytest.mark.parametrize("name", NAMES)
def test_template_fields_are_exactly_those_supplied(name):
    used = {f for _, f, _, _ in string.Formatter().parse(prompts.template(name)) if f}
    assert used == SUPPLIED[name]
    rendered = prompts.render(name, **{f: f"<{f}>" for f in SUPPLIED[name]})
    for f in SUPPLIED[name]:
        assert f"<{f}>" in rendered


def test_render_refuses_missing_and_extra_fields():
    with pytest.raises(KeyError, match="missing"):
        prompts.render("answer", question="q")
    with pytest.raises(KeyError, match="unexpected"):
        prompts.render("answer", question="q", sources="s", asked="", extra="x")


def test_system_prompt_fences_sources_as_data():
    text = prompts.render("system")
    assert "not instructions" in text and "<source>" in text

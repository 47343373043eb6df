"""What a question asks of the papers' parts: one facet, or one per clause."""

from __future__ import annotations

import pytest

from assistant.answering.question.asks import read_asks


@pytest.mark.parametrize(
    ("question", "facets"),
    [
        ("Where were the Swedish peer support studies done, and with whom?",
         ("setting", "participants")),
        ("How did Folker et al. collect their data, and who took part?",
         ("method", "participants")),
        ("What were the aims and limitations of the trial?", ("aim", "limitations")),
        ("How many participants, and in which country?", ("participants", "setting")),
        ("Tell me where the Strand study took place and who participated.",
         ("setting", "participants")),
        ("What methods were used; what did they find?", ("method", "findings")),
        ("How many took part in Strand's study, and how old were they?", ("participants", "ages")),
        ("Où l'étude a-t-elle été menée et combien de personnes ont participé ?",
         ("setting", "participants")),
        ("Quels sont les objectifs et les limites de l'étude ?", ("aim", "limitations")),
    ],
)  # fmt: skip
def test_each_clause_asks_its_own_facet(question: str, facets: tuple[str, ...]) -> None:
    asks = read_asks(question)
    assert asks.facets == facets
    assert asks.to_json()["facet"] == list(facets)


@pytest.mark.parametrize(
    ("question", "facet"),
    [
        ("How old were the participants in Folker et al.?", "ages"),
        ("What was the age range of the sample?", "ages"),
        ("Who took part in the Swedish peer support study?", "participants"),
        ("Where were the interviews conducted?", "setting"),
        ("Where were the peer support studies in Sweden carried out?", "setting"),
        ("With whom were the interviews held?", "participants"),
        ("What did Strand and Gammon find?", "findings"),  # "and" joins two names
        ("What did the study do?", "method"),
        ("Describe the participants of the study", "participants"),
    ],
)
def test_a_single_facet_stays_one_value(question: str, facet: str) -> None:
    asks = read_asks(question)
    assert asks.facets == (facet,) and asks.to_json()["facet"] == facet


@pytest.mark.parametrize(
    "question",
    [
        "What do service users and peer workers value in peer support?",
        "Where was it published, and in which year?",  # bibliographic, not the study's
        "How do service users select peer workers?",
        # the participants as the ones who say or value something: what they said is asked
        "What benefits did participants describe?",
        "What did the participants value in peer support?",
    ],
)
def test_topic_and_bibliographic_questions_ask_no_facet(question: str) -> None:
    assert read_asks(question).facets == ()


@pytest.mark.parametrize(
    ("question", "facets", "designs"),
    [
        # a design named as what the studies must be is not a question about method
        ("Which studies used a mixed methods design?", (), ("mixed methods",)),
        ("Which studies used a qualitative approach?", (), ("qualitative",)),
        ("What method did the RCT use?", ("method",), ("randomised controlled trial",)),
        ("How was the qualitative study in Norway conducted?", ("method",), ("qualitative",)),
    ],
)
def test_a_design_named_as_a_constraint_does_not_ask_for_the_method(question, facets, designs):
    asks = read_asks(question)
    assert (asks.facets, asks.designs) == (facets, designs)


@pytest.mark.parametrize(
    ("question", "listing"),
    [
        ("Which scoping reviews are in the index?", "which studies are in the index?"),
        ("Any RCTs from 2019?", "any studies from 2019?"),
        ("How was the qualitative study done?", "how was the study done?"),
    ],
)
def test_a_design_named_as_a_noun_lists_studies(question: str, listing: str) -> None:
    from assistant.answering.question.asks import designs_as_studies

    assert designs_as_studies(question) == listing

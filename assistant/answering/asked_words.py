"""How the asked-fact answers say things, in the question's language (English or French):
what is not reported, the headings of a several-facet answer, the related-reading list."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Wording:
    """The sentences and names of one language."""

    not_report: str  # "The indexed papers do not report {}."
    missing: dict[str, str]  # each study facet, of several papers
    missing_one: dict[str, str]  # the same, of one paper
    nor: str  # joins two unreported facets
    headings: dict[str, str]  # each facet as a heading of a several-facet answer
    measures: dict[str, str]  # each measure with its article ("an effect size")
    anything_on: str  # "anything on “{}”"
    related: str  # the head of the related-reading list
    none_said: str  # a paper's row in a comparison when it states nothing for a part

    def heading(self, facet: str) -> str:
        return self.headings.get(facet, facet.capitalize())

    def measure(self, name: str) -> str:
        return self.measures.get(name) or f"{'an' if name[:1] in 'aeiou' else 'a'} {name}"

    def unreported(self, facet: str, one: bool) -> str:
        return (self.missing_one if one else self.missing)[facet]


ENGLISH = Wording(
    not_report="The indexed papers do not report {}.",
    missing={
        "ages": "the participants' ages",
        "participants": "who took part in the studies or how many",
        "setting": "where the studies were carried out",
        "method": "how the studies were done",
        "aim": "the studies' aims",
        "limitations": "the studies' limitations",
    },
    missing_one={
        "ages": "the participants' ages",
        "participants": "who took part in the study or how many",
        "setting": "where the study was carried out",
        "method": "how the study was done",
        "aim": "the study's aim",
        "limitations": "the study's limitations",
    },
    nor=", nor ",
    headings={},
    measures={},
    anything_on="anything on “{}”",
    related="Related reading (closest papers, not sources of this answer):",
    none_said="not reported",
)

FRENCH = Wording(
    not_report="Les articles indexés ne rapportent pas {}.",
    missing={
        "ages": "l'âge des participants",
        "participants": "qui a participé aux études ni combien",
        "setting": "où les études ont été menées",
        "method": "comment les études ont été faites",
        "aim": "les objectifs des études",
        "limitations": "les limites des études",
    },
    missing_one={
        "ages": "l'âge des participants",
        "participants": "qui a participé à l'étude ni combien",
        "setting": "où l'étude a été menée",
        "method": "comment l'étude a été faite",
        "aim": "l'objectif de l'étude",
        "limitations": "les limites de l'étude",
    },
    nor=", ni ",
    headings={
        "ages": "Âges",
        "participants": "Participants",
        "setting": "Lieu",
        "method": "Méthode",
        "aim": "Objectif",
        "limitations": "Limites",
        "findings": "Résultats",
        "conclusions": "Conclusions",
        "about": "Sujet",
    },
    measures={
        "effect size": "de taille d'effet",
        "odds ratio": "de rapport de cotes",
        "dose": "de dose",
        "cost": "de coût",
        "p-value": "de valeur p",
        "percentage": "de pourcentage",
        "response rate": "de taux de réponse",
        "correlation": "de corrélation",
        "dropout rate": "de taux d'abandon",
        "salary or payment": "de salaire ni de rémunération",
        "theoretical framework": "de cadre théorique",
    },
    anything_on="quoi que ce soit sur « {} »",
    related="Lectures connexes (les articles les plus proches, qui ne sont pas des sources) :",
    none_said="non rapporté",
)


def wording(language: str | None) -> Wording:
    """The wording for a question's language (English unless it is French)."""
    return FRENCH if language == "fr" else ENGLISH

"""The words a study is described by: its design, its participants, where it was done.

Shared by the ingest (which reads a paper's parts and facts) and the question reader
(which reads "which studies used focus groups / were done in Norway?"), so that both sides
name a design or a country the same way. Patterns run over folded text (:func:`fold`:
lower case, no accents), in English and French.
"""

from __future__ import annotations

import re

# Canonical design -> pattern over folded text. Order matters only for display.
DESIGNS: dict[str, str] = {
    "randomised controlled trial": r"randomi[sz]ed (?:controlled |clinical )?trials?|\brcts?\b|"
    r"essais? (?:controles? )?randomises?",
    "trial": r"(?:clinical|pilot|controlled|feasibility) trials?|\btrials?\b|\bessais? cliniques?",
    "systematic review": r"systematic (?:literature )?reviews?|revues? systematiques?",
    "scoping review": r"scoping reviews?|examen de la portee",
    "literature review": r"(?:literature|narrative|integrative|critical) reviews?|"
    r"reviews? of (?:the )?literature|revues? (?:de la )?litterature|recension des ecrits",
    "meta-analysis": r"meta-?analy(?:sis|ses|tic)|meta-?analyses?",
    "review": r"(?<!peer )\breviews?\b|\brevues? (?:systematiques?|de (?:la )?litterature)",
    "mixed methods": r"mixed[- ]methods?|methodes? mixtes",
    "qualitative": r"\bqualitative\b|\bqualitatif|\bqualitatives?\b",
    "quantitative": r"\bquantitative\b|\bquantitatif",
    "interviews": r"\binterview(?:s|ed|ing)?\b|\bentretiens?\b|\bentrevues?\b",
    "focus groups": r"focus[- ]groups?|groupes? (?:de discussion|focalises?|focus)",
    "survey": r"\bsurveys?(?:ed)?\b|\bquestionnaires?\b|\benquetes?\b|\bsondages?\b",
    "case study": r"case stud(?:y|ies)|etudes? de cas",
    "cohort study": r"\bcohorts?\b",
    "cross-sectional": r"cross-?sectional|etude transversale",
    "longitudinal": r"\blongitudinal",
    "ethnography": r"ethnograph\w*|participant observation|observation participante",
    "phenomenology": r"phenomenolog\w*",
    "grounded theory": r"grounded theory|theorisation ancree",
    # Analysis methods: each named as the paper names it ("template analysis" is not
    # "thematic analysis", though both look for themes).
    "thematic analysis": r"thematic(?:al)?(?:ly)? analy\w+|analy\w+ (?:\w+ )?thematic\w*|"
    r"analyse thematique",
    "template analysis": r"template analy\w+|analyse (?:par|de) (?:gabarit|template)",
    "systematic text condensation": r"(?:systematic )?text condensation|"
    r"condensation (?:systematique )?(?:de |du )?texte",
    "interpretative phenomenological analysis": r"interpretat?ive phenomenological analy\w+|"
    r"analyse phenomenologique interpretative",
    "framework analysis": r"framework (?:method(?: of)? )?analy\w+|framework method\b|"
    r"analyse (?:par|de) (?:cadre|framework)",
    "content analysis": r"content analy\w+|analyse (?:\w+ )?(?:de |du )contenu",
    "discourse analysis": r"discourse analy\w+|discursive analy\w+|"
    r"analyse (?:du |de |des )?discours|analyse discursive",
    "narrative analysis": r"narrative analy\w+|analyse narrative",
    "conversation analysis": r"conversation(?:al)? analy\w+|analyse conversationnelle",
    "commentary": r"\bcommentary\b|\beditorial\b|\bcommentaire\b",
    "quality improvement": r"quality improvement",
    "delphi": r"\bdelphi\b",
}
DESIGN_PATTERNS = {name: re.compile(p) for name, p in DESIGNS.items()}
# The qualitative analysis methods among the designs.
ANALYSES = (
    "thematic analysis",
    "template analysis",
    "systematic text condensation",
    "interpretative phenomenological analysis",
    "framework analysis",
    "content analysis",
    "discourse analysis",
    "narrative analysis",
    "conversation analysis",
)
# A design asked for also matches its narrower kinds ("a review" is any review).
BROADER = {
    "review": ("systematic review", "scoping review", "literature review", "meta-analysis"),
    "trial": ("randomised controlled trial",),
    "qualitative": (
        "interviews",
        "focus groups",
        "phenomenology",
        "ethnography",
        "grounded theory",
        *ANALYSES,
    ),
}

# Countries (English name, French name when different) and their adjectives, folded.
_COUNTRIES = """
afghanistan|afghan; albania|albanian|albanie; algeria|algerian|algerie; argentina|argentinian|
argentine; armenia|armenian|armenie; australia|australian|australie; austria|austrian|autriche;
bangladesh|bangladeshi; belgium|belgian|belgique|belge; bolivia|bolivian|bolivie; bosnia|bosnian|
bosnie; brazil|brazilian|bresil|bresilien; bulgaria|bulgarian|bulgarie; cambodia|cambodian|
cambodge; cameroon|cameroonian|cameroun; canada|canadian|canadien|canadienne|quebec; chile|chilean|
chili; china|chinese|chine|chinois; colombia|colombian|colombie; croatia|croatian|croatie;
cuba|cuban; cyprus|cypriot|chypre; czech republic|czech|tcheque; denmark|danish|danemark|danois;
egypt|egyptian|egypte; england|english|angleterre; estonia|estonian|estonie; ethiopia|ethiopian|
ethiopie; finland|finnish|finlande; france|french|francais|francaise; germany|german|allemagne|
allemand; ghana|ghanaian; greece|greek|grece|grec; hungary|hungarian|hongrie; iceland|icelandic|
islande; india|indian|inde; indonesia|indonesian|indonesie; iran|iranian; iraq|iraqi|irak;
ireland|irish|irlande; israel|israeli; italy|italian|italie|italien; japan|japanese|japon;
jordan|jordanian|jordanie; kenya|kenyan; korea|korean|coree; lebanon|lebanese|liban; lithuania|
lithuanian|lituanie; malawi|malawian; malaysia|malaysian|malaisie; mexico|mexican|mexique;
morocco|moroccan|maroc; nepal|nepalese; netherlands|dutch|pays-bas|neerlandais|holland;
new zealand|nouvelle-zelande; nigeria|nigerian; norway|norwegian|norvege|norvegien|norvegienne;
pakistan|pakistani; peru|peruvian|perou; philippines|filipino; poland|polish|pologne; portugal|
portuguese|portugais; romania|romanian|roumanie; russia|russian|russie; rwanda|rwandan; saudi
arabia|saudi; scotland|scottish|ecosse; serbia|serbian|serbie; singapore|singaporean|singapour;
slovenia|slovenian|slovenie; south africa|south african|afrique du sud; spain|spanish|espagne|
espagnol; sri lanka|sri lankan; sweden|swedish|suede|suedois; switzerland|swiss|suisse; taiwan|
taiwanese; tanzania|tanzanian|tanzanie; thailand|thai|thailande; tunisia|tunisian|tunisie;
turkey|turkish|turquie; uganda|ugandan|ouganda; ukraine|ukrainian|ukrainien; united kingdom|uk|
british|royaume-uni|britannique; united states|usa|u.s.|american|etats-unis|americain; vietnam|
vietnamese; wales|welsh|pays de galles; zambia|zambian|zambie; zimbabwe|zimbabwean
"""
COUNTRY_OF: dict[str, str] = {}
for _entry in " ".join(_COUNTRIES.split("\n")).split(";"):
    _names = [n.strip() for n in _entry.split("|") if n.strip()]
    if _names:
        for _n in _names:
            COUNTRY_OF[_n] = _names[0].title() if len(_names[0]) > 3 else _names[0].upper()
COUNTRY_OF.update({"uk": "United Kingdom", "usa": "United States", "u.s.": "United States"})
# "english" and "french" name languages far more often than places; "american" and
# "indian" too; they count only with a place word after them (handled by the reader).
AMBIGUOUS = frozenset({"english", "french", "francais", "francaise", "american", "indian"})
COUNTRY = re.compile(
    r"(?<![\w-])("
    + "|".join(sorted(map(re.escape, COUNTRY_OF), key=len, reverse=True))
    + r")(?![\w-])"
)


def designs_in(folded: str) -> list[str]:
    """Canonical designs named in folded text, in :data:`DESIGNS` order."""
    return [name for name, pattern in DESIGN_PATTERNS.items() if pattern.search(folded)]


def design_covers(asked: str, found: list[str] | tuple[str, ...]) -> bool:
    """Whether a paper with designs ``found`` is a study of the ``asked`` design."""
    return asked in found or any(narrow in found for narrow in BROADER.get(asked, ()))


def countries_in(folded: str, strict: bool = True) -> list[str]:
    """Country names in folded text (adjectives mapped to their country), in order.

    ``strict`` leaves out words that usually name a language or people ("English")."""
    out: list[str] = []
    for m in COUNTRY.finditer(folded):
        word = m.group(1)
        if strict and word in AMBIGUOUS:
            continue
        country = COUNTRY_OF[word]
        if country not in out:
            out.append(country)
    return out

"""The words a paper's parts are recognised by: section labels and sentence cues.

Labels ("METHODS", "Objectif :", Emerald's "Design/methodology/approach") open a section
of a structured abstract; cues ("the aim of this study was…", "were interviewed") say which
part an unlabelled sentence states. Read by :mod:`ingest.parts`; folded text throughout
(lower case, no accents), English and French.
"""

from __future__ import annotations

import re

# Section labels, folded, by the part they open. Longest first when matching.
LABELS: dict[str, tuple[str, ...]] = {
    "background": (
        "background",
        "introduction",
        "context",
        "rationale",
        "issue",
        "problem",
        "description of the problem",
        "contexte",
        "problematique",
        "antecedentes",
        "hintergrund",
        "einleitung",
        "introduccion",
        "mise en contexte",
    ),
    "aim": (
        "objective",
        "objectives",
        "aim",
        "aims",
        "purpose",
        "goal",
        "goals",
        "aims and objectives",
        "research question",
        "research questions",
        "objectif",
        "objectifs",
        "but",
        "buts",
        "objetivo",
        "objetivos",
        "ziel",
        "ziele",
        "fragestellung",
        "study objective",
    ),
    "method": (
        "method",
        "methods",
        "methodology",
        "design",
        "design/methodology/approach",
        "materials and methods",
        "material and methods",
        "study design",
        "approach",
        "design and methods",
        "design, setting and participants",
        "methods and analysis",
        "methode",
        "methodes",
        "methodologie",
        "devis",
        "metodo",
        "metodos",
        "methoden",
        "methodik",
        "data sources",
        "data collection",
        "analysis",
        "procedure",
    ),
    "participants": (
        "participants",
        "sample",
        "subjects",
        "population",
        "study population",
        "participants and setting",
        "echantillon",
        "participantes",
        "teilnehmer",
    ),
    "setting": ("setting", "settings", "milieu", "cadre", "lieu", "study setting"),
    "results": (
        "results",
        "result",
        "findings",
        "main results",
        "main outcome measures",
        "outcomes",
        "resultats",
        "resultat",
        "constats",
        "resultados",
        "ergebnisse",
    ),
    "conclusions": (
        "conclusion",
        "conclusions",
        "discussion",
        "implications",
        "practical implications",
        "social implications",
        "implications for practice",
        "lessons",
        "lessons learned",
        "challenges and lessons learned",
        "key messages",
        "interpretation",
        "conclusions and implications",
        "originality/value",
        "value",
        "relevance",
        "conclusiones",
        "schlussfolgerung",
        "schlussfolgerungen",
        "discussion et conclusion",
    ),
    "limitations": (
        "limitations",
        "research limitations/implications",
        "strengths and limitations",
        "limites",
        "limitaciones",
    ),
}

# What a study is called when a paper speaks of itself ("this qualitative study").
_WORK = (
    r"(?:study|research|paper|article|project|review|work|thesis|report|analysis|"
    r"investigation|inquiry|enquiry|evaluation|survey|trial|commentary|chapter|essay|"
    r"manuscript|editorial)"
)
_THIS_WORK = rf"(?:(?:this|these|the present|the current|our|my) (?:[\w-]+ ){{0,3}}?|the ){_WORK}"
_AIM_NOUN = r"(?:aims?|purposes?|objectives?|goals?)"
_CE_TRAVAIL = (
    r"(?:(?:cette|la presente|notre) (?:[\w-]+ ){0,2}?(?:etude|recherche|enquete|analyse|these|"
    r"revue)|cet article|ce (?:texte|travail|projet|memoire|chapitre))"
)
# A paper stating its own aim (folded text): "the aim of this study was", "the current
# research aims to", "we sought to", "the objective was", "this study explores", "in this
# phenomenological study exploring", "the following research question", "to examine how…",
# "cette étude vise à", "l'objectif de cette recherche", "nous avons cherché à". The subject
# is the paper itself: "interventions aim to…" or "earlier studies sought to…" is background.
STATED_AIM = re.compile(
    rf"\b{_THIS_WORK}'?s? (?:\w+ )?(?:aims?|aimed|aiming|seeks?|seeking|sought|intends?|"
    r"intended|sets? out|attempts?|attempted|tries|tried|wants?|wanted|proposes?|"
    r"(?:is|was) (?:designed|intended|aimed)|explor(?:es|ed|ing)|examin(?:es|ed|ing)|"
    r"investigat(?:es|ed|ing)|describes|presents|reports|discusses|outlines|considers|"
    r"focuses|addresses|assesses|evaluates|analy[sz]es)\b"
    rf"|\b(?:the|our|my)(?: main| primary| overall| principal| specific| general)? {_AIM_NOUN}"
    r" (?:was|were|is|are)\b"
    rf"|\b{_AIM_NOUN} of {_THIS_WORK}\b|\b{_WORK}'?s? (?:main |primary |overall )?{_AIM_NOUN}"
    r" (?:was|were|is|are)\b"
    r"|\bwe (?:\w+ )?(?:aim(?:ed)?|sought|seek|set out|wanted|want|intend(?:ed)?|"
    r"attempt(?:ed)?|endeavou?r(?:ed)?)\b|\bwe (?:explore|examine|investigate|ask|assess)\b"
    r"|\b(?:the|our|following|main) research questions?\b|\bresearch questions? (?:was|were|"
    r"is|are)\b|^(?:in order )?to (?:explore|examine|understand|investigate|assess|evaluate|"
    r"describe|identify|determine|analy[sz]e|compare)\b"
    rf"|\b{_CE_TRAVAIL} (?:\w+ )?(?:vise|visait|a pour|avait pour|cherche|cherchait|tente|"
    r"tentait|explore|explorait|examine|examinait|presente|propose|s['’]interesse|porte sur|"
    r"decrit|documente)\b"
    rf"|\b(?:l['’]|le |les )(?:objectifs?|buts?)(?: principal| general| principaux)?"
    rf" (?:de {_CE_TRAVAIL}|(?:est|etait|sont|etaient) )"
    r"|\bnous (?:avons (?:cherche|voulu|tente|vise)|cherchons|visons|voulions|souhaitions|"
    r"souhaitons|explorons|examinons)\b"
)

# Cues of each part over folded sentences (English and French).
CUES: dict[str, re.Pattern[str]] = {
    # The aim as papers state it, plus softer forms fit only for unlabelled sentences.
    "aim": re.compile(
        STATED_AIM.pattern + r"|\bin order to (?:explore|examine|understand|investigate)\b"
        r"|\bresearch questions?\b"
    ),
    "method": re.compile(
        r"\bwere (?:interviewed|recruited|collected|analy[sz]ed|surveyed|selected|included|"
        r"conducted|transcribed|coded|used)\b|\bwas (?:used|conducted|carried out|employed|"
        r"utili[sz]ed|chosen)\b|\bwe (?:interviewed|recruited|conducted|used|analy[sz]ed|"
        r"performed|carried out|collected|searched|surveyed)\b|\bdata (?:were|was)\b"
        r"|\bsemi-?structured\b|\bin-?depth interviews\b|\bfocus groups?\b|\bquestionnaires?\b"
        r"|\b(?:thematic|template|content|framework|discourse|narrative|conversation|qualitative|"
        r"statistical|regression|phenomenological) "
        r"analy|\bmethodolog|\bstudy design\b|\bdesign was\b|\bdatabases? were searched\b"
        r"|\brandomi[sz]ed\b|\bentretiens?\b|\bont ete (?:interroges|recrutes|analyses)\b"
        r"|\banalyse (?:thematique|qualitative|de contenu)\b|\bdevis\b|\bmethodes?\b"
        r"|\btext condensation\b"
    ),
    "participants": re.compile(
        r"\b(?:participants?|respondents|informants|interviewees)\b.*\b(?:were|included|"
        r"comprised|consisted|aged|took part)\b|\btook part\b|\bsample (?:of|size|comprised)\b"
        r"|\bn ?= ?\d|\baged\b|\byears of age\b|\bmean age\b|\bechantillon\b|\bages? de\b"
    ),
    "setting": re.compile(
        r"\b(?:was|were) (?:conducted|carried out|performed|undertaken|done) in\b"
        r"|\bstudy setting\b|\btook place (?:in|at)\b|\bs'est deroulee?\b|\ba ete menee?\b"
    ),
    "results": re.compile(
        r"\b(?:themes?|categories|subthemes?) (?:were|was|emerged|identified)\b"
        r"|\b(?:main |three |two |four |five )?themes? (?:were|emerged)\b"
        r"|\b(?:results|findings|analysis) (?:show|showed|shows|revealed|reveal|indicate|"
        r"indicated|identified|demonstrated|suggest)\b|\bwe found\b|\b(?:was|were) found\b"
        r"|\bidentified\b|\bemerged\b|\brevealed\b|\breported (?:that|feeling|being)\b"
        r"|\bsignificant(?:ly)?\b|\bvalued\b|\bappreciated\b|\bexperienced\b"
        r"|\bthemes?\b|\bresultats\b|\brevele\w*\b|\bont (?:montre|identifie|rapporte)\b"
        r"|\bressort\w*\b|\bthemes?\b"
    ),
    "conclusions": re.compile(
        r"\bwe conclude\b|\bin conclusion\b|\bconclude[sd]? that\b|\bimplications?\b"
        r"|\b(?:our|these|the) (?:findings|results|study) (?:suggest|indicate|highlight|"
        r"demonstrate|show|support|underline|emphasi[sz]e)\b|\bsuggests? that\b"
        r"|\bmore research\b|\bfurther research\b|\ben conclusion\b|\bnous concluons\b"
    ),
    # Weaker: a recommendation reads as a conclusion only when nothing else speaks.
    "advice": re.compile(
        r"\bshould\b|\bneeds? to be\b|\brecommend\w*\b|\bdevrai\w*\b|\bdoi(?:t|vent) etre\b"
        r"|\bpistes?\b|\bmust\b"
    ),
    "limitations": re.compile(
        r"\blimitations?\b|\bwas limited by\b|\bis limited by\b|\blimites? de (?:cette|l)"
    ),
}
# Checked in this order: the first part whose cue matches wins (aims and conclusions are
# stated most explicitly; results cues are the loosest).
CUE_ORDER = (
    "aim",
    "limitations",
    "conclusions",
    "participants",
    "setting",
    "method",
    "results",
    "advice",
)

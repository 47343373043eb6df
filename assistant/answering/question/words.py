"""Word lists the question reader needs: function words, question words, catalogue words.

Kept apart so the reader's rules stay short. All entries are folded (lower case, no accents).
"""

from __future__ import annotations

# Never a name, however written: function and question words in English and French.
STOP = frozenset(
    """
a an the and or but if of to in on at by for from with without about into onto over under
as is are was were be been being do does did done have has had having will would shall
should can could may might must not no nor so than that this these those there here then
what which who whom whose when where why how whether all any each every some most more
many much few other another such only own same very just also too both either neither
i me my we our you your he him his she her it its they them their one ones
paper papers study studies article articles work works research author authors publication
publications journal journals venue year years title titles doi record records index corpus
tell show give list name find found summarise summarize summary explain describe please
et al colleagues coauthors co team group
le la les un une des du de d l et ou mais si au aux en dans sur pour par avec sans sous
est sont etait ete etre ont a ai avait fait faire ce cet cette ces qui que quoi qu quel
quelle quels quelles quand comment pourquoi combien ou il elle ils elles on nous vous je
leur leurs son sa ses mon ma mes ton ta tes y ne pas plus moins tous tout toutes toute
article etude etudes auteur auteurs revue annee titre ecrit publie publies parle selon
""".split()
)

# Words that only ask for a list or frame a bibliographic request; no topic of their own.
FRAME = frozenset(
    """
paper papers study studies article articles work works research publication publications
record records entry entries source sources reference references document documents
abstract abstracts item items ones index corpus collection database library
published publish appeared appear came come written write wrote authored released
list lists listing show give tell name count number many much how which what all every
everything anything any there exist exists available have has contain contains include
includes held hold journal journals venue venues year years date dated between since after
before until from in during by et al colleagues coauthors co authors author team
me please find found get see
quels quelles quel quelle articles etudes travaux publications documents references
combien liste lister montre montrer donne donner nommer tous toutes publie publies publiee
publiees parus paru revue revues annee annees depuis apres avant entre par auteur auteurs
""".split()
)

# "What did X find?": verbs that ask about a paper's content.
CONTENT_VERBS = frozenset(
    """
find found finding findings conclude concluded conclusion conclusions show showed shown
say said says report reported reports argue argued suggest suggested results result
summarise summarize summary summarising summarizing recommend recommended propose proposed
explain explained describe described discuss discussed observe observed identify identified
claim claimed learn learned main key takeaways take-away about study studied examine
examined explore explored investigate investigated conclut conclu trouve montre montrent
dit disent rapporte resume resumer resultats constats conclusions propose explique decrit
use used employ employed apply applied conduct conducted do interview interviewed recruit
recruited collect collected measure measured analyse analysed analyze analyzed survey
surveyed compare compared utilise utilised utilize utilized utilisent utilise mesure
""".split()
)

# Nouns among the STOP words: "by Norwegian authors" is not "by <name>".
NOUNS = frozenset(
    """
paper papers study studies article articles work works research author authors publication
publications journal journals venue year years title titles doi record records index corpus
team group colleagues coauthors etude etudes auteur auteurs revue annee titre travail people
""".split()
)

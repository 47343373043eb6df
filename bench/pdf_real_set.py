"""The real article PDFs of ``bench/pdf_real.py``: where each comes from and what it prints.

Every file ships inside a Debian package (Debian 12 "bookworm"), fetched with ``apt-get
download`` and unpacked with ``dpkg -x``; nothing is installed. Two families of layout:

- R package vignettes (``r-cran-*``): articles by statisticians, most of them the Journal
  of Statistical Software (JSS) paper of the package in jss.cls's preprint form (title,
  an author grid with affiliations, "Abstract" over a boxed abstract, "Keywords"), plus
  a pinp (PNAS-like two-column) paper, an amsart-like one, plain LaTeX articles, and
  preprints with a publisher's notice in a footnote or the abstract. The package's
  ``CITATION`` file gives the published version (``published`` below); the vignette is
  often "a (slightly) modified version" of it, so its printed title can differ.
- Publisher and society sample articles from ``texlive-publishers-doc``: the classes
  journals give their authors (ACM, APS and AIP REVTeX, AAS, Elsevier, PMLR, Quantum,
  Annals of Mathematics, EJP/ECP, TUGboat, MNRAS, SPIE, JACoW, The PracTeX Journal), each
  typeset as the journal prints it: running heads, citation lines, DOIs, author grids,
  e-mail and affiliation blocks. Their metadata are the classes' placeholders ("The Name
  of the Title Is Hope"), which does not matter here: what is measured is whether the
  reader takes what the page prints.

The truth is what the file itself prints about itself (a vignette that only says a
version of it appeared in JSS prints no venue of its own): ``title``, ``authors`` (as
printed, in order), ``year``, ``venue``, ``doi``; a tuple lists the readings that count
as right, ``None`` that the file prints none (a reader must then give none). ``front`` are
strings of front matter (affiliations, addresses, notices, running heads) that must not
be in the indexed text; e-mail addresses are looked for in every file.
Licences: the R packages are GPL-2/GPL-3 (vignettes included); the texlive samples are
LPPL 1.3c. Both permit redistribution.
"""

from __future__ import annotations

from typing import Any

R = "usr/lib/R/site-library"
TL = "usr/share/doc/texlive-doc/latex"
JSS = "Journal of Statistical Software"

SET: list[dict[str, Any]] = [
    # --- R vignettes: JSS preprint layout (jss.cls), author grid ---
    dict(name="zoo.pdf", package="r-cran-zoo", member=f"{R}/zoo/doc/zoo.pdf",
         title="zoo: An S3 Class and Methods for Indexed Totally Ordered Observations",
         authors=["Achim Zeileis", "Gabor Grothendieck"], year=None, venue=None, doi=None,
         front=["Universität Innsbruck", "GKX Associates"],
         published="JSS 14(6), 2005, doi:10.18637/jss.v014.i06 (title differs)"),
    dict(name="sandwich.pdf", package="r-cran-sandwich", member=f"{R}/sandwich/doc/sandwich.pdf",
         title="Econometric Computing with HC and HAC Covariance Matrix Estimators",
         authors=["Achim Zeileis"], year=None, venue=None, doi=None,
         front=["Universität Innsbruck"], published="JSS 11(10), 2004, doi:10.18637/jss.v011.i10"),
    dict(name="lmer.pdf", package="r-cran-lme4", member=f"{R}/lme4/doc/lmer.pdf",
         title="Fitting Linear Mixed-Effects Models Using lme4",
         authors=["Douglas Bates", "Martin Mächler", "Benjamin M. Bolker", "Steven C. Walker"],
         year=(None, 2015), venue=(None, JSS), doi=(None, "10.18637/jss.v067.i01"),
         front=["University of Wisconsin-Madison", "McMaster University", "ETH Zurich"],
         published="JSS 67(1), 2015, doi:10.18637/jss.v067.i01"),
    dict(name="countreg.pdf", package="r-cran-pscl", member=f"{R}/pscl/doc/countreg.pdf",
         title="Regression Models for Count Data in R",
         authors=["Achim Zeileis", "Christian Kleiber", "Simon Jackman"],
         year=None, venue=None, doi=None,
         front=["Universität Innsbruck", "Universität Basel", "Stanford University"],
         published="JSS 27(8), 2008"),
    dict(name="strucchange-intro.pdf", package="r-cran-strucchange",
         member=f"{R}/strucchange/doc/strucchange-intro.pdf",
         title="strucchange: An R Package for Testing for Structural Change in Linear "
               "Regression Models",
         authors=["Achim Zeileis", "Friedrich Leisch", "Kurt Hornik", "Christian Kleiber"],
         year=None, venue=None, doi=None, front=[],
         published="JSS 7(2), 2002, doi:10.18637/jss.v007.i02"),
    dict(name="MOB.pdf", package="r-cran-party", member=f"{R}/party/doc/MOB.pdf",
         title="party with the mob: Model-Based Recursive Partitioning in R",
         authors=["Achim Zeileis", "Torsten Hothorn", "Kurt Hornik"],
         year=None, venue=None, doi=None,
         front=["Universität Innsbruck", "Ludwig-Maximilians-", "WU Wirtschafts-"],
         published="the method: J. Comput. Graph. Stat. 17(2), 2008 (this: the package)"),
    dict(name="brms_overview.pdf", package="r-cran-brms",
         member=f"{R}/brms/doc/brms_overview.pdf",
         title="brms: An R Package for Bayesian Multilevel Models using Stan",
         authors=["Paul-Christian Bürkner"], year=None, venue=None, doi=None, front=[],
         published="JSS 80(1), 2017, doi:10.18637/jss.v080.i01"),
    dict(name="strucplot.pdf", package="r-cran-vcd", member=f"{R}/vcd/doc/strucplot.pdf",
         title="The Strucplot Framework: Visualizing Multi-way Contingency Tables with vcd",
         authors=["David Meyer", "Achim Zeileis", "Kurt Hornik"],
         year=None, venue=None, doi=None, front=["Wirtschaftsuniversität Wien, Austria"],
         published="JSS 17(3), 2006, doi:10.18637/jss.v017.i03"),
    dict(name="Rcpp-jss-2011.pdf", package="r-cran-rcpp", member=f"{R}/Rcpp/doc/Rcpp-jss-2011.pdf",
         title="Rcpp: Seamless R and C++ Integration",
         authors=["Dirk Eddelbuettel", "Romain François"], year=(None, 2022),
         venue=(None, JSS), doi=None, front=["Debian Project", "R Enthusiasts"],
         published="JSS 40(8), 2011, doi:10.18637/jss.v040.i08"),
    # --- R vignettes: other layouts ---
    dict(name="Rcpp-introduction.pdf", package="r-cran-rcpp",
         member=f"{R}/Rcpp/doc/Rcpp-introduction.pdf",
         title="Extending R with C++: A Brief Introduction to Rcpp",
         authors=["Dirk Eddelbuettel", "James Joseph Balamuta"], year=(None, 2022),
         venue=None, doi=None,
         front=["Debian and R Projects; Chicago", "Univ. of Illinois at Urbana-Champaign"],
         published="The American Statistician 72(1), 2018, doi:10.1080/00031305.2017.1375990 "
                   "(pinp two-column layout)"),
    dict(name="LegoCondInf.pdf", package="r-cran-coin", member=f"{R}/coin/doc/LegoCondInf.pdf",
         title="A Lego System for Conditional Inference",
         authors=["Torsten Hothorn", "Kurt Hornik", "Mark A. van de Wiel", "Achim Zeileis"],
         year=2006, venue="The American Statistician", doi=None,
         front=["Waldstraße 6", "Augasse 2-6", "Copyright © 2006 American Statistical"],
         published="The American Statistician 60(3), 2006 (numbered affiliations, e-mail)"),
    dict(name="MAXtest.pdf", package="r-cran-coin", member=f"{R}/coin/doc/MAXtest.pdf",
         title="Order-restricted Scores Test for the Evaluation of Population-based "
               "Case-control Studies when the Genetic Model is Unknown",
         authors=["Ludwig A. Hothorn", "Torsten Hothorn"], year=2009,
         venue="Biometrical Journal", doi=None,
         front=["Leibniz Universität Hannover", "WILEY-VCH Verlag"],
         published="Biometrical Journal (the notice sits inside the abstract)"),
    dict(name="rq.pdf", package="r-cran-quantreg", member=f"{R}/quantreg/doc/rq.pdf",
         title="Quantile Regression in R: A Vignette", authors=["Roger Koenker"],
         year=(None, 2019), venue=None, doi=None, front=["Version: June 28, 2019"],
         published="none (amsart-like: title and author in capitals at body size)"),
    dict(name="adjcurve.pdf", package="r-cran-survival",
         member="usr/lib/R/library/survival/doc/adjcurve.pdf",
         title="Adjusted Survival Curves",
         authors=["Terry M Therneau", "Cynthia S Crowson", "Elizabeth J Atkinson"],
         year=2015, venue=None, doi=None, front=[], published="none (plain LaTeX article)"),
    dict(name="intro_sp.pdf", package="r-cran-sp", member=f"{R}/sp/doc/intro_sp.pdf",
         title="Classes and Methods for Spatial Data: the sp Package",
         authors=["Edzer Pebesma", "Roger S. Bivand"], year=2005, venue=None, doi=None,
         front=[], published="none (plain LaTeX, footnoted affiliations)"),
    # --- publisher and society sample articles (texlive-publishers-doc) ---
    dict(name="sample-sigconf.pdf", package="texlive-publishers-doc",
         member=f"{TL}/acmart/samples/sample-sigconf.pdf",
         title="The Name of the Title Is Hope",
         authors=["Ben Trovato", "G.K.M. Tobin", "Lars Thørväld", "Valerie Béranger",
                  "Aparna Patel", "Huifen Chan", "Charles Palmer", "John Smith",
                  "Julius P. Kumquat"],
         year=2018,
         venue="Proceedings of Make sure to enter the correct conference title from your "
               "rights confirmation emai (Conference acronym 'XX)",
         doi=None, front=["Institute for Clarity in Documentation", "Hekla, Iceland"],
         published="ACM two-column proceedings: author grid, ACM Reference Format"),
    dict(name="sample-acmsmall.pdf", package="texlive-publishers-doc",
         member=f"{TL}/acmart/samples/sample-acmsmall.pdf",
         title="The Name of the Title Is Hope",
         authors=["Ben Trovato", "G.K.M. Tobin", "Lars Thørväld", "Valerie Béranger",
                  "Aparna Patel", "Huifen Chan", "Charles Palmer", "John Smith",
                  "Julius P. Kumquat"],
         year=2018, venue=("J. ACM", "Journal of the ACM"), doi=None,
         front=["Authors’ addresses", "Publication date: August 2018"],
         published="ACM journal: names in capitals with affiliations on the line"),
    dict(name="apssamp.pdf", package="texlive-publishers-doc",
         member=f"{TL}/revtex4-1/sample/aps/apssamp.pdf",
         title="Manuscript Title: with Forced Linebreak",
         authors=["Ann Author", "Second Author", "Charlie Author", "Delta Author"],
         year=2010, venue=None, doi=None,
         front=["Authors’ institution and/or address", "Second institution and/or address"],
         published="APS REVTeX two-column"),
    dict(name="aipsamp.pdf", package="texlive-publishers-doc",
         member=f"{TL}/revtex4-1/sample/aip/aipsamp.pdf",
         title="Sample Title: with Forced Linebreak",
         authors=["A. Author", "B. Author", "C. Author"], year=2009, venue=None, doi=None,
         front=["Authors’ institution and/or address", "Electronic mail"],
         published="AIP REVTeX"),
    dict(name="sample631.pdf", package="texlive-publishers-doc",
         member=f"{TL}/aastex/sample631.pdf",
         title="Template AASTEXArticle with Examples: v6.31",
         authors=["Greg J. Schwarz", "August Muench", "Butler Burton", "Amy Hendrickson",
                  "Julie Steffen", "Magaret Donnelly"],
         year=2021, venue=None, doi=None,
         front=["1667 K Street NW", "Typeset using"], published="AAS journals (AASTeX 6.31)"),
    dict(name="elstest-5p.pdf", package="texlive-publishers-doc",
         member=f"{TL}/elsarticle/elstest-5p.pdf",
         title="This is a specimen a_b title",
         authors=["Jos Migchielsen", "CV Radhakrishnan", "CV Rajagopal"],
         year=2018, venue=None, doi=None,
         front=["Radarweg 29", "Preprint submitted to"], published="Elsevier two-column"),
    dict(name="pmlr-sample.pdf", package="texlive-publishers-doc",
         member=f"{TL}/jmlr/pmlr-sample.pdf",
         title="Full Title of Article This Title Has A Line Break",
         authors=(["Author Name1", "Author Name2"], ["Author Name", "Author Name"]),
         year=2010, venue="Proceedings of Machine Learning Research", doi=None,
         front=["Editor’s name"], published="PMLR"),
    dict(name="quantum-template.pdf", package="texlive-publishers-doc",
         member=f"{TL}/quantumarticle/quantum-template.pdf",
         title="Template demonstrating the quantumarticle document class",
         authors=["Lídia del Rio", "Christian Gogolin", "Marcus Huber", "Cassandra Granade",
                  "Johannes Jakob Meyer", "Victor V. Albert"],
         year=2017, venue="Quantum", doi=None,
         front=["8093 Zurich", "Accepted in Quantum"], published="Quantum two-column"),
    dict(name="aomsample.pdf", package="texlive-publishers-doc",
         member=f"{TL}/aomart/aomsample.pdf",
         title="Sample Paper for the aomart Class",
         authors=(["Boris Veytsman"], ["American Mathematical Society", "Boris Veytsman"]),
         year=2008, venue="Annals of Mathematics", doi="10.4007/annals.2008.160.1.12",
         front=["© 2008–2020 Boris Veytsman"], published="Annals of Mathematics"),
    dict(name="ejpecp-sample.pdf", package="texlive-publishers-doc",
         member=f"{TL}/ejpecp/sample.pdf",
         title="Introduction to the ejpecp Class Version 1.11.1",
         authors=["Krzysztof Burdzy", "Djalil Chafaï"], year=2020,
         venue=("Electron. Commun. Probab.", "Electronic Communications in Probability"),
         doi="10.1214/YY-TN", front=["Submitted to ECP on", "ISSN: 1083-589X"],
         published="Electronic Journal/Communications in Probability"),
    dict(name="ltubguid.pdf", package="texlive-publishers-doc", member=f"{TL}/tugboat/ltubguid.pdf",
         title="The LaTeX 2ε TUGboat macros",
         authors=(["Robin Fairbairns"], ["Robin Fairbairns", "TUGboat editors"]),
         year=(None, 2023), venue="TUGboat", doi=None, front=["draft: January 16, 2023"],
         published="TUGboat two-column"),
    dict(name="mnras_guide.pdf", package="texlive-publishers-doc",
         member=f"{TL}/mnras/mnras_guide.pdf",
         title="Monthly Notices of the Royal Astronomical Society: LaTeX guide for authors",
         authors=["Keith T. Smith"], year=2020,
         venue=("MNRAS", "Monthly Notices of the Royal Astronomical Society"), doi=None,
         front=["Burlington House", "Compiled using MNRAS"], published="MNRAS"),
    dict(name="spie-article.pdf", package="texlive-publishers-doc", member=f"{TL}/spie/article.pdf",
         title="Style template and guidelines for SPIE Proceedings",
         authors=["Anna A. Author", "Barry B. Author"], year=None, venue=None, doi=None,
         front=["Address, City, Country", "Telephone: 1 505"], published="SPIE proceedings"),
    dict(name="JACoW_LaTeX_A4.pdf", package="texlive-publishers-doc",
         member=f"{TL}/jacow/JACoW_LaTeX_A4.pdf",
         title="Preparation of Papers for JACoW Conferences",
         authors=["A. N. Author", "H. Coauthor", "P. Contributor"], year=None, venue=None,
         doi=None, front=["Name of Institute or Affiliation"],
         published="JACoW conference proceedings two-column"),
    dict(name="pjsample.pdf", package="texlive-publishers-doc",
         member=f"{TL}/pracjourn/pjsample.pdf",
         title="Example of a PracTeX Journal article", authors=["Will Robertson"],
         year=2006, venue=(None, "The PracTeX Journal"), doi=None,
         front=["Adelaide, Australia", "Sleeping in"], published="The PracTeX Journal"),
]  # fmt: skip

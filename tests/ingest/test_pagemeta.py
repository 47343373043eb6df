"""Article pages that describe their paper in <meta> tags (Highwire citation_*, Dublin
Core): read as that paper, with its metadata, whatever the visible text looks like."""

from pathlib import Path

from ingest.documents import records_from_file

LANDING = """<!doctype html><html lang="en"><head>
<title>Group running and mood | Sport &amp; Health</title>
<meta name="citation_title" content="Group running and mood: a one-year cohort study">
<meta name="citation_author" content="Moreau, Camille">
<meta name="citation_author" content="Nw&#233;ke, Obinna">
<meta name="citation_author" content="van der Berg, Anouk">
<meta name="citation_publication_date" content="2017/05/02">
<meta name="citation_journal_title" content="Sport &amp; Health">
<meta name="citation_volume" content="12">
<meta name="citation_firstpage" content="233">
<meta name="citation_lastpage" content="241">
<meta name="citation_doi" content="https://doi.org/10.5678/sh.2017.0233">
<meta name="citation_language" content="en-GB">
<meta name="citation_keywords" content="running; mood; social support">
<meta name="citation_abstract" content="&lt;p&gt;Abstract: Members of community running
  clubs were followed for a year. Weekly group runners reported better mood.&lt;/p&gt;">
</head><body>
<nav>Journals | Subscribe | Log in</nav>
<h1>Group running and mood: a one-year cohort study</h1>
<p>Camille Moreau, Obinna Nwéke, Anouk van der Berg</p>
<h2>Related articles</h2>
<ul><li>Swimming and sleep quality in adolescents: a cross-sectional survey of forty schools</li>
<li>Cycling to work and blood pressure in middle age: a cohort from three cities</li></ul>
<footer>© Publisher. Cookie settings.</footer>
</body></html>"""


def read(tmp_path: Path, markup: str, name: str = "article.html"):
    path = tmp_path / name
    path.write_text(markup, encoding="utf-8")
    return records_from_file(path, path.read_bytes(), name, 10_000_000)


def test_a_landing_page_is_its_paper_with_the_tags_metadata(tmp_path):
    (record,) = read(tmp_path, LANDING)
    assert record.title == "Group running and mood: a one-year cohort study"
    assert record.authors == ("Moreau, Camille", "Nwéke, Obinna", "van der Berg, Anouk")
    assert (record.year, record.venue, record.volume) == (2017, "Sport & Health", "12")
    assert (record.pages, record.doi, record.language) == ("233-241", "10.5678/sh.2017.0233", "en")
    assert record.keywords == ("running", "mood", "social support")
    assert record.abstract == (
        "Members of community running clubs were followed for a year. "
        "Weekly group runners reported better mood."
    )  # the tag's markup and its "Abstract:" label gone; the related list is not the paper
    assert record.kind == "page" and record.origins == ["article.html"]


def test_without_an_abstract_tag_the_pages_prose_is_the_abstract(tmp_path):
    body = (
        "We followed 412 members of community running clubs for one year and measured mood "
        "every month. Those who ran in groups at least weekly reported better mood and less "
        "stress than those who ran alone, after adjusting for the distance they ran."
    )
    markup = (
        '<html><head><meta name="citation_title" content="Running together">'
        '<meta name="citation_author" content="Camille Moreau">'
        '<meta name="citation_date" content="2019">'
        f"</head><body><article><h1>Running together</h1><p>{body}</p></article></body></html>"
    )
    (record,) = read(tmp_path, markup)
    assert (record.title, record.authors, record.year) == (
        "Running together",
        ("Camille Moreau",),
        2019,
    )
    assert record.abstract == body


def test_dublin_core_tags_describe_a_paper_when_they_name_its_authors(tmp_path):
    markup = (
        '<html><head><meta name="DC.title" content="Allotments and loneliness in later life">'
        '<meta name="DC.creator" content="Okafor, Ngozi">'
        '<meta name="DC.creator" content="Lee, Min">'
        '<meta name="DC.date.issued" content="2016-09-01">'
        '<meta name="DC.identifier" content="doi:10.1111/ajag.2016.77">'
        '<meta name="DC.language" content="eng"></head><body><p>Repository record.</p></body>'
    )
    (record,) = read(tmp_path, markup)
    assert record.title == "Allotments and loneliness in later life"
    assert record.authors == ("Okafor, Ngozi", "Lee, Min")
    assert (record.year, record.doi, record.language) == (2016, "10.1111/ajag.2016.77", "en")


def test_a_page_whose_tags_name_no_paper_is_left_to_its_text(tmp_path):
    """A site title in DC.title is not a paper: the page's paragraphs are read as before."""
    paragraph = (
        "Peer support workers draw on their own experience of mental distress to support "
        "others, and service users value the hope, empathy and practical help they offer in "
        "community mental health teams."
    )
    markup = (
        '<html><head><meta name="DC.title" content="The Recovery Blog">'
        '<meta name="description" content="Posts about recovery"></head>'
        f"<body><p>{paragraph}</p><p>{paragraph.replace('Peer', 'Trained peer')}</p></body>"
    )
    records = read(tmp_path, markup)
    assert len(records) == 2 and all(r.title is None for r in records)

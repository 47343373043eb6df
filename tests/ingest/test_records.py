"""Page splitting, cleaning, language guessing and record merging.

Seeds are real scraped pages (one per page family); ``tests/data/pages`` holds invented
pages of the same families with other shapes, which show the rules are general.
"""

from __future__ import annotations

import itertools
import random
import re
from pathlib import Path

import pytest

from ingest.clean import clean_text, is_boilerplate_line, smart_title_case, strip_abstract_label
from ingest.language import detect_language
from ingest.records import detect_family, merge_records, split_records
from vocab.record import Record

ROOT = Path(__file__).resolve().parents[2]
PAGES = ROOT / "tests" / "data" / "pages"

BOILERPLATE = [
    "Sign in", "Sign up", "Export Citation", "Share Document", "Reprints", "Permissions",
    "permissions", "Rightslink", "scite", "Smart Citations", "Altmetric", "CrossRef citations",
    "Research Article", "Fiche du document", "Type de document", "Citer ce document",
    "Ce document est lié", "Métriques", "Partage / Export", "Résumé En", "document thumbnail",
    "Par les mêmes auteurs", "Sur les mêmes", "Exporter en", "All Rights Reserved", "©",
    "被引", "作者", "机构", "关键词", "中图分类号", "学科分类号", "摘要", "相关论文", "共 50 条",
    "D O I", "页数", "Published online", "◽", "Author(s)", "cookies",
]  # fmt: skip


def seed(prefix: str) -> list[Record]:
    """Records of the seed page whose file name starts with ``prefix``."""
    (path,) = (ROOT / "seeds").glob(f"{prefix}_*.txt")
    return split_records(path.read_text(encoding="utf-8"), str(path))


def page(name: str) -> list[Record]:
    """Records of a synthetic page."""
    path = PAGES / name
    return split_records(path.read_text(encoding="utf-8"), str(path))


def record_texts(record: Record) -> list[str]:
    """Every text field of a record."""
    fields = [record.title or "", record.abstract, record.venue or "", *record.authors]
    return [*fields, *record.keywords, *record.translations.values()]


def assert_no_boilerplate(records: list[Record]) -> None:
    """No site chrome in any field of any record."""
    for record in records:
        for text in record_texts(record):
            for phrase in BOILERPLATE:
                assert phrase not in text, (phrase, text[:80])


def test_all_seeds_and_pages_are_free_of_boilerplate() -> None:
    records = [r for p in (ROOT / "seeds").glob("*.txt") for r in split_records(p.read_text())]
    records += [r for p in PAGES.iterdir() for r in split_records(p.read_text(encoding="utf-8"))]
    assert len(records) >= 23 + 19
    assert_no_boilerplate(records)
    for record in records:
        assert record.title or record.abstract
        assert "..." not in record.authors and all(a == a.strip() for a in record.authors)


def test_seed_families_are_detected_by_structure() -> None:
    families = {
        p.name[:3]: detect_family(clean_text(p.read_text())) for p in (ROOT / "seeds").iterdir()
    }
    assert families == {
        "000": "paragraphs",
        "001": "listing",
        "002": "publisher",
        "003": "erudit",
        "004": "citation_index",
    }
    text = next((ROOT / "seeds").glob("001_*")).read_text()
    renamed = split_records(text, "elsewhere/whatever.md")
    assert [r.to_dict() | {"path": ""} for r in renamed] == [
        r.to_dict() | {"path": ""} for r in seed("001")
    ]


# --- seeds ---------------------------------------------------------------------------


def test_seed_000_bare_abstracts() -> None:
    records = seed("000")
    assert len(records) == 2
    assert [r.title for r in records] == [None, None]
    assert records[0].abstract.startswith("The purpose of this article is to present")
    assert records[0].abstract.endswith("recognition in the wider society.")
    assert records[1].abstract.startswith("This article presents findings")
    assert records[1].abstract.endswith("by professionals in other services.")
    assert {r.language for r in records} == {"en"}
    assert all(r.path.endswith(".txt") and "000_" in r.path for r in records)


LISTING_001 = [
    # authors, year, volume, pages, abstract start, abstract end
    (["David Rosenberg", "Elisabeth Argentzell"], 2018, "5 (1)", "53-61", "", ""),
    (
        ["Monica Strand", "Deede Gammon", "Lillian Sofie Eng", "Cornelia Ruland"],
        2018, None, None, "BACKGROUND Peer support groups", "and warrants continued research.",
    ),
    (["Megan L Howes", "Diane Ellison"], 2021, None, "030802262110181",
     "Introduction There is recognition", "with mental illness and their care-giver."),
    (["D Stimac Grbic", "I Pavic Simetin", "A Istvanovic"], 2020, "30 (Supplement_5)", None,
     "Issue Care for people with severe", "therapeutic goal can be achieved."),
    (
        ["Anna P. Folker", "Mette M. Kristensen", "Amalie O. Kusier", "Maj Britt D. Nielsen",
         "Sigurd M. Lauridsen"],
        2019, "29 (13)", "1916-1929", "Continuity of mental health care is central",
        "tailored to the priorities of service users.",
    ),
    (["Patrick Daigle", "Abraham Rudnick"], 2020, "1 (1)", "31-35", "This paper presents an",
     "to optimize the implementation of such a shift."),
    (["T. J. Craig"], 2018, "28 (1)", "4-8", "This study is aimed at the importance",
     "living well regardless of enduring symptoms."),
    (["Andrew Voyce"], 2019, "23 (2)", "81-85", "Purpose The purpose of this paper",
     "from experience of the mental health system."),
    (
        ["Richard Mpango", "Jasmine Kalha", "Donat Shamba", "Mary Ramesh", "Fileuka Ngakongwa"],
        2020, "16 (1)", None, "Background A recent editorial urged",
        "about mental health in low-resource settings.",
    ),
]  # fmt: skip


def test_seed_001_listing() -> None:
    records = seed("001")
    assert len(records) == len(LISTING_001) == 9
    assert records[0].title == (
        "Service Users Experience of Peer Support in Swedish Mental Health Care: "
        "A “Tipping Point” in the Care-Giving Culture?"
    )
    assert [r.title for r in records[1:]] == [None] * 8
    for record, (authors, year, volume, pages, start, end) in zip(
        records, LISTING_001, strict=True
    ):
        assert record.authors == tuple(authors)
        assert (record.year, record.volume, record.pages) == (year, volume, pages)
        assert record.abstract.startswith(start) and record.abstract.endswith(end)
        assert record.doi is None and record.venue is None
    assert "ReConnect" in records[1].abstract  # the abstract after the title-only entry
    assert all(r.language == "en" for r in records)
    assert not any(r.abstract.startswith("Abstract") for r in records)


def test_seed_002_publisher_page() -> None:
    (record,) = seed("002")
    assert record.title == (
        "Recovery-oriented professionals: Helping relationships in mental health services"
    )
    assert record.authors == ()
    assert (record.year, record.pages, record.doi, record.venue) == (2009, "493-505", None, None)
    assert record.abstract.startswith("Background: Traditionally mental health services")
    assert record.abstract.endswith("preferences of each individual service user.")
    assert record.language == "en"


def test_seed_003_erudit_record() -> None:
    (record,) = seed("003")
    assert record.title == (
        "Staying Connected: Service-User Experience of the Recovery Journey and Long-Term "
        "Engagement with a Mental Health Clinic"
    )
    assert record.authors == ("Lyuda Krupin", "Nick Todd", "Eric Howey", "Tara Perry")
    assert (record.year, record.venue, record.volume) == (
        2023,
        "Canadian Social Work Review",
        "40 (1)",
    )
    assert record.doi == "10.7202/1100664ar"
    assert record.language == "en"
    assert record.abstract.startswith("While there has been much interest in recent years")
    assert record.abstract.endswith("mental health services are discussed.")
    assert list(record.translations) == ["fr"]
    assert record.translations["fr"].startswith("Si l’impact potentiel des thérapies brèves")
    assert record.translations["fr"].endswith("en santé mentale sont discutées.")


RELATED_004 = [
    ("Empowered service users: peer workers co-production", ["Akerblom, Kristina Bakke",
     "Tritter, Jonathan Quetzal"], "PUBLIC MANAGEMENT REVIEW", 2024, None, None),
    ("Another rather than other:", ["Berry, Clio", "Hayward, Mark I.", "Chandler, Ruth"],
     "JOURNAL OF PUBLIC MENTAL HEALTH", 2011, "10 (04)", "238"),
    ("Peer workers as emotion managers:", ["Kirkegaard, Sine", "Andersen, Ditte"],
     "SSM-QUALITATIVE RESEARCH IN HEALTH", 2022, "2", None),
    ("The Integration of Youth Peer Workers", ["Ardill-Young, Oliver", "Curtis, Jackie",
     "Hodgins, Michael", "Leung, Sarah", "Lingham, Raghu", "Singh, Rose"],
     "INTERNATIONAL JOURNAL OF INTEGRATED CARE", 2024, "24", None),
    ("Peer workers' perceptions and experiences of barriers", ["Vandewalle, Joeri",
     "Debyser, Bart", "Beeckman, Dimitri", "Vandecasteele, Tina", "Van Hecke, Ann",
     "Verhaeghe, Sofie"], "INTERNATIONAL JOURNAL OF NURSING STUDIES", 2016, "60", "234-250"),
    ("Municipal managers' perceptions on health promotion", ["Fracolli, Lislaine Aparecida",
     "Pereira Gomes, Maria Fernanda", "Pinho Lins Gryschek, Anna Luiza de Fatima"],
     "SAUDE E SOCIEDADE", 2014, "23 (03)", "919-927"),
    ("An exploration of recovery competence", ["Sorly, Rita", "Sivertsen, Kristina",
     "Mydland, Trond Stalsberg"], "SOCIAL WORK IN MENTAL HEALTH", 2022, "20 (01)", "44-59"),
    ("Liminality in the occupational identity", ["Simpson, Alan", "Oster, Candice",
     "Muir-Cochrane, Eimear"], "INTERNATIONAL JOURNAL OF MENTAL HEALTH NURSING", 2018,
     "27 (02)", "662-671"),
    ("Attitudes of Peer Support Workers towards the Medical Model", ["Ruiz-Perez, Guillermo",
     "von Peter, Sebastian"], "COMMUNITY MENTAL HEALTH JOURNAL", 2025, None, None),
]  # fmt: skip


def test_seed_004_citation_index_main_paper() -> None:
    main = seed("004")[0]
    assert re.sub("[’']", "'", main.title or "") == (
        "Managers as peer workers' allies: A qualitative study of managers' perceptions and "
        "actions to involve peer workers in Norwegian mental health and substance use services"
    )
    # Entry [1] is the paper itself: merged, keeping its accented names, venue and volume.
    assert main.authors == (
        "Kristina Bakke Åkerblom",
        "Torbjørn Mohn-Haugen",
        "Rita Agdal",
        "Ottar Ness",
    )
    assert main.doi == "10.1186/s13033-023-00588-5"
    assert (main.venue, main.volume) == ("International Journal of Mental Health Systems", "17")
    assert main.year is None  # the page gives no year for this paper
    assert main.keywords[:3] == (
        "Peer workers",
        "Management",
        "Mental health and substance use services",
    )
    assert main.keywords[-1] == "CARE" and len(main.keywords) == 15
    assert main.abstract.startswith("Background Citizens with experience and knowledge")
    assert main.abstract.endswith("utilizing and evaluating peer worker roles.")
    assert "with peer workers. Methods A qualitative" in main.abstract
    assert main.language == "en"


def test_seed_004_related_papers() -> None:
    related = seed("004")[1:]
    assert len(related) == len(RELATED_004) == 9
    for record, (title, authors, venue, year, volume, pages) in zip(
        related, RELATED_004, strict=True
    ):
        assert record.title and record.title.startswith(title)
        assert record.authors == tuple(authors)
        assert (record.venue, record.year, record.volume, record.pages) == (
            venue, year, volume, pages,
        )  # fmt: skip
        assert record.abstract == "" and record.doi is None


def test_seeds_total() -> None:
    counts = [len(seed(p)) for p in ("000", "001", "002", "003", "004")]
    assert counts == [2, 9, 1, 1, 10]


# --- synthetic pages of the same families ----------------------------------------------


def test_listing_with_two_title_only_entries() -> None:
    records = page("listing_two_title_only.txt")
    assert [r.title for r in records] == [
        "Peer Navigators in Rural Mental Health Services: A Realist Evaluation",
        "Housing First and the Meaning of Home",
        None,
        None,
    ]
    assert [r.authors for r in records] == [
        ("Hannah K. Olsen", "Markus Lindqvist", "Priya Raman"),
        ("Tomás Ferreira", "Aoife Brennan"),
        ("Chloé Dubois", "Samuel Okafor"),
        ("Kenji Watanabe",),
    ]
    assert [r.year for r in records] == [2017, 2016, 2015, 2022]
    assert [(r.volume, r.pages) for r in records] == [
        ("12 (3)", "101-110"), (None, None), (None, "e0123456"), ("7 (2)", None),
    ]  # fmt: skip
    assert [r.abstract[:12] for r in records] == ["", "", "Objective To", "Background D"]
    assert records[3].abstract.endswith("escalation routes to volunteer moderators.")


def test_listing_with_inline_metadata_and_doi() -> None:
    first, second = page("listing_inline_meta.txt")
    assert first.authors == ("Jane Roe", "John Q. Public")
    assert (first.year, first.volume, first.pages) == (2014, "8 (2)", "12-19")
    assert first.doi == "10.1016/j.example.2014.02.003"
    assert first.abstract.startswith("This study examined whether weekly recovery")
    assert second.authors == ("Ana Souza",) and (second.year, second.volume) == (2011, "3 (1)")
    assert second.doi is None and second.abstract.startswith("Family involvement")


def test_listing_survives_terminal_escapes_crlf_and_invisible_characters() -> None:
    (record,) = page("hostile_listing.txt")
    assert record.title == "Crisis Plans and Advance Statements in Psychiatry"
    assert record.authors == ("George Szmukler", "Rachel Henderson")
    assert (record.year, record.volume, record.pages) == (2013, "9 (4)", "210-219")
    assert "clinicians when the person is well" in record.abstract


def test_publisher_page_with_authors_venue_keywords_and_two_paragraphs() -> None:
    (record,) = page("publisher_with_authors.txt")
    assert record.title == (
        "Walking alongside: peer workers' accounts of recovery support in acute wards"
    )
    assert record.authors == ("Sarah Jones", "Peter O'Brien", "María González")
    assert (record.venue, record.volume, record.year) == (
        "Journal of Community Recovery",
        "22 (4)",
        2013,
    )
    assert (record.pages, record.doi) == ("301-312", "10.5555/jcr.2013.775403")
    assert record.keywords == ("peer support", "acute care", "recovery", "qualitative")
    assert record.abstract.startswith("Background: Peer workers are increasingly")
    assert record.abstract.endswith("drift into conventional staff tasks.")
    assert "\n\nResults:" in record.abstract


def test_publisher_page_without_abstract_label_ignores_reference_dois() -> None:
    (record,) = page("publisher_no_label.txt")
    assert record.title == "Stigma and help-seeking among university students in three countries"
    assert (record.year, record.pages, record.doi, record.authors) == (2020, "77-89", None, ())
    assert record.abstract.startswith("Help-seeking for mental health problems")
    assert record.abstract.endswith("across all sites.")


def test_erudit_page_with_only_an_english_abstract() -> None:
    (record,) = page("erudit_english_only.txt")
    assert record.title == "Loneliness and Belonging in Supported Housing: A Mixed-Methods Study"
    # The licence names a publisher, so the authors come from the citation line.
    assert record.authors == ("Sarah Chen", "Michael Ross")
    assert (record.year, record.venue) == (2019, "Canadian Journal of Community Mental Health")
    assert (record.volume, record.pages, record.doi) == ("38 (3)", "45-61", "10.7202/1065432ar")
    assert record.abstract.startswith("Residents of supported housing")
    assert record.translations == {} and record.language == "en"


def test_erudit_page_with_french_first() -> None:
    (record,) = page("erudit_french_primary.txt")
    assert record.title == (
        "Le rétablissement en santé mentale : regards croisés de pairs aidants et d'intervenants"
    )
    assert record.authors == ("Marie-Ève Lavoie", "Jean Gagnon", "Sophie MacLeod")
    assert (record.year, record.venue, record.volume) == (2021, "Santé mentale au Québec", "46 (1)")
    assert record.doi == "10.7202/1079876ar"
    assert record.language == "fr" and record.abstract.startswith("Cette étude qualitative")
    assert list(record.translations) == ["en"]
    assert record.translations["en"].startswith("This qualitative study examines")


def test_citation_index_with_three_related_papers() -> None:
    main, *related = page("citation_index_three_related.txt")
    assert main.title == (
        "Workplace accommodations for employees with severe mental illness: a scoping review"
    )
    assert main.authors == ("Lindgren, Elin", "Okonkwo, Chidi", "Haugland, Per Ivar")
    assert main.keywords == (
        "Supported employment", "Workplace accommodation", "Severe mental illness",
        "Scoping review",
    )  # fmt: skip
    assert main.doi == "10.1080/55555555.2022.2041234"
    assert main.abstract.endswith("in partnership with employees and employers.")
    assert "2021 and charted" in main.abstract and "barriers. Results Forty-one" in main.abstract
    assert [r.title for r in related] == [
        "Individual placement and support for people with severe mental illness",
        "Disclosure of mental illness in the workplace: a qualitative study",
        "Supervisor support and return to work after sick leave",
    ]
    assert related[2].authors == (
        "Nieuwenhuijsen, Karen",
        "Verbeek, Jos H.",
        "de Boer, Angela G. E. M.",
    )
    assert related[2].venue == "SCANDINAVIAN JOURNAL OF WORK ENVIRONMENT & HEALTH"
    assert [(r.year, r.volume, r.pages) for r in related] == [
        (2012, "11 (02)", "91-98"), (2014, None, None), (2004, "30 (05)", "329-337"),
    ]  # fmt: skip


def test_citation_index_self_entry_merges_into_main_paper() -> None:
    main, *related = page("citation_index_self_entry.txt")
    assert main.authors == ("Johanna Müller", "Bjørn Sørensen")
    assert (main.venue, main.year, main.volume, main.pages) == (
        "COMMUNITY MENTAL HEALTH JOURNAL", 2020, "56 (05)", "912-921",
    )  # fmt: skip
    assert main.doi == "10.1007/s10597-020-00555-1"
    assert main.keywords == ("Peer support", "Forensic psychiatry", "Mixed methods")
    assert len(related) == 4
    assert [r.year for r in related] == [2019, 2018, 2017, 2021]
    assert related[1].volume == "28" and related[1].pages == "1-10"
    assert related[3].venue == "CRIMINOLOGY & CRIMINAL JUSTICE" and related[3].volume is None


def test_markdown_note() -> None:
    (record,) = page("markdown_note.md")
    assert record.title == "Co-production in Mental Health Research: Lessons from Five Projects"
    assert record.authors == ("Alice Martin", "Rahul Mehta")
    assert (record.doi, record.year) == ("10.4444/copro.2021.17", 2021)
    assert record.venue == "Research Involvement and Engagement"
    assert record.abstract.startswith("Co-production is promoted")
    assert record.abstract.endswith("for research teams and funders.")


def test_unknown_layout_falls_back_to_paragraphs() -> None:
    records = page("plain_paragraphs.txt")
    assert [r.abstract[:20] for r in records] == ["Open dialogue is a n", "Crisis houses offer "]
    assert all(r.title is None and r.language == "en" for r in records)
    assert "from the first contact." in records[0].abstract  # hard-wrapped lines joined


# --- robustness --------------------------------------------------------------------------


def _hostile_inputs() -> list[str]:
    rng = random.Random(1234)
    texts = ["", " ", "\n\n\t\n", "\x00" * 50, "\x1b[31m\x1b]0;t\x07", "◽\n" * 50, "#", "# ",
             "Author(s):\n" * 30, "作者\n摘要\n相关论文\n", "« »" * 50, "©" * 50, "[1] x\n" * 20,
             "Published online: \n" * 5, "Citer ce document\n", "10.1234/" + "a" * 5000,
             "word " * 50_000, "x" * 200_000, "\ud800 lone surrogate",
             "a\u202eb\u200bc" * 100]  # fmt: skip
    texts += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 3000))).decode("latin-1")
              for _ in range(25)]  # fmt: skip
    for path in sorted((ROOT / "seeds").iterdir()) + sorted(PAGES.iterdir()):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        for _ in range(4):
            i, j = sorted(rng.randrange(len(text)) for _ in range(2))
            texts.append(text[:i] + text[j:])  # a cut-out middle
            rng.shuffle(lines)
            texts.append("\n".join(lines))
    return texts


def test_split_records_never_raises_on_odd_input() -> None:
    for text in _hostile_inputs():
        records = split_records(text, "odd.txt")
        assert isinstance(records, list)
        for record in records:
            assert record.path == "odd.txt" and (record.title or record.abstract)
            for field in record_texts(record):
                assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u202e]", field)


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "\t \r\n"])
def test_empty_text_gives_no_records(text: str) -> None:
    assert split_records(text) == []


def test_clean_text() -> None:
    raw = "Ti\x1b]0;title\x07tle\x1b[31m red\x1b[0m  x\r\ny\rz\u200b\u00a0 w\x00\tq e\u0301"
    assert clean_text(raw) == "Title red x\ny\nz w\tq é"
    assert clean_text("a  \n\n  b ") == "a\n\nb"


@pytest.mark.parametrize(
    "line",
    ["Sign in / Sign up", "Export Citation Format", "Share Document", "3,401", "Views",
     "CrossRef citations to date", "Altmetric", "Research Article",
     "Reprints and Corporate Permissions",
     "Please note: Selecting permissions does not provide access to the full text",
     "Obtain permissions instantly via Rightslink by clicking on the button below:",
     "Academic Permissions", "If you are unable to obtain permissions via Rightslink, please",
     "scite is a Brooklyn-based organization that helps researchers", "Fiche du document",
     "Date", "Type de document", "Périmètre", "Ce document est lié à :", "Licence",
     "Citer ce document", "Métriques", "Partage / Export", "Résumé En Fr", "document thumbnail",
     "Par les mêmes auteurs", "Sur les mêmes sujets", "Exporter en", "被引:2", "作者", "机构",
     "关键词", "D O I", "中图分类号", "学科分类号", "摘要", "引用", "收藏", "页数:13",
     "相关论文", "共 50 条", "|", "&"],
)  # fmt: skip
def test_boilerplate_lines(line: str) -> None:
    assert is_boilerplate_line(line)


@pytest.mark.parametrize(
    "line",
    ["Recovery-oriented professionals: Helping relationships in mental health services",
     "David Rosenberg ◽", "Canadian Social Work Review ; vol. 40 no. 1 (2023)", "",
     "Views of service users on peer support were mixed.", "Date of onset was recorded."],
)  # fmt: skip
def test_content_lines_are_not_boilerplate(line: str) -> None:
    assert not is_boilerplate_line(line)


def test_abstract_label_and_title_case() -> None:
    assert strip_abstract_label("AbstractThis study") == "This study"
    assert strip_abstract_label("Abstract: Background ...") == "Background ..."
    assert (
        strip_abstract_label("Abstracts of trials were read.") == "Abstracts of trials were read."
    )
    assert strip_abstract_label("BACKGROUND Peer support") == "BACKGROUND Peer support"
    assert smart_title_case("COVID-19 AND THE CARE OF OLDER ADULTS: PHASE II") == (
        "COVID-19 and the Care of Older Adults: Phase II"
    )
    assert smart_title_case("Already Mixed case") == "Already Mixed case"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The study of the effects of peer support on recovery in the community.", "en"),
        ("Cette étude examine les effets du soutien par les pairs sur le rétablissement.", "fr"),
        ("Diese Studie untersucht die Wirkung der Unterstützung und ist nicht neu.", "de"),
        ("El estudio analiza los efectos del apoyo entre pares en la recuperación.", "es"),
        ("Lo studio analizza gli effetti del supporto tra pari nella comunità e nel lavoro.", "it"),
        ("O estudo analisa os efeitos do apoio entre pares na recuperação das pessoas.", "pt"),
        ("Het onderzoek naar de effecten van steun door lotgenoten is niet eerder gedaan.", "nl"),
        ("Studien undersöker effekterna av kamratstöd och är inte ny för oss.", "sv"),
        ("Studien undersøker effekten av likepersonsstøtte og er ikke ny, og ble gjort.", "no"),
        ("本研究探讨了同伴支持对精神疾病患者康复的影响。", "zh"),
        ("本研究では、ピアサポートが回復に与える影響を調べた。", "ja"),
        ("본 연구는 동료 지원이 회복에 미치는 영향을 조사하였다.", "ko"),
        ("Short", None),
        ("", None),
        ("in mental health", None),
    ],
)
def test_detect_language(text: str, lang: str | None) -> None:
    assert detect_language(text) == lang


# --- merging -----------------------------------------------------------------------------

ABSTRACT = "Peer support workers describe hope, shared power and flexible boundaries in their work."


def test_merge_by_doi_across_resolver_prefix_and_case() -> None:
    a = Record(doi="10.1000/ABC.1", title="One title of the paper", path="a")
    b = Record(doi="https://doi.org/10.1000/abc.1", abstract=ABSTRACT, year=2020, path="b")
    (merged,) = merge_records([a, b])
    assert (merged.title, merged.abstract, merged.year) == (
        "One title of the paper",
        ABSTRACT,
        2020,
    )
    assert merged.path == "b"  # the path of the record that has the abstract
    assert merged.doi is not None and merged.doi.lower() == "10.1000/abc.1"


def test_merge_by_title_across_case_and_punctuation() -> None:
    a = Record(title="Recovery-oriented professionals: helping relationships", authors=["A B"])
    b = Record(title="RECOVERY ORIENTED PROFESSIONALS — HELPING RELATIONSHIPS!", venue="J")
    (merged,) = merge_records([a, b])
    assert merged.title == "Recovery-oriented professionals: helping relationships"
    assert (merged.authors, merged.venue) == (("A B",), "J")


def test_merge_by_identical_abstract_and_transitively() -> None:
    a = Record(doi="10.1/x", title="A paper about peer support work")
    b = Record(title="A PAPER ABOUT PEER SUPPORT WORK", abstract=ABSTRACT)
    c = Record(abstract=ABSTRACT.upper(), keywords=["peer support"], path="c")
    d = Record(title="Something else entirely different", abstract="Other text " * 5)
    merged = merge_records([a, b, c, d])
    assert len(merged) == 2
    assert merged[0].doi == "10.1/x" and merged[0].keywords == ("peer support",)
    assert merged[0].abstract == ABSTRACT  # mixed case beats capitals at equal length


def test_merge_is_order_independent() -> None:
    records = [
        Record(doi="10.1/x", title="A paper about peer support work", path="1"),
        Record(title="a paper about peer-support work", abstract=ABSTRACT, path="2"),
        Record(abstract=ABSTRACT, authors=["Åsa Berg", "Ola Nordmann"], path="3"),
        Record(title="A paper about peer support work", authors=["Asa Berg"], year=2019),
        Record(title="An unrelated paper on housing", year=2001),
    ]

    def canon(out: list[Record]) -> list[dict]:
        return sorted((r.to_dict() | {"path": ""} for r in out), key=lambda d: str(d))

    expected = canon(merge_records(records))
    assert len(expected) == 2
    for perm in itertools.permutations(records):
        assert canon(merge_records(list(perm))) == expected


def test_merge_keeps_the_best_author_list() -> None:
    a = Record(doi="10.1/y", authors=["akerblom, Kristina Bakke", "Mohn-Haugen, Torbjorn"])
    b = Record(doi="10.1/y", authors=["Kristina Bakke Åkerblom", "Torbjørn Mohn-Haugen"])
    c = Record(
        doi="10.1/y", authors=["Kristina Bakke Akerblom", "Torbjorn Mohn-Haugen", "Ness, Ottar"]
    )
    (merged,) = merge_records([a, b, c])
    assert merged.authors == ("Kristina Bakke Åkerblom", "Torbjørn Mohn-Haugen", "Ness, Ottar")
    full = Record(doi="10.1/z", authors=["Ann Lee", "Bo Li", "Cy Ng", "Di Wu"])
    cut = Record(doi="10.1/z", authors=["Ann Lee", "Bo Li"])
    assert merge_records([cut, full])[0].authors == full.authors


def test_merge_does_not_join_different_dois_or_generic_titles() -> None:
    a = Record(doi="10.1/a", title="Peer support in mental health services")
    b = Record(doi="10.1/b", title="Peer support in mental health services")
    assert len(merge_records([a, b])) == 2
    assert len(merge_records([Record(title="Editorial"), Record(title="EDITORIAL")])) == 2


def test_merge_moves_other_language_abstracts_to_translations() -> None:
    english = Record(doi="10.1/t", abstract=ABSTRACT * 2, language="en")
    french = Record(doi="10.1/t", abstract="Les pairs aidants décrivent l'espoir.", language="fr")
    (merged,) = merge_records([french, english])
    assert merged.language == "en" and merged.translations == {"fr": french.abstract}


def test_a_short_abstract_alone_is_still_a_record():
    text = "Peer support reduced isolation among twelve service users in rural Norway and Sweden."
    records = split_records(text, "short.txt")
    assert [r.abstract for r in records] == [text]


def test_short_fragments_and_menus_are_not_records():
    assert split_records("Home\n\nAbout us\n\nContact\n\nLog in", "menu.txt") == []
    assert split_records("a b c d e f g h i j k l m n", "words.txt") == []  # no sentence
    three = "One short line here.\n\nAnother short line here.\n\nA third short line."
    assert split_records(three, "three.txt") == []


TITLED_ABSTRACT = (
    "Background: Peer workers are employed in many services. Methods: Twelve peer workers "
    "took part in interviews. Results: They described trust built over time."
)


def test_a_plain_text_title_line_above_the_abstract_is_the_title() -> None:
    text = f"Peer workers in rural mental health services\n\n{TITLED_ABSTRACT}\n"
    (record,) = split_records(text, "note.txt")
    assert record.title == "Peer workers in rural mental health services"
    assert record.abstract == TITLED_ABSTRACT


def test_a_titled_plain_text_keeps_its_paragraphs_as_one_paper() -> None:
    more = "Conclusions: Services should plan for the time trust takes to build between staff."
    title = "Is peer work worth it? A qualitative study"
    text = f"{title}\n\nJane Roe, Sam Poe\n\n{TITLED_ABSTRACT}\n\n{more}"
    (record,) = split_records(text, "note.txt")
    assert record.title == "Is peer work worth it? A qualitative study"
    assert record.abstract == f"{TITLED_ABSTRACT}\n\n{more}"


def test_titled_abstracts_one_after_another_are_separate_papers() -> None:
    other = "Carers of people with psychosis were surveyed twice. Most felt less strain a year on."
    text = f"Peer workers in rural services\n\n{TITLED_ABSTRACT}\n\nCarers over time\n\n{other}"
    records = split_records(text, "two.txt")
    assert [(r.title, r.abstract) for r in records] == [
        ("Peer workers in rural services", TITLED_ABSTRACT),
        ("Carers over time", other),
    ]


@pytest.mark.parametrize(
    "first",
    [
        "Background: Peer workers are employed in many services",  # a label
        "Abstract",
        "Peer workers are employed in many services.",  # a sentence
        "Home | About | Contact",  # a menu
    ],
)
def test_a_first_line_that_is_not_a_title_leaves_the_page_untitled(first) -> None:
    records = split_records(f"{first}\n\n{TITLED_ABSTRACT}", "note.txt")
    assert records and all(r.title is None for r in records)

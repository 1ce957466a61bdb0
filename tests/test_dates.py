"""Date expressions and their (date, precision): the table is the specification."""
import pytest

from annals.dates import find_dates

# (text, year in force before the text, expected (iso, precision) of the first date or None)
CASES = [
    # Every dated paragraph shape of the seed document.
    ("Au mois de janvier 2021, il y a eu le 8e Congrès du Parti du travail de Corée.", None, ("2021-01", "month")),
    ("Au mois de septembre 2023, le respecté camarade", None, ("2023-09", "month")),
    ("Au mois de juin 2024, il y a eu la rencontre significative", None, ("2024-06", "month")),
    ("Le 19 juin, le respecté camarade Kim Jong Un a signé", 2024, ("2024-06-19", "day")),
    ("Le 3 septembre 2025, le respecté camarade Kim Jong Un a rencontré", 2024, ("2025-09-03", "day")),
    ("a reçu en audience le 10 octobre 2025 Dmitri Medvedev, à l'occasion du 80e anniversaire", 2025,
     ("2025-10-10", "day")),
    ("En 2025, le respecté camarade Kim Jong Un", 2025, ("2025", "year")),
    ("Au mois de juin, il a rencontré la ministre, à l’occasion du 1er anniversaire", 2025, ("2025-06", "month")),
    ("Au mois de juillet, il a reçu en audience Serguei Lavrov", 2025, ("2025-07", "month")),
    ("Au mois d'août 2025, notre peuple a célébré solennellement le 80e anniversaire", 2025, ("2025-08", "month")),
    ("Le respecté camarade Kim Jong Un a pris part, le 3 septembre 2025, aux cérémonies", 2025,
     ("2025-09-03", "day")),
    ("Et il a eu un entretien, le 4 septembre après-midi, avec Xi Jinping", 2025, ("2025-09-04", "day")),
    ("Au mois d'octobre 2025, notre peuple a célébré", 2025, ("2025-10", "month")),
    # Traps: ordinals that are not dates.
    ("à l’occasion du 1er anniversaire de la conclusion du nouveau traité", 2025, None),
    ("il y a eu le 8e Congrès du Parti du travail de Corée", 2021, None),
    ("le 80e anniversaire de la libération nationale", 2025, None),
    ("pour participer au 2e dialogue stratégique", 2025, None),
    ("les 300 délégués et 12 pays", 2025, None),
    ("un accord de 2 ans", 2025, None),
    # More French shapes.
    ("Le 1er mai 2024, les travailleurs", None, ("2024-05-01", "day")),
    ("le 1er mai, les travailleurs", 2023, ("2023-05-01", "day")),
    ("Au mois d’août 2025 (apostrophe typographique)", None, ("2025-08", "month")),
    ("Au mois d'aout 2025 sans accent", None, ("2025-08", "month")),
    ("En février 2022, la délégation", None, ("2022-02", "month")),
    ("en mars, la délégation", 2019, ("2019-03", "month")),
    ("Début avril 2020, la conférence", None, ("2020-04", "month")),
    ("Le 14 juillet 1789 à Paris", None, ("1789-07-14", "day")),
    ("LE 2 DÉCEMBRE 2001 en capitales", None, ("2001-12-02", "day")),
    ("le 28 février 2024 après-midi", None, ("2024-02-28", "day")),
    ("le 29 février 2024, année bissextile", None, ("2024-02-29", "day")),
    ("Publié le 2024-06-19 par l'agence", None, ("2024-06-19", "day")),
    ("novembre 2018 a vu", None, ("2018-11", "month")),
    ("Depuis 1945, le pays", None, ("1945", "year")),
    # English shapes.
    ("On June 19, 2024, the leaders met", None, ("2024-06-19", "day")),
    ("On 19 June 2024 the leaders met", None, ("2024-06-19", "day")),
    ("In May 2023, the delegation", None, ("2023-05", "month")),
    ("In 2025, the committee", None, ("2025", "year")),
    ("On June 19, the leaders met", 2024, ("2024-06-19", "day")),
    ("the 3rd of March 2021 was cold", None, ("2021-03-03", "day")),
    ("you may march to the square", 2024, None),
    # Dates that do not exist, and years out of range: not events.
    ("le 30 février 2024", None, None),
    ("le 31 avril 2023", None, None),
    ("2025-13-45", None, None),
    ("En 9999, peut-être", None, None),
    # A date without a year and no year before it: not an event.
    ("Le 19 juin, sans contexte", None, None),
]


@pytest.mark.parametrize("text, year, expected", CASES, ids=[c[0][:40] for c in CASES])
def test_first_date(text, year, expected):
    found = find_dates(text, "fr", year)
    first = (found.mentions[0].iso, found.mentions[0].precision) if found.mentions else None
    assert first == expected


def test_table_is_large_enough():
    assert len(CASES) >= 40


def test_yearless_date_takes_year_in_force_and_says_so():
    found = find_dates("Le 19 juin, le camarade", "fr", 2024)
    assert found.mentions[0].year_inferred
    assert not find_dates("Le 19 juin 2024", "fr", None).mentions[0].year_inferred


def test_a_date_with_a_year_sets_the_year_for_what_follows():
    found = find_dates("Le 3 septembre 2025, puis le 4 septembre", "fr", 2020)
    assert [m.iso for m in found.mentions] == ["2025-09-03", "2025-09-04"]
    assert found.year == 2025


def test_a_date_far_into_a_paragraph_keeps_its_year():
    # The year of "1er juin 2024" lies past the search window opened at the earlier "12": the date was
    # once read as "1er juin" and given the year in force (2020) instead of its own.
    text = ("Les 12 délégations ont visité les usines et les fermes coopératives de la province, "
            "puis le 1er juin 2024 elles sont reparties.")
    found = find_dates(text, "fr", 2020)
    assert [(m.iso, m.expression, m.year_inferred) for m in found.mentions] == [("2024-06-01", "1er juin 2024", False)]


def test_impossible_dates_are_rejected_with_a_reason():
    found = find_dates("le 30 février 2024", "fr", None)
    assert not found.mentions
    assert "does not exist" in found.rejected[0].reason


def test_expression_keeps_the_words_as_written():
    found = find_dates("Au mois d'août 2025, notre peuple", "fr", None)
    assert found.mentions[0].expression == "Au mois d'août 2025"


def test_other_languages_use_cldr_month_names():
    found = find_dates("Am 19. Juni 2024 trafen sich", "de", None)
    assert (found.mentions[0].iso, found.mentions[0].precision) == ("2024-06-19", "day")


# --- Dates read against the document's own date (its reference date) ------------------------------------
from annals.dates import find_document_dates, reference_date  # noqa: E402
from annals.model import DOCUMENT_YEAR, PARAGRAPH_YEAR, RELATIVE, STATED, ReferenceDate  # noqa: E402

SITTING = ReferenceDate("2013-02-02", "day", "title")  # a Saturday
DISPATCH = ReferenceDate("2024-06-20", "day", "published")  # a Thursday

# (text, reference, expected (iso, precision, end, approximate, how) of the first date, or None)
AGAINST_REFERENCE = [
    # A yearless date falls in the document's year unless that puts it over two months ahead.
    ("Le scrutin sur le texte aura lieu le 12 février, après la navette.", SITTING,
     ("2013-02-12", "day", "", False, DOCUMENT_YEAR)),
    ("La proposition de loi, déposée le 16 janvier, revient en séance.", SITTING,
     ("2013-01-16", "day", "", False, DOCUMENT_YEAR)),
    ("Le débat sur le candidat élu le 6 mai n'est pas clos.", SITTING, ("2012-05-06", "day", "", False, DOCUMENT_YEAR)),
    ("Le conseil a voté le budget le 14 décembre.", ReferenceDate("2024-01-10", "day", "published"),
     ("2023-12-14", "day", "", False, DOCUMENT_YEAR)),
    # A year stated earlier in the same paragraph wins over the document's date.
    ("En 2019, la réforme fut votée, puis promulguée le 6 mai.", SITTING, ("2019", "year", "", False, STATED)),
    # Juche years, with and without the common era year.
    ("One winter day in December Juche 46 (1957) the leader came to the plant.", DISPATCH,
     ("1957-12", "month", "", False, STATED)),
    ("The square was full on January 1, Juche 113 (2024).", DISPATCH, ("2024-01-01", "day", "", False, STATED)),
    ("The monument was unveiled in Juche 91.", DISPATCH, ("2002", "year", "", False, STATED)),
    # A dateline without a year is the document's own date.
    ("Pyongyang, June 19 (KCNA) -- A delegation left the capital.", DISPATCH,
     ("2024-06-19", "day", "", False, DOCUMENT_YEAR)),
    # Relative and deictic dates, counted from the document's date.
    ("Le ministre s'est exprimé hier devant les députés.", SITTING, ("2013-02-01", "day", "", False, RELATIVE)),
    ("La manifestation de samedi dernier a réuni des milliers de personnes.", SITTING,
     ("2013-01-26", "day", "", False, RELATIVE)),
    ("Le rapport publié le mois dernier est contesté.", SITTING, ("2013-01", "month", "", False, RELATIVE)),
    ("Les chiffres du mois de juin dernier sont connus.", SITTING, ("2012-06", "month", "", False, RELATIVE)),
    ("Au mois de juin dernier, la commission a siégé.", ReferenceDate("2013-07-04", "day", "published"),
     ("2013-06", "month", "", False, RELATIVE)),
    ("Le déficit s'est creusé l'an dernier.", SITTING, ("2012", "year", "", False, RELATIVE)),
    ("La commission se réunira mardi prochain.", SITTING, ("2013-02-05", "day", "", False, RELATIVE)),
    ("Le maire a annoncé mardi la fermeture de l'école.", SITTING, ("2013-01-29", "day", "", False, RELATIVE)),
    ("The minister arrived yesterday in the capital.", DISPATCH, ("2024-06-19", "day", "", False, RELATIVE)),
    ("The talks opened on Tuesday in the capital.", DISPATCH, ("2024-06-18", "day", "", False, RELATIVE)),
    ("Three ships entered the port last week.", DISPATCH, ("2024-06-10", "day", "2024-06-16", False, RELATIVE)),
    ("The plant was built by December 31 last year.", DISPATCH, ("2023-12-31", "day", "", False, RELATIVE)),
    ("Exports fell last month, the ministry said.", DISPATCH, ("2024-05", "month", "", False, RELATIVE)),
    ("The fair will open next Saturday.", DISPATCH, ("2024-06-22", "day", "", False, RELATIVE)),
    ("The delegation will return next February.", DISPATCH, ("2025-02", "month", "", False, RELATIVE)),
    ("The dam was finished 18 years ago.", DISPATCH, ("2006", "year", "", False, RELATIVE)),
    # Approximate dates and ranges.
    ("Les travaux reprendront mi-décembre 2018.", SITTING, ("2018-12", "month", "", True, STATED)),
    ("Le chantier doit s'achever début 2019.", SITTING, ("2019", "year", "", True, STATED)),
    ("Fin 2018, la dette avait doublé.", SITTING, ("2018", "year", "", True, STATED)),
    ("Early 2019 the port was enlarged.", DISPATCH, ("2019", "year", "", True, STATED)),
    ("L'enquête porte sur les comptes entre 2013 et 2020.", SITTING, ("2013", "year", "2020", False, STATED)),
    ("Le salon se tiendra du 6 au 8 avril.", ReferenceDate("2024-03-01", "day", "published"),
     ("2024-04-06", "day", "2024-04-08", False, DOCUMENT_YEAR)),
    ("Le festival a lieu du 28 février au 3 mars 2024.", SITTING, ("2024-02-28", "day", "2024-03-03", False, STATED)),
    ("The exhibition runs from June 25 to July 27.", DISPATCH,
     ("2024-06-25", "day", "2024-07-27", False, DOCUMENT_YEAR)),
    ("Drills took place from June 27 to 29.", DISPATCH, ("2024-06-27", "day", "2024-06-29", False, DOCUMENT_YEAR)),
    ("L'été 2020 a été sec.", SITTING, ("2020", "year", "", True, STATED)),
    # A deadline points ahead, a past tense behind.
    ("Le décret devra paraître avant le 31 décembre.", ReferenceDate("2019-06-04", "day", "title"),
     ("2019-12-31", "day", "", False, DOCUMENT_YEAR)),
    ("En janvier, les entreprises déclaraient des retards.", ReferenceDate("2024-11-06", "day", "published"),
     ("2024-01", "month", "", False, DOCUMENT_YEAR)),
]


@pytest.mark.parametrize("text, reference, expected", AGAINST_REFERENCE, ids=[c[0][:40] for c in AGAINST_REFERENCE])
def test_dates_read_against_the_document_date(text, reference, expected):
    found = find_dates(text, "fr", None, reference)
    first = found.mentions[0] if found.mentions else None
    got = (first.iso, first.precision, first.end, first.approximate, first.how) if first else None
    assert got == expected


# Shapes that are not read as a given day by accident, with a document date to read them against.
SHAPES = [
    ("le 3 sept. 2024, la réunion", ("2024-09-03", "day")),
    ("signé le 12 janv. 2019 à Paris", ("2019-01-12", "day")),
    ("The accord of Sept. 3 was signed.", ("2023-09-03", "day")),  # 2024's lies over two months ahead
    ("On Jan 5 the delegation arrived.", ("2024-01-05", "day")),
    ("Par courrier du 03/09/2025, le préfet", ("2025-09-03", "day")),
    ("le jugement du 3.9.2025 est attendu", ("2025-09-03", "day")),
    ("daté du 03/03/25", ("2025-03-03", "day")),
    ("Le 1er juin, la session s'ouvre.", ("2024-06-01", "day")),
    ("until 20:00 of October 13 the roads stay closed", ("2023-10-13", "day")),
    ("The leader visited the December 5 Youth Mine.", None),
    ("L'amendement n° 4815 est retiré.", None),
    ("L'article 433-21 du code pénal", None),
    ("La séance reprend à 16H30.", None),
    ("Les manifestants en sont à l'acte XIII.", None),
    ("Le 8e congrès et le 80e anniversaire", None),
    ("Il vit rue du 4-Septembre, près de la place du 8-Mai-1945.", None),
    ("ouvert du mardi au samedi", None),
    ("le premier mardi de chaque mois", None),
    ("Le Journal du dimanche titre sur la réforme.", None),
    ("Les 2000 personnes présentes", None),
    ("la loi de modernisation de 2008", ("2008", "year")),
    ("the glory of 2023 carried into the new year", ("2023", "year")),
    ("the 2019-2023 report on arms transfers", ("2019", "year")),
    ("Du lundi 3 au vendredi 7 juin, les écoles restent fermées.", ("2024-06-03", "day")),
    ("le marché avancé au week-end des 1er et 2 juin", ("2024-06-01", "day")),
    ("les ventes ont progressé par rapport à 2021, malgré la hausse des prix", ("2021", "year")),
    ("la fermeture, annoncée pour avril, inquiète les élus", ("2024-04", "month")),
]


@pytest.mark.parametrize("text, expected", SHAPES, ids=[c[0][:40] for c in SHAPES])
def test_shapes(text, expected):
    found = find_dates(text, "fr", None, ReferenceDate("2024-06-20", "day", "published"))
    first = (found.mentions[0].iso, found.mentions[0].precision) if found.mentions else None
    assert first == expected


def test_an_impossible_day_is_reported_not_read_as_its_month():
    found = find_dates("Le 99 mars 2024, rien.", "fr")
    assert not found.mentions and found.rejected[0].warn and "does not exist" in found.rejected[0].reason


def test_a_five_digit_year_is_reported():
    found = find_dates("En 99999, peut-être.", "fr")
    assert not found.mentions and found.rejected and found.rejected[0].warn


def test_relative_dates_without_a_document_date_are_refused_and_nothing_is_guessed():
    found = find_dates("Le ministre a parlé hier et la semaine dernière.", "fr")
    assert not found.mentions
    assert [r.expression for r in found.rejected] == ["hier", "la semaine dernière"]
    assert not any(r.warn for r in found.rejected)  # listed in the date report, not a warning


def test_a_weekday_that_is_not_the_dates_is_a_doubt():
    found = find_dates("La séance du samedi 3 février 2013 est ouverte.", "fr")
    assert found.mentions[0].iso == "2013-02-03"
    assert "Sunday, not a Saturday" in found.doubts[0].reason


def test_a_year_from_an_unrelated_paragraph_does_not_override_the_document_date():
    texts = ["Le registre fut compilé en 1481.", "En décembre, le camarade a visité l'usine."]
    found = find_document_dates(texts, "fr", None, ReferenceDate("2024-01-10", "day", "published"))
    assert found[1].mentions[0].iso == "2023-12" and found[1].mentions[0].how == DOCUMENT_YEAR


def test_without_a_document_date_a_year_carries_from_the_nearest_earlier_date():
    found = find_document_dates(["Au mois de janvier 2021, le congrès.", "Le 19 juin, la rencontre."], "fr")
    assert (found[1].mentions[0].iso, found[1].mentions[0].how) == ("2021-06-19", "earlier")


def test_the_paragraph_year_is_the_year_stated_earlier_in_it():
    found = find_dates("Le 3 septembre 2025, puis le 4 septembre.", "fr", None, SITTING)
    assert [(m.iso, m.how) for m in found.mentions] == [("2025-09-03", STATED), ("2025-09-04", PARAGRAPH_YEAR)]


@pytest.mark.parametrize("published, title, first, expected", [
    ("2024-06-20", "", "", ("2024-06-20", "day", "published")),
    ("2024-06", "", "", ("2024-06", "month", "published")),
    ("", "Troisième séance du samedi 2 février 2013", "Le vote est prévu le 12 février.",
     ("2013-02-02", "day", "title")),
    ("", "Réforme des retraites", "PARIS, 12 mars 2019 (AFP) - Les syndicats ont défilé.",
     ("2019-03-12", "day", "dateline")),
    ("", "Réforme des retraites", "Les syndicats ont défilé le 12 mars 2019.", None),
    ("", "Pyongyang dispatch", "Pyongyang, October 13 (KCNA) -- A meeting was held.", None),
    ("not a date", "", "", None),
])
def test_the_reference_date_of_a_document(published, title, first, expected):
    found = reference_date(published, title, first, "fr")
    assert (None if found is None else (found.iso, found.precision, found.source)) == expected


def test_every_event_has_a_valid_edtf_value():
    import edtf

    for text, reference, expected in AGAINST_REFERENCE:
        for mention in find_dates(text, "fr", None, reference).mentions:
            parsed = edtf.parse_edtf(mention.edtf)
            assert parsed is not None, mention.edtf
    assert find_dates("mi-décembre 2018", "fr").mentions[0].edtf == "2018-12~"
    assert find_dates("du 6 au 8 avril 2024", "fr").mentions[0].edtf == "2024-04-06/2024-04-08"


CEREMONY = ReferenceDate("2024-06-06", "day", "published")


@pytest.mark.parametrize("texts, expected", [
    # The day a commemoration marks, named beside its Nth anniversary, is the day it commemorates.
    (["Les cérémonies du 80e anniversaire du Débarquement se sont tenues sur les plages.",
      "Les vétérans ont raconté l'aube du 6 juin aux écoliers venus les écouter."], "1944-06-06"),
    (["The town marked the 80th anniversary of the landings.",
      "Speakers recalled the courage of June 6 and the sacrifice of those who fell."], "1944-06-06"),
    (["The 80th anniversary was marked in the morning.", "Veterans said that June 6 would never be forgotten."],
     "1944-06-06"),
    # The day of the ceremony itself stays the document's: a date introduced as a day of the present.
    (["Les cérémonies du 80e anniversaire du Débarquement.", "Le 6 juin, les chefs d'État se sont réunis."],
     "2024-06-06"),
    (["The 80th anniversary of the landings.", "On June 6, the leaders met on the beach."], "2024-06-06"),
    # Far from the document's day, or with no anniversary said, a yearless date is read as before.
    (["The 80th anniversary of the landings.", "The spirit of March 3 was recalled too."], "2024-03-03"),
    (["Speakers recalled the courage of June 6 and the sacrifice of those who fell."], "2024-06-06"),
    # A weekday before the date makes it a day of the present, too.
    (["Le 80e anniversaire de la Libération.", "La foule s'est rassemblée jeudi 6 juin devant la mairie."],
     "2024-06-06"),
    # The anniversary a document marks is the one it names most: an earlier one recalled does not count.
    (["Le 80e anniversaire du Débarquement.", "Lors du 70e anniversaire, les chefs d'État étaient venus.",
      "Le 80e anniversaire a réuni les vétérans.", "Les vétérans ont raconté l'aube du 6 juin."], "1944-06-06"),
])
def test_the_day_an_anniversary_commemorates_takes_the_year_it_counts_from(texts, expected):
    found = find_document_dates(texts, "fr" if "anniversaire" in texts[0] else "en", None, CEREMONY)
    (mention,) = found[-1].mentions
    assert mention.iso == expected, (texts, mention)

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

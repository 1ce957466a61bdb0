"""Interface strings: every catalogue has every key, and counts take the plural form of their language."""
import pytest

from annals.config import catalogues
from annals.i18n import count_label, strings

CATALOGUES = catalogues()

COUNTS = tuple(key for key, value in strings("en").items() if isinstance(value, dict))  # every count


def test_every_catalogue_has_the_same_keys_and_each_count_its_plural_forms():
    keys = {language: set(strings(language)) for language in CATALOGUES}
    assert all(k == keys["en"] for k in keys.values())
    for language in CATALOGUES:
        for key in COUNTS:
            forms = strings(language)[key]
            assert {"one", "other"} <= set(forms) and all("{n}" in text for text in forms.values())


@pytest.mark.parametrize("language, n, label", [
    ("fr", 0, "0 document"), ("fr", 1, "1 document"), ("fr", 2, "2 documents"),
    ("fr", 10_000, "10\u202f000 documents"), ("fr", 1_000_000, "1\u202f000\u202f000 documents"),
    ("en", 0, "0 documents"), ("en", 1, "1 document"), ("en", 2, "2 documents"), ("en", 10_000, "10,000 documents"),
    ("de", 1, "1 Dokument"), ("de", 10_000, "10.000 Dokumente"),
    ("es", 1, "1 document"), ("es", 3, "3 documents"),  # no Spanish catalogue: English words, Spanish numbers
])
def test_a_count_takes_the_plural_form_its_language_gives_the_number(language, n, label):
    assert count_label("document_count", n, language) == label

"""Within one article one person has one name: a surname resolves to the full name given
anywhere in the article (extract/speakers.py). Sentences are our own."""

from __future__ import annotations

import pytest

from extract.statements import extract_statements


@pytest.mark.parametrize(
    "office",
    [
        "spokesman of the Dravnian Air Force",
        "head of the Kerrowsk Regional Military Administration",
        "spokeswoman of the Northern Defense Forces",
    ],
)
def test_surname_after_an_office_of_the_organisation_takes_the_full_name(office: str) -> None:
    text = (
        f"This was stated by the {office} Marta Quillon on her channel.\n\n"
        '"The night was quiet, and the repairs go on," Quillon said.\n\n'
        "According to Quillon, the power came back by noon."
    )
    assert {s.speaker for s in extract_statements(text)} == {"Marta Quillon"}


def test_an_organisation_after_the_is_still_no_person() -> None:
    # No first name inside the run: nothing to split off.
    text = 'The Dravnian Air Force Command said: "Two drones were downed."'
    assert [s.speaker for s in extract_statements(text)] != ["Command"]

"""Numbers given at registration and issue, by the site's counters."""

from datetime import date
from hdnd.content import numbers
from hdnd.content.core.numbering import DuplicateNumber
from hdnd.content.core.numbering import NumberingError
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID

import pytest


@pytest.fixture
def folder(portal):
    from hdnd.content.clearance import set_clearance

    setRoles(portal, TEST_USER_ID, ["Manager"])
    set_clearance(TEST_USER_ID, "toi_mat")  # to create the secret documents below
    return portal["van-ban"]


def outgoing(folder, document_type="TB", **fields):
    return api.content.create(
        container=folder, type="OfficialDocument", title="Thông báo kết luận",
        direction="outgoing", document_type=document_type, **fields,
    )


def incoming(folder, **fields):
    return api.content.create(
        container=folder, type="OfficialDocument", title="Văn bản đến", direction="incoming", **fields
    )


def test_arrival_numbers_run_per_year_and_are_given_once(folder):
    first = incoming(folder)
    second = incoming(folder)
    assert numbers.take_arrival_number(first, date(2026, 12, 31)) == 1
    assert numbers.take_arrival_number(second, date(2026, 12, 31)) == 2
    assert numbers.take_arrival_number(first, date(2027, 1, 2)) == 1  # kept, not retaken
    new_year = incoming(folder)
    assert numbers.take_arrival_number(new_year, date(2027, 1, 2)) == 1
    assert first.arrival_date == date(2026, 12, 31)
    catalog = api.portal.get_tool("portal_catalog")
    assert [b.getObject() for b in catalog(arrival_number=2)] == [second]


def test_party_numbers_run_per_type_for_the_term(folder):
    a = outgoing(folder)
    b = outgoing(folder)
    c = outgoing(folder, document_type="BC")
    assert numbers.take_number(a, date(2025, 12, 30)) == "01-TB/ĐĐHĐND"
    # A new year inside the term does not restart the series.
    assert numbers.take_number(b, date(2026, 1, 5)) == "02-TB/ĐĐHĐND"
    assert numbers.take_number(c, date(2026, 1, 5)) == "01-BC/ĐĐHĐND"
    assert (b.number, b.doc_type, b.issuer, b.issue_date) == (2, "TB", "ĐĐHĐND", date(2026, 1, 5))


def test_secret_party_documents_share_the_series(folder):
    plain = outgoing(folder)
    secret = outgoing(folder, classification="mat")
    assert numbers.take_number(plain, date(2026, 3, 1)) == "01-TB/ĐĐHĐND"
    assert numbers.take_number(secret, date(2026, 3, 2)) == "02-TB/ĐĐHĐND"


def test_a_new_term_restarts_party_numbers(folder):
    api.portal.set_registry_record("hdnd.organisation.term_label", "2030-2035")
    api.portal.set_registry_record("hdnd.organisation.term_start", date(2030, 10, 1))
    api.portal.set_registry_record("hdnd.organisation.term_end", date(2035, 9, 30))
    doc = outgoing(folder)
    assert numbers.take_number(doc, date(2030, 10, 1)) == "01-TB/ĐĐHĐND"
    with pytest.raises(NumberingError, match="No committee term covers"):
        numbers.take_number(outgoing(folder), date(2030, 9, 30))


def test_state_numbers_restart_on_new_year_with_a_secret_series(folder):
    docs = [outgoing(folder, document_type="QĐ", family="state") for _ in range(3)]
    secret = outgoing(folder, document_type="QĐ", family="state", classification="toi_mat")
    assert numbers.take_number(docs[0], date(2026, 12, 31)) == "01/QĐ-ĐĐHĐND"
    assert numbers.take_number(secret, date(2026, 12, 31)) == "01/QĐ-ĐĐHĐND"
    assert numbers.take_number(docs[1], date(2026, 12, 31)) == "02/QĐ-ĐĐHĐND"
    assert numbers.take_number(docs[2], date(2027, 1, 1)) == "01/QĐ-ĐĐHĐND"


def test_a_number_is_given_once_and_never_to_a_draft_without_type(folder):
    doc = outgoing(folder)
    numbers.take_number(doc, date(2026, 3, 1))
    with pytest.raises(NumberingError, match="already has its number"):
        numbers.take_number(doc, date(2026, 3, 2))
    untyped = outgoing(folder, document_type=None)
    with pytest.raises(NumberingError, match="document_type"):
        numbers.take_number(untyped)
    assert untyped.symbol is None


def test_a_number_already_held_is_skipped_not_given_twice(folder):
    # A legacy document registered by hand already holds 01-TB/ĐĐHĐND.
    api.content.create(
        container=folder, type="OfficialDocument", title="Văn bản cũ", direction="outgoing",
        symbol="01-TB/ĐĐHĐND", issue_date=date(2026, 2, 1),
    )
    first = outgoing(folder)
    assert numbers.take_number(first, date(2026, 3, 1)) == "02-TB/ĐĐHĐND"
    assert numbers.take_number(outgoing(folder), date(2026, 3, 1)) == "03-TB/ĐĐHĐND"


def test_an_aborted_issue_gives_its_number_back(folder):
    import transaction

    doc = outgoing(folder)
    transaction.savepoint()
    savepoint = transaction.savepoint()
    assert numbers.take_number(doc, date(2026, 3, 1)) == "01-TB/ĐĐHĐND"
    savepoint.rollback()
    assert doc.symbol is None
    assert numbers.take_number(outgoing(folder), date(2026, 3, 1)) == "01-TB/ĐĐHĐND"


def test_a_hand_typed_number_already_held_is_refused(folder):
    from hdnd.content.types.document import IOfficialDocument
    from zope.interface.exceptions import Invalid
    from z3c.form.validator import Data

    doc = outgoing(folder)
    numbers.take_number(doc, date(2026, 3, 1))
    data = Data(IOfficialDocument, {"symbol": "01-TB/ĐĐHĐND", "issue_date": date(2026, 3, 5),
                                    "direction": "outgoing"}, folder)
    try:
        IOfficialDocument.validateInvariants(data)
    except Invalid as error:
        assert "01-TB/ĐĐHĐND" in str(error)
    else:
        raise AssertionError("a second 01-TB/ĐĐHĐND was accepted")


# --- No existence leak through numbering (issue 18, item 4) -------------------


def titled(folder, direction, title, **fields):
    if direction == "outgoing":
        fields.setdefault("document_type", "TB")
    return api.content.create(container=folder, type="OfficialDocument", title=title, direction=direction, **fields)


def register_rows(user, register, year, secret=False):
    from hdnd.content.registers import rows

    with api.env.adopt_user(username=user):
        return rows(register, year, secret)


@pytest.fixture
def staff(folder):
    from hdnd.content.clearance import set_clearance

    for user, group, clearance in (("clerk-n", "registry-clerks", "none"), ("cleared-n", "specialists", "toi_mat")):
        api.user.create(email=f"{user}@example.vn", username=user, password="Numbers-pass-2026")
        api.group.add_user(groupname=group, username=user)
        set_clearance(user, clearance)
    return folder


def test_secret_incoming_documents_have_their_own_arrival_series(staff):
    """The ordinary series an uncleared clerk sees has no gap where a secret
    document arrived: the secret one is numbered in the secret register."""
    day = date(2026, 6, 1)
    first = titled(staff, "incoming", "Công văn MOT")
    secret = titled(staff, "incoming", "Văn bản BIMAT", classification="mat", need_to_know=["cleared-n"])
    second = titled(staff, "incoming", "Công văn HAI")
    assert [numbers.take_arrival_number(d, day) for d in (first, secret, second)] == [1, 1, 2]
    assert (numbers.in_secret_register(first), numbers.in_secret_register(secret)) == (False, True)
    assert numbers.take_arrival_number(incoming(staff, classification="toi_mat"), day) == 2  # secret series
    seen = register_rows("clerk-n", "incoming", 2026)
    assert [r["number"] for r in seen] == [1, 2] and "BIMAT" not in str(seen)
    # The cleared see the same ordinary register, and the secret one beside it.
    assert [r["number"] for r in register_rows("cleared-n", "incoming", 2026)] == [1, 2]
    assert [r["title"] for r in register_rows("cleared-n", "incoming", 2026, secret=True)] == ["Văn bản BIMAT"]
    assert register_rows("clerk-n", "incoming", 2026, secret=True) == []


def test_a_number_taken_before_classification_stays_in_its_series(staff):
    day = date(2026, 6, 2)
    doc = incoming(staff)
    assert numbers.take_arrival_number(doc, day) == 1
    doc.classification = "mat"  # classified after registration
    assert numbers.take_arrival_number(doc, day) == 1 and not numbers.in_secret_register(doc)
    assert numbers.take_arrival_number(incoming(staff), day) == 2
    # A document numbered before the secret register existed (no mark): the
    # one arrival series for incoming ones; outgoing ones by their level.
    legacy = incoming(staff, classification="mat")
    legacy.arrival_number, legacy.arrival_date = 3, day
    assert not numbers.in_secret_register(legacy)
    state = outgoing(staff, family="state", document_type="QĐ", classification="mat")
    assert numbers.in_secret_register(state)


def test_secret_party_documents_share_the_series_but_not_the_register(staff):
    """Party numbers are one series by law: the gap is forced. The ordinary
    outgoing register skips the number for everyone alike (nothing put in its
    place); the secret one is in the register for secret documents."""
    day = date(2026, 6, 3)
    symbols = [
        numbers.take_number(titled(staff, "outgoing", "Thông báo MOT"), day),
        numbers.take_number(titled(staff, "outgoing", "Thông báo BIMAT", classification="mat",
                                     need_to_know=["cleared-n"]), day),
        numbers.take_number(titled(staff, "outgoing", "Thông báo BA"), day),
    ]
    assert symbols == ["01-TB/ĐĐHĐND", "02-TB/ĐĐHĐND", "03-TB/ĐĐHĐND"]
    plain = register_rows("clerk-n", "outgoing", 2026)
    assert [r["symbol"] for r in plain] == ["01-TB/ĐĐHĐND", "03-TB/ĐĐHĐND"]
    assert register_rows("cleared-n", "outgoing", 2026) == plain  # the same page, cleared or not
    assert [r["symbol"] for r in register_rows("cleared-n", "outgoing", 2026, secret=True)] == ["02-TB/ĐĐHĐND"]


def test_the_register_export_has_the_secret_registers(staff):
    from hdnd.content.exports import register_xlsx
    from openpyxl import load_workbook

    import io

    numbers.take_arrival_number(titled(staff, "incoming", "Công văn MOT"), date(2026, 6, 4))
    numbers.take_arrival_number(titled(staff, "incoming", "Văn bản BIMAT", classification="mat"), date(2026, 6, 4))
    ordinary = load_workbook(io.BytesIO(register_xlsx("incoming", 2026))).active
    secret = load_workbook(io.BytesIO(register_xlsx("incoming", 2026, secret=True))).active
    cells = [[c.value for c in row] for row in ordinary.iter_rows(min_row=4)]
    assert [row[0] for row in cells] == [1] and "BIMAT" not in str(cells)
    assert "mật" in secret["A1"].value and [r[0].value for r in secret.iter_rows(min_row=4)] == [1]

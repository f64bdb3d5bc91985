"""The trích yếu of a reply (hdnd.content.replies.reply_subject): what is
known of the document answered, and its subject once ("về" not doubled)."""

from datetime import date
from hdnd.content.replies import reply_subject
from types import SimpleNamespace


def doc(title, symbol="125/UBND-TH", issue_date=date(2026, 11, 20), issuing_body="UBND Thành phố"):
    return SimpleNamespace(title=title, symbol=symbol, issue_date=issue_date, issuing_body=issuing_body)


def test_the_subject_names_the_document_answered():
    assert reply_subject(doc("Kế hoạch giám sát năm 2027")) == (
        "V/v trả lời văn bản số 125/UBND-TH ngày 20/11/2026 của UBND Thành phố về kế hoạch giám sát năm 2027")


def test_a_subject_that_says_what_it_is_about_is_not_doubled():
    for title in ("Về việc góp ý dự thảo", "V/v góp ý dự thảo"):
        subject = reply_subject(doc(title))
        assert "về về" not in subject and subject.endswith("về việc góp ý dự thảo" if title[0] == "V" and "việc" in title
                                                          else "về góp ý dự thảo"), subject


def test_what_is_unknown_is_left_out_and_500_characters_at_most():
    assert reply_subject(doc("Báo cáo", symbol=None, issue_date=None, issuing_body="")) == "V/v trả lời văn bản về báo cáo"
    assert len(reply_subject(doc("x" * 600))) == 500

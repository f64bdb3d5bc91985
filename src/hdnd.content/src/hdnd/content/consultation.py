"""Written consultation (xin ý kiến bằng văn bản): the opinion request's
ballots are answered by the members; reminders go to those who have not
answered before the deadline; when the results are published, a summary
report (báo cáo tổng hợp ý kiến) is filed in the request's dossier."""

from datetime import timedelta
from hdnd.content import voting
from hdnd.content.mail import mail_member
from hdnd.content.core import formats
from hdnd.content.core import officetime
from hdnd.content.core.officetime import OFFICE_TIME  # the one office zone (test_officetime)
from hdnd.content.types.ballot import IBallot
from plone import api


def ballots(request):
    return [b for b in request.objectValues() if IBallot.providedBy(b)]


def not_answered(request):
    """Members who have not answered every open ballot of the request."""
    missing = set()
    for ballot in ballots(request):
        box = voting.box(ballot)
        if box is None or api.content.get_state(ballot) != "open":
            continue
        answered = set(box.voters) if box.secret else set(box.votes)
        missing |= set(box.electorate) - answered
    return sorted(missing)


def remind(request):
    """E-mail the members who have not answered; returns their ids."""
    deadline = request.reply_deadline
    when = deadline if deadline.tzinfo else officetime.localize(deadline)  # a naive deadline is office time
    body = f"Đề nghị đồng chí cho ý kiến trước {formats.spoken_moment(when)}: {request.absolute_url()}"
    return [
        userid
        for userid in not_answered(request)
        if mail_member(userid, f"Nhắc trả lời: {request.title}", body)
    ]


def remind_due(days=2, now=None):
    """Remind for every open opinion request due within ``days`` (daily job)."""
    now = now or officetime.now()
    catalog = api.portal.get_tool("portal_catalog")
    reminded = {}
    for brain in catalog.unrestrictedSearchResults(portal_type="OpinionRequest", review_state="open"):
        request = brain._unrestrictedGetObject()
        deadline = request.reply_deadline
        if deadline.tzinfo is None:
            deadline = officetime.localize(deadline)
        if now <= deadline <= now + timedelta(days=days):
            reminded[request.absolute_url()] = remind(request)
    return reminded


CHOICE_WORDS = {"for": "tán thành", "against": "không tán thành", "other": "ý kiến khác"}


def results(request):
    """Each ballot of the request: its tally (provisional while it is open,
    its result once closed) and, once closed, each opinion given with a
    comment (the member and choice on an open ballot; anonymous on a secret
    one)."""
    found = []
    for ballot in ballots(request):
        result = voting.tally(ballot)
        if result is None:
            continue
        if not result["final"]:
            opinions = []
        elif result["secret"]:
            opinions = [{"comment": comment} for comment in result.get("opinions", ())]
        else:
            opinions = [{"member": member, "choice": vote["choice"], "comment": vote["comment"]}
                        for member, vote in sorted(result.get("votes", {}).items()) if vote["comment"]]
        found.append({
            "@id": ballot.absolute_url(), "title": ballot.title, "state": api.content.get_state(ballot),
            **{key: result[key] for key in ("incumbent", "for", "against", "other", "not_voted", "voted", "secret",
                                            "final", "provisional", "result", "passed")},
            "opinions": opinions,
        })
    return found


def summary(request, found=None):
    lines = [f"BÁO CÁO TỔNG HỢP Ý KIẾN: {request.title}"]
    for result in results(request) if found is None else found:
        if result["final"]:
            verdict = "được thông qua" if result["passed"] else "không được thông qua"
        else:
            verdict = "kết quả tạm tính, đang lấy ý kiến"
        lines.append(
            f"- {result['title']}: {result['for']} tán thành, {result['against']} không tán thành, "
            f"{result['other']} ý kiến khác, {result['not_voted']} không trả lời "
            f"(trên {result['incumbent']} thành viên): {verdict}."
        )
        for opinion in result["opinions"]:
            if "member" in opinion:
                lines.append(f"  Ý kiến của {opinion['member']} ({CHOICE_WORDS[opinion['choice']]}): "
                             f"{opinion['comment']}")
            else:
                lines.append(f"  Ý kiến: {opinion['comment']}")
    return "\n".join(lines)


def on_request_transition(request, event):
    """Published: file the summary report in the request's dossier."""
    if event.transition is None or event.transition.id != "publish":
        return
    dossier = request.dossier.to_object if getattr(request, "dossier", None) else None
    text = summary(request)
    request.summary = text
    if dossier is None:
        return
    with api.env.adopt_roles(["Manager"]):
        api.content.create(
            container=dossier, type="OfficialDocument", direction="internal", document_type="BC",
            title=f"Báo cáo tổng hợp ý kiến: {request.title}"[:500], description=text,
            safe_id=True, id=f"tong-hop-{request.getId()}",
        )

"""Written consultation (xin ý kiến bằng văn bản): the opinion request's
ballots are answered by the members; reminders go to those who have not
answered before the deadline; when the results are published, a summary
report (báo cáo tổng hợp ý kiến) is filed in the request's dossier."""

from datetime import timedelta
from hdnd.content import voting
from hdnd.content.mail import mail_member
from hdnd.content.core import officetime
from hdnd.content.core.officetime import OFFICE_TIME
from plone import api


def ballots(request):
    return [b for b in request.objectValues() if b.portal_type == "Ballot"]


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
    when = deadline.astimezone(OFFICE_TIME) if deadline.tzinfo else deadline
    body = f"Đề nghị đồng chí cho ý kiến trước {when:%H giờ %M ngày %d/%m/%Y}: {request.absolute_url()}"
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


def summary(request):
    lines = [f"BÁO CÁO TỔNG HỢP Ý KIẾN: {request.title}"]
    for ballot in ballots(request):
        result = voting.tally(ballot)
        if result is None:
            continue
        verdict = "được thông qua" if result["passed"] else "không được thông qua"
        lines.append(
            f"- {ballot.title}: {result['for']} tán thành, {result['against']} không tán thành, "
            f"{result['other']} ý kiến khác, {result['not_voted']} không trả lời "
            f"(trên {result['incumbent']} thành viên): {verdict}."
        )
        for opinion in result.get("reserved_opinions", ()):
            lines.append(f"  Ý kiến bảo lưu ({opinion['member']}): {opinion['comment']}")
        for opinion in result.get("opinions", ()):
            lines.append(f"  Ý kiến: {opinion}")
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

"""Meetings: the year's periodic meetings, invitations and attendance.

- ``schedule(folder, year)`` proposes the twelve periodic meetings in the
  last week of each month (editable afterwards; existing ones are kept);
- ``invite(meeting)`` e-mails each member their invitation through Plone's
  MailHost, listing only the agenda and papers that member may see;
- ``record_attendance(meeting, present)`` and ``attendance(meeting)``: who
  was present, and whether the quorum (≥ 2/3 of the incumbent members by
  default, ``hdnd.voting.quorum`` in the registry) is met.
"""

from datetime import datetime
from fractions import Fraction
from hdnd.content.core import officetime
from hdnd.content.core import formats
from hdnd.content.core.officetime import OFFICE_TIME  # the one office zone (zoneinfo)
from hdnd.content.core import voting
from hdnd.content.mail import mail_member
from hdnd.content.core.calendar import periodic_meeting_days
from hdnd.content.types.agenda_item import IAgendaItem
from hdnd.content.viewing import visible
from hdnd.content.voting import incumbent_members  # also meetings.incumbent_members for boards
from plone import api
from zope.annotation.interfaces import IAnnotations


ATTENDANCE_KEY = "hdnd.content.attendance"


def quorum_fraction():
    """The configured quorum; a value that is not a fraction in (0, 1] is an
    administrator's slip, and the law's default 2/3 applies."""
    text = api.portal.get_registry_record("hdnd.voting.quorum", default="2/3") or "2/3"
    try:
        value = Fraction(text)
    except (ValueError, ZeroDivisionError):
        return voting.DEFAULT_QUORUM
    return value if 0 < value <= 1 else voting.DEFAULT_QUORUM


def schedule(folder, year, hour=8, location="Phòng họp Đảng đoàn"):
    """Create the year's periodic meetings that do not exist yet; return them."""
    created = []
    for day in periodic_meeting_days(year):
        meeting_id = f"dinh-ky-{year}-{day.month:02d}"
        if meeting_id in folder.objectIds():
            continue
        start = officetime.localize(datetime(day.year, day.month, day.day, hour))
        created.append(api.content.create(
            container=folder, type="Meeting", id=meeting_id,
            title=f"Phiên họp định kỳ tháng {day.month}/{year}", meeting_kind="periodic",
            start=start, end=start.replace(hour=hour + 3), location=location,
            members=incumbent_members(),
        ))
    return created


def record_attendance(meeting, present):
    members = set(incumbent_members())
    unknown = sorted(set(present) - members)
    if unknown:
        raise voting.VotingError(f"present: not incumbent members: {', '.join(unknown)}")
    IAnnotations(meeting)[ATTENDANCE_KEY] = sorted(set(present))
    return attendance(meeting)


def attendance(meeting):
    present = list(IAnnotations(meeting).get(ATTENDANCE_KEY, ()))
    members = set(incumbent_members())
    # The quorum counts those present who are still incumbent members: a
    # member removed after the meeting (or all of them) must not make the
    # count impossible (more present than members); with no members there
    # is no quorum.
    counted = len(members.intersection(present))
    return {
        "present": present,
        "incumbent": len(members),
        "quorum": str(quorum_fraction()),
        "quorum_met": bool(members) and voting.quorum_met(counted, len(members), quorum_fraction()),
    }


def agenda(meeting):
    """The meeting's agenda items the current user may see, in their order
    (the meeting page, generated minutes and invitations list these)."""
    return visible(o for o in meeting.objectValues() if IAgendaItem.providedBy(o))


def agenda_dossiers(item):
    """The dossiers an agenda item lists that the current user may see."""
    return visible(r.to_object for r in (item.dossiers or ()) if r is not None and r.to_object is not None)


def invitation_text(meeting, userid):
    """The invitation as ``userid`` may read it: items they cannot see are left out."""
    with api.env.adopt_user(username=userid):
        items = agenda(meeting)
        lines = [
            "GIẤY MỜI",
            f"Kính mời đồng chí dự {meeting.title}.",
            f"Thời gian: {formats.spoken_moment(meeting.start)}.",
            f"Địa điểm: {meeting.location or ''}.",
            "Nội dung:",
        ]
        lines += [f"{n}. {item.title} — {item.absolute_url()}" for n, item in enumerate(items, 1)]
    lines.append(f"Tài liệu: {meeting.absolute_url()}")
    return "\n".join(lines)


def invite(meeting):
    """E-mail each invited member (the meeting's members, else the incumbent
    members); returns the addresses written to."""
    sent = []
    for userid in meeting.members or incumbent_members():
        address = mail_member(userid, f"Giấy mời: {meeting.title}", invitation_text(meeting, userid))
        if address:
            sent.append(address)
    return sent


def draft_conclusion(meeting, text):
    """Draft the conclusion notice (thông báo kết luận) as an outgoing TB
    document in the documents section and link it to the meeting; it is then
    reviewed, signed and issued with its number like any outgoing document."""
    from z3c.relationfield import RelationValue
    from zope.component import getUtility
    from zope.intid.interfaces import IIntIds
    from zope.lifecycleevent import modified

    if meeting.conclusion_notice and meeting.conclusion_notice.to_object is not None:
        return meeting.conclusion_notice.to_object
    portal = api.portal.get()
    notice = api.content.create(
        container=portal["van-ban"], type="OfficialDocument", direction="outgoing",
        document_type="TB", title=f"Thông báo kết luận {meeting.title[0].lower()}{meeting.title[1:]}",
        description=text, recipients=["Các đồng chí Thành viên Đảng đoàn", "Lưu Văn phòng"],
        classification=getattr(meeting, "classification", None) or "none",
        need_to_know=list(getattr(meeting, "need_to_know", None) or ()),
    )
    meeting.conclusion_notice = RelationValue(getUtility(IIntIds).getId(notice))
    # The relation catalog (the notice finds its meeting through it) is
    # updated on the modified event.
    modified(meeting)
    return notice

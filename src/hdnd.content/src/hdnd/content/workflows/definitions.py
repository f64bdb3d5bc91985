"""The workflows of the dossier procedure (domain §2), each readable here in
one place: its states, who sees, edits and adds in each, and its transitions.

Roles: the office roles are given to groups *locally*, on the site's
sections, never globally; a classified item blocks those acquired roles and
grants them again only to cleared people who need to know, and takes the
administrators' roles out of its permissions (see security.py). Below,
administrators (Manager, Site Administrator) see every state and may correct
any state that is not final; the classification rules then apply on top.
"""

from hdnd.content.workflows.spec import State
from hdnd.content.workflows.spec import Transition
from hdnd.content.workflows.spec import Workflow


LEADER = "DelegationLeader"
MEMBER = "DelegationMember"
HEAD = "OfficeHead"
SPECIALIST = "Specialist"
CLERK = "RegistryClerk"
RECORDS = "RecordsManager"
# Everyone who works on the office's unclassified records, and Plone's
# Reader (held on the sections by administrators and read-only staff).
STAFF = (LEADER, MEMBER, HEAD, SPECIALIST, CLERK, RECORDS, "Reader")
ADMIN = ("Manager", "Site Administrator")


def state(id, title, description, edit=(), add=(), final=False, see=STAFF):
    """A state seen by the staff; administrators may also correct it unless final."""
    extra = () if final else ADMIN
    return State(id, title, description, see + ADMIN, edit=edit + extra, add=add + extra)


INCOMING = Workflow(
    id="hdnd_incoming_workflow",
    title="Văn bản đến",
    description="Received, registered with its arrival number, assigned on a processing slip, "
    "handled, then filed; or returned to its sender.",
    initial="received",
    states=(
        state("received", "Tiếp nhận", "Received, not yet registered.", edit=(CLERK, HEAD), add=(CLERK,)),
        state("registered", "Đã đăng ký", "Registered with its arrival number.", edit=(CLERK,), add=(CLERK, LEADER, HEAD)),
        state("assigned", "Đã phân công", "Assigned on a processing slip.", edit=(CLERK,), add=(LEADER, HEAD, SPECIALIST)),
        state("in_progress", "Đang xử lý", "Being handled by the lead unit.", edit=(CLERK,), add=(LEADER, HEAD, SPECIALIST)),
        state("done", "Đã xử lý", "Handled; waiting to be filed.", add=(CLERK, RECORDS)),
        state("filed", "Đã lưu hồ sơ", "Filed: read-only.", final=True),
        state("returned", "Trả lại", "Returned to its sender.", final=True),
        state("withdrawn", "Đã thu hồi", "Recalled by its sender, who asked for it back.", final=True),
    ),
    transitions=(
        Transition("register", "Đăng ký", ("received",), "registered", (CLERK,),
                   "Give the arrival number (số đến); needs the symbol, issuing body, date of issue and subject."),
        Transition("assign", "Phân công", ("registered",), "assigned", (LEADER, HEAD),
                   "Needs a processing slip with a lead unit."),
        Transition("start", "Bắt đầu xử lý", ("assigned",), "in_progress", (HEAD, SPECIALIST)),
        Transition("complete", "Hoàn thành", ("in_progress",), "done", (HEAD, SPECIALIST)),
        Transition("reopen", "Xử lý lại", ("done",), "in_progress", (LEADER, HEAD), exception=True),
        Transition("file", "Lưu hồ sơ", ("done",), "filed", (CLERK, RECORDS)),
        Transition("return_to_sender", "Trả lại nơi gửi", ("received", "registered"), "returned",
                   (CLERK, HEAD), exception=True),
        Transition("withdraw", "Đồng ý thu hồi", ("received", "registered", "assigned", "in_progress"),
                   "withdrawn", (CLERK, HEAD), "Only when its sender asked to recall it (status 13).",
                   condition="python:bool(getattr(here, 'recall_requested', None))", exception=True),
    ),
)

OUTGOING = Workflow(
    id="hdnd_outgoing_workflow",
    title="Văn bản đi",
    description="Drafted, reviewed, checked for format by the registry, signed, then issued "
    "with its number; an issued document may be recalled or superseded.",
    initial="draft",
    states=(
        state("draft", "Dự thảo", "Being drafted.", edit=(SPECIALIST, HEAD),
              add=(SPECIALIST, HEAD)),
        state("review", "Chờ duyệt", "Waiting for the office head's review.", edit=(HEAD,),
              add=(HEAD,)),
        state("format_check", "Kiểm tra thể thức", "The registry checks the format.", edit=(CLERK,)),
        state("awaiting_signature", "Chờ ký", "Waiting for the leader's signature."),
        state("signed", "Đã ký", "Signed; the registry numbers and issues it.", edit=(CLERK,),
              add=(CLERK,)),
        state("issued", "Đã ban hành", "Issued with its number: read-only.", final=True),
        state("recalled", "Đã thu hồi", "Recalled after issue.", final=True),
        state("superseded", "Đã bị thay thế", "Replaced by a newer document.", final=True),
    ),
    transitions=(
        Transition("submit", "Trình duyệt", ("draft",), "review", (SPECIALIST, HEAD)),
        Transition("send_back", "Trả lại dự thảo", ("review", "format_check", "awaiting_signature"),
                   "draft", (HEAD, CLERK, LEADER), exception=True),
        Transition("approve", "Duyệt", ("review",), "format_check", (HEAD,)),
        Transition("format_ok", "Đạt thể thức", ("format_check",), "awaiting_signature", (CLERK,)),
        Transition("sign", "Ký", ("awaiting_signature",), "signed", (LEADER,),
                   "Needs the signer's name."),
        Transition("issue", "Ban hành", ("signed",), "issued", (CLERK,),
                   "Gives the number and symbol; needs the signer's name and position, the document type and subject."),
        Transition("recall", "Thu hồi", ("issued",), "recalled", (LEADER, CLERK), exception=True),
        Transition("supersede", "Thay thế", ("issued",), "superseded", (LEADER, CLERK),
                   "Also taken automatically when a replacing document is issued.", exception=True),
    ),
)

DOSSIER = Workflow(
    id="hdnd_dossier_workflow",
    title="Hồ sơ công việc",
    description="Opened, worked on, submitted to the delegation, decided, closed, "
    "then transferred to the archive.",
    initial="open",
    states=(
        state("open", "Mở", "Opened.", edit=(SPECIALIST, HEAD, RECORDS),
              add=(SPECIALIST, HEAD, CLERK, RECORDS, LEADER)),
        state("in_progress", "Đang giải quyết", "Being worked on.", edit=(SPECIALIST, HEAD, RECORDS), add=(SPECIALIST, HEAD, CLERK, RECORDS, LEADER)),
        state("submitted", "Đã trình", "Submitted to the delegation.", edit=(HEAD,),
              add=(HEAD, LEADER)),
        state("decided", "Đã quyết định", "Decided; to be completed and closed.", edit=(HEAD, RECORDS), add=(SPECIALIST, HEAD, CLERK, RECORDS)),
        state("closed", "Đã kết thúc", "Closed: read-only.", final=True),
        state("transferred", "Đã nộp lưu", "Transferred to the archive.", final=True),
    ),
    transitions=(
        Transition("start", "Bắt đầu giải quyết", ("open",), "in_progress", (SPECIALIST, HEAD)),
        Transition("submit", "Trình", ("in_progress",), "submitted", (SPECIALIST, HEAD)),
        Transition("return", "Trả lại", ("submitted",), "in_progress", (LEADER, HEAD), exception=True),
        Transition("decide", "Quyết định", ("submitted",), "decided", (LEADER, HEAD)),
        Transition("close", "Kết thúc hồ sơ", ("decided",), "closed", (HEAD, RECORDS),
                   "Needs the dossier code and retention; no open tasks, no unissued drafts."),
        Transition("reopen", "Mở lại", ("closed",), "decided", (RECORDS,), exception=True),
        Transition("transfer", "Nộp lưu", ("closed",), "transferred", (RECORDS,)),
    ),
)

TASK = Workflow(
    id="hdnd_task_workflow",
    title="Nhiệm vụ",
    description="Assigned, in progress, reported, accepted; whether it is on time, late or "
    "overdue is derived from its dates.",
    initial="assigned",
    states=(
        state("assigned", "Đã giao", "Assigned.", edit=(HEAD, SPECIALIST),
              add=(HEAD, SPECIALIST)),
        state("in_progress", "Đang thực hiện", "In progress.", edit=(HEAD, SPECIALIST),
              add=(HEAD, SPECIALIST)),
        state("reported", "Đã báo cáo", "Reported done; waiting for acceptance.", edit=(HEAD,), add=(HEAD,)),
        state("accepted", "Đã nghiệm thu", "Accepted as done.", final=True),
    ),
    transitions=(
        Transition("start", "Bắt đầu", ("assigned",), "in_progress", (HEAD, SPECIALIST)),
        Transition("report", "Báo cáo hoàn thành", ("in_progress",), "reported", (HEAD, SPECIALIST)),
        Transition("return", "Yêu cầu tiếp tục", ("reported",), "in_progress", (HEAD, LEADER), exception=True),
        Transition("accept", "Nghiệm thu", ("reported",), "accepted", (HEAD, LEADER),
                   "Records the completion date."),
        Transition("reopen", "Mở lại", ("accepted",), "in_progress", (HEAD, LEADER),
                   "Clears the completion date.", exception=True),
    ),
)

MEETING = Workflow(
    id="hdnd_meeting_workflow",
    title="Phiên họp, xin ý kiến, biểu quyết",
    description="Prepared, open, closed, results published.",
    initial="prepared",
    states=(
        state("prepared", "Chuẩn bị", "Being prepared.", edit=(HEAD, SPECIALIST),
              add=(HEAD, SPECIALIST)),
        state("open", "Đang diễn ra", "Open: members take part.", edit=(HEAD,),
              add=(HEAD, SPECIALIST)),
        state("closed", "Đã kết thúc", "Closed; results being prepared.", edit=(HEAD,),
              add=(HEAD,)),
        state("published", "Đã công bố kết quả", "Results published: read-only.", final=True),
    ),
    transitions=(
        Transition("open", "Bắt đầu", ("prepared",), "open", (HEAD, SPECIALIST)),
        Transition("close", "Kết thúc", ("open",), "closed", (HEAD, LEADER)),
        Transition("reopen", "Mở lại", ("closed",), "open", (HEAD,), exception=True),
        Transition("publish", "Công bố kết quả", ("closed",), "published", (HEAD, LEADER)),
    ),
)

PROGRAMME = Workflow(
    id="hdnd_programme_workflow",
    title="Chương trình công tác",
    description="One state: the programme and its items are kept up to date all year.",
    initial="active",
    states=(
        state("active", "Đang thực hiện", "Kept up to date.", edit=(HEAD, SPECIALIST),
              add=(HEAD, SPECIALIST)),
    ),
    transitions=(),
)

SECTION = Workflow(
    id="hdnd_section_workflow",
    title="Khu vực của trang",
    description="The site's sections: seen by the staff who work there (local roles), "
    "added to by those who hold Contributor there.",
    initial="active",
    states=(
        state("active", "Hoạt động", "In use.", see=STAFF + ("SecurityOfficer",),
              add=("Contributor",)),
    ),
    transitions=(),
)

FILE_PLAN = Workflow(
    id="hdnd_file_plan_workflow",
    title="Danh mục hồ sơ",
    description="Drafted by the records managers, approved at the start of the year; "
    "revised only by taking it back to draft.",
    initial="draft",
    states=(
        state("draft", "Dự thảo", "Being drafted.", edit=(RECORDS, HEAD), add=(RECORDS, HEAD)),
        state("approved", "Đã phê duyệt", "Approved: dossiers are opened from it."),
    ),
    transitions=(
        Transition("approve", "Phê duyệt", ("draft",), "approved", (LEADER, HEAD)),
        Transition("revise", "Sửa đổi", ("approved",), "draft", (RECORDS, HEAD), exception=True),
    ),
)

TRANSFER = Workflow(
    id="hdnd_transfer_workflow",
    title="Nộp lưu",
    description="Proposed with its transfer list; accepted when the archive signs the "
    "hand-over record, which makes its dossiers transferred.",
    initial="proposed",
    states=(
        state("proposed", "Đề nghị nộp lưu", "Prepared by the records manager.", edit=(RECORDS,), add=(RECORDS,),
              see=(RECORDS, HEAD, LEADER)),
        state("accepted", "Đã giao nhận", "Accepted by the archive: read-only.", final=True,
              see=(RECORDS, HEAD, LEADER)),
    ),
    transitions=(
        Transition("accept", "Giao nhận", ("proposed",), "accepted", (RECORDS,),
                   "Needs the hand-over date and the archive officer; the dossiers must be closed."),
    ),
)

RECORDS_SEE = (RECORDS, HEAD, LEADER)
DESTRUCTION = Workflow(
    id="hdnd_destruction_workflow",
    title="Hủy tài liệu hết giá trị",
    description="Proposed, appraised by the council, appraised in writing by the archive "
    "authority, decided by the head, destroyed; each step records its paper.",
    initial="proposed",
    states=(
        state("proposed", "Đề nghị hủy", "Listed by the records manager.", edit=(RECORDS,), see=RECORDS_SEE),
        state("appraised", "Hội đồng đã thẩm định", "The appraisal council has met.", edit=(RECORDS,),
              see=RECORDS_SEE),
        state("authorized", "Đã có ý kiến thẩm định", "The archive authority agreed in writing.",
              edit=(RECORDS, HEAD), see=RECORDS_SEE),
        state("decided", "Đã có quyết định hủy", "The head decided the destruction.", see=RECORDS_SEE),
        state("destroyed", "Đã hủy", "Destroyed; the tombstones remain.", final=True, see=RECORDS_SEE),
    ),
    transitions=(
        Transition("appraise", "Thẩm định", ("proposed",), "appraised", (RECORDS, HEAD),
                   "Needs the council's minutes."),
        Transition("authorize", "Ghi nhận ý kiến thẩm định", ("appraised",), "authorized", (RECORDS,),
                   "Needs the archive authority's written appraisal."),
        Transition("decide", "Quyết định hủy", ("authorized",), "decided", (HEAD, LEADER),
                   "Needs the decision's number and date."),
        Transition("destroy", "Hủy", ("decided",), "destroyed", (RECORDS,),
                   "Every dossier must be closed, expired and free of legal hold."),
    ),
)

# A secret document stub on the main installation records only that a Party
# number was taken by a document held on the confidential installation
# (domain §5; types/secret_stub.py). Who keeps the numbering and the
# registers needs it: the registry clerks, who give numbers and would
# otherwise see a gap, and the records managers, who account for every
# number of the series. Nobody else, not the Reader every member of staff
# holds on the section: the stub says a secret document exists. One state,
# no transition (nothing to publish, submit or send back), no edit: stubs
# come only from a signed report of the confidential installation.
STUB_SEE = (CLERK, RECORDS)
SECRET_STUB = Workflow(
    id="hdnd_secret_stub_workflow",
    title="Văn bản mật (số đã cấp)",
    description="One state: the record that a Party number was issued to a secret document held on "
    "the confidential installation; seen by the registry and the records managers, changed by nobody.",
    initial="recorded",
    states=(
        state("recorded", "Đã ghi nhận", "Recorded from the confidential installation's report: "
              "read-only.", see=STUB_SEE, final=True),
    ),
    transitions=(),
)

# States in which nothing is left to do: a task accepted; a document no
# longer a draft or in hand (closing a dossier and archiving count these).
CLOSED_TASK_STATES = ("accepted",)
SETTLED_DOCUMENT_STATES = ("issued", "recalled", "superseded", "filed", "done", "returned", "withdrawn")

WORKFLOWS = (INCOMING, OUTGOING, DOSSIER, TASK, MEETING, PROGRAMME, SECTION, FILE_PLAN, TRANSFER, DESTRUCTION,
             SECRET_STUB)

# Type -> workflow chain. OfficialDocument is chosen by direction (chains.py):
# outgoing and internal documents follow OUTGOING, incoming ones INCOMING.
# Types with no chain take their permissions from their container.
CHAINS = {
    "Dossier": DOSSIER.id,
    "OfficialDocument": OUTGOING.id,
    "Task": TASK.id,
    "Meeting": MEETING.id,
    "OpinionRequest": MEETING.id,
    "Ballot": MEETING.id,
    "WorkProgramme": PROGRAMME.id,
    "ProgrammeItem": "",
    "FilePlan": FILE_PLAN.id,
    "FilePlanHeading": "",
    "TransferBatch": TRANSFER.id,
    "DestructionList": DESTRUCTION.id,
    "SecretDocumentStub": SECRET_STUB.id,
    "AgendaItem": "",
    "ProcessingSlip": "",
    "ProgressReport": "",
    "File": "",
    "Image": "",
    "Folder": SECTION.id,
}


def by_id(workflow_id):
    return next(w for w in WORKFLOWS if w.id == workflow_id)

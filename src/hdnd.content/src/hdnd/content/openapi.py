"""The OpenAPI description of hdnd's own REST endpoints, served at
``GET /@hdnd-openapi`` (plone.restapi's standard endpoints are documented
by plone.restapi). It is the contract, checked by independent tools:

- every request body's schema names its required fields and their types;
- every response's schema, and every status an endpoint gives: 400 (a bad
  field or body, naming it), 401 (not signed in), 403 (signed in without
  the right, or an agency's token outside the exchange), 404 (an item that
  is missing — or hidden from the requester, which answers the same), 413
  (a body over the limit) and 415 (a body that is not JSON) from the one
  body reader (hdnd.content.bodies), 409 when a write conflict outlasts
  Zope's retries (:class:`ConflictErrorView`), 503 where a helper service
  (the mail server, LibreOffice, the signing key) is down; downloads with
  their real media types;
- the security each endpoint has: HTTP basic or a JWT (``@login``); the
  exchange endpoints also take an agency's exchange-only token; this
  description is public.

A test keeps it complete (every hdnd service registered in ZCML is here),
openapi-spec-validator checks it, and schemathesis runs against it on a
real site (tests/integration/test_schemathesis.py)."""

from zExceptions import BadRequest

import copy


def obj(needed=(), /, **properties):
    """An object schema: ``properties`` as schemas or type names, the
    ``needed`` ones required."""
    schema = {"type": "object", "properties": {k: (t(v) if isinstance(v, str) else v) for k, v in properties.items()}}
    if needed:
        schema["required"] = list(needed)
    return schema


def t(name, **more):
    return {"type": name, **more}


def array(items):
    return {"type": "array", "items": t(items) if isinstance(items, str) else items}


def nullable(name, **more):
    return {"type": name, "nullable": True, **more}


STRING, INTEGER, BOOLEAN = t("string"), t("integer"), t("boolean")
DATE = t("string", format="date", example="2026-11-20")
URL = t("string", description="The item's URL")
ANY = {}

# Errors: plone.rest's {"type", "message"} (Plone's classic error view gives
# {"error_type"}), hdnd's own refusals add "errors" naming each field.
ERROR_SCHEMA = {"type": "object", "properties": {
    "type": STRING, "message": STRING, "error_type": STRING,
    "errors": array(obj(field=STRING, message=STRING)),
    "failures": array(ANY), "context": STRING, "traceback": array(STRING),
    "error": obj(type=STRING, message=STRING)}}


def error(description):
    return {"description": description, "content": {"application/json": {"schema": ERROR_SCHEMA}}}


BAD = error("Bad input: the message (and `errors`) name the field")
UNAUTHORIZED = error("Not signed in (or the credentials are not valid)")
FORBIDDEN = error("Signed in without the right to do this, or an agency's token outside the exchange endpoints")
NOT_FOUND = error("No such item — or one the requester may not see, which answers the same")
TOO_LARGE = error("The body is larger than the endpoint takes")
NOT_JSON = error("The body is not sent as application/json")
UNAVAILABLE = error("A service hdnd relies on (mail server, LibreOffice, signing key, the OCR packages) is not available now")
CONFLICT = {**error("Another request changed the same records at the same moment, and retrying did not resolve "
                    "it: nothing was written; send the request again"),
            "headers": {"Retry-After": {"description": "Seconds to wait", "schema": INTEGER}}}

# The registers @hdnd-export gives (hdnd.content.registers.REGISTERS; a test keeps them equal).
REGISTERS = ("incoming", "outgoing", "incoming-secret", "outgoing-secret")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BINARY = t("string", format="binary")
DISPOSITION = {"Content-Disposition": {"description": "attachment; filename=…", "schema": STRING}}


def download(*media_types, description="The file"):
    return {"description": description, "headers": DISPOSITION,
            "content": {m: {"schema": BINARY} for m in media_types}}


def ok(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def query(*names, required=(), **typed):
    """Query parameters: ``names`` as strings, ``typed`` with their schema."""
    parameters = [{"name": n, "in": "query", "required": n in required, "schema": STRING} for n in names]
    parameters += [{"name": n, "in": "query", "required": n in required, "schema": s} for n, s in typed.items()]
    return parameters


def body(schema, media_type="application/json"):
    return {"required": True, "content": {media_type: {"schema": schema}}}


def optional_body(schema):
    return {"required": False, "content": {"application/json": {"schema": schema}}}


BASIC, JWT, AGENCY = {"basic": []}, {"jwt": []}, {"agencyToken": []}
SIGNED_IN = [BASIC, JWT]
EXCHANGE = [BASIC, JWT, AGENCY]
PUBLIC = [{}]
# Answered to anonymous users too (with what they may see: nothing private).
OPEN = [{}, BASIC, JWT]


def op(summary, *, params=(), request=None, returns=None, tag="hdnd", security=SIGNED_IN, item=False,
       created=None, unavailable=False, more=None):
    """One operation, with every status it can answer."""
    responses = {"200": returns or ok(obj())}
    if created:
        responses["201"] = created
    responses["400"] = BAD
    if security is not PUBLIC:
        responses["401"] = UNAUTHORIZED
        responses["403"] = FORBIDDEN
    if item:
        responses["404"] = NOT_FOUND
    if security is not PUBLIC:
        responses["409"] = CONFLICT  # any request may write (the audit trail records reads)
    if request:
        responses["413"] = TOO_LARGE
        if "application/json" in request["content"]:
            responses["415"] = NOT_JSON
    if unavailable:
        responses["503"] = UNAVAILABLE
    responses.update(more or {})
    operation = {"summary": summary, "tags": [tag], "parameters": list(params), "responses": responses,
                 "security": security}
    if request:
        operation["requestBody"] = request
    return operation


ITEM = {"name": "item", "in": "path", "required": True, "schema": STRING,
        "description": "The path of the item in the site, e.g. `ho-so/hs-2026-0117`"}


def on_item(summary, *, params=(), **kwargs):
    return op(summary, params=[ITEM, *params], item=True, **kwargs)


FILE = obj(["data"], filename=STRING, content_type=STRING, data=t("string", format="byte"))
DOCUMENT = obj(["idempotency_key", "symbol", "title", "issuing_body", "issue_date"],
               idempotency_key=STRING, symbol=t("string", example="125/UBND-VP"), title=STRING, description=STRING,
               issuing_body=STRING, issue_date=DATE, document_type=STRING, urgency=STRING, page_count=INTEGER,
               channel=STRING, recipients=array("string"), signer=STRING, signer_position=STRING, due_date=DATE,
               classification=STRING, files=array(FILE))
STATUS = array(obj(code=STRING, description=STRING, time=STRING))
RECEIVED = obj(["@id", "created", "idempotency_key", "status"], **{"@id": URL}, created=BOOLEAN,
               idempotency_key=STRING, status=STATUS)
HEAD = obj(["seq", "hash"], seq=INTEGER, hash=STRING)
WORKER = {"name": "X-HDND-Worker", "in": "header", "required": True, "schema": STRING,
          "description": "The worker's secret (HDND_OCR_WORKER_SECRET, set by hdnd serve); 403 without it"}
OCR_STATE = obj(["state", "attempts", "error", "searchable", "missing"],
                state=t("string", enum=["none", "pending", "running", "done", "failed"]), attempts=INTEGER,
                error=STRING, searchable=nullable("string", description="The searchable PDF's URL"),
                missing=array("string"), queued=nullable("string"), done=nullable("string"),
                **{"@id": URL}, title=STRING)
ITEMS = obj(["items"], items=array(obj()))
CREATED = obj(["created"], created=array(URL))
XML = {"application/xml": {"schema": STRING}}
MESSAGE = obj(["seq"], seq=INTEGER, withheld=BOOLEAN, business=STRING, document_id=STRING, time=STRING,
              edxml=STRING)
ATTENDANCE = obj(["present", "incumbent", "quorum", "quorum_met"], present=array("string"), incumbent=INTEGER,
                 quorum=t("string", example="2/3"), quorum_met=BOOLEAN)
TALLY = obj(["voted", "secret", "final", "provisional", "result"], voted=INTEGER, secret=BOOLEAN, final=BOOLEAN,
            provisional=BOOLEAN, result=t("string", enum=["passed", "not_passed", "provisional"]), no_voters=BOOLEAN,
            passed=nullable("boolean"), me=obj(["electorate", "voted"], electorate=BOOLEAN, voted=BOOLEAN,
                                               choice=STRING, comment=STRING),
            opinions=array(ANY), votes=obj(), reserved_opinions=array(obj()))
TRANSFER = obj(["due", "held_until"], due=nullable("string", format="date"), held_until=nullable("string", format="date"),
               warning=nullable("string"))

REPLY = obj(["@id", "title", "recipients", "in_reply_to", "review_state"], **{"@id": URL}, title=STRING,
            recipients=array("string"), in_reply_to=URL, review_state=STRING)
SLIP = obj(["@id", "title", "lead_unit", "deadline"], **{"@id": URL}, title=STRING, lead_unit=STRING,
           deadline=nullable("string", format="date"))

PATHS = {
    # Other agencies' systems
    "/@hdnd-receive": {"post": op("Send a document and its files (idempotent by key)", tag="exchange",
                                  request=body(DOCUMENT), security=EXCHANGE, returns=ok(RECEIVED, "The same document, sent again"),
                                  created=ok(RECEIVED, "The new document"))},
    "/@hdnd-receive-bulk": {"post": op("Send many documents, all or nothing", tag="exchange", security=EXCHANGE,
                                       request=body(obj(["items"], items=array(DOCUMENT))),
                                       returns=ok(obj(["items"], items=array(RECEIVED))))},
    "/@hdnd-sent-status": {"get": op("Status replies (01-06, 13, 15, 16) of a document sent", tag="exchange",
                                     params=query("idempotency_key", required=("idempotency_key",)), security=EXCHANGE,
                                     returns=ok(obj(["idempotency_key", "status"], idempotency_key=STRING,
                                                    symbol=nullable("string"), arrival_number=nullable("integer"),
                                                    recall_requested=BOOLEAN, status=STATUS)))},
    "/@hdnd-recall-request": {"post": op("Ask for a document sent back (status 13)", tag="exchange", security=EXCHANGE,
                                         request=body(obj(["idempotency_key", "reason"], idempotency_key=STRING,
                                                          reason=STRING)),
                                         returns=ok(obj(["idempotency_key", "status"], idempotency_key=STRING,
                                                        recall_requested=BOOLEAN, status=STATUS)))},
    "/@hdnd-edxml": {"post": op("Send an edXML envelope (QCVN 102:2016): a new document or a recall",
                                tag="exchange", request=body(STRING, "application/xml"), security=EXCHANGE,
                                returns=ok(RECEIVED, "The same document, sent again"),
                                created=ok(RECEIVED, "The new document"))},
    "/@hdnd-outbox": {"get": op("Envelopes the office sent the agency, by cursor", tag="exchange", security=EXCHANGE,
                                params=query(since=t("integer", minimum=0), limit=t("integer", minimum=1, maximum=100)),
                                returns=ok(obj(["items"], items=array(MESSAGE), cursor=ANY, more=BOOLEAN)),
                                unavailable=True)},
    "/@hdnd-delivery-status": {"post": op(
        "Status (01-06, 15, 16) of a document the office sent: edXML status message or JSON", tag="exchange",
        security=EXCHANGE,
        request={"required": True, "content": {**XML, "application/json": {"schema": obj(
            ["document_id", "code", "timestamp"], document_id=STRING, code=t("string", example="03"),
            description=STRING, timestamp=t("string", format="date-time"))}}},
        returns=ok(obj(["document_id", "created"], document_id=STRING, created=BOOLEAN), "The same status, again"),
        created=ok(obj(["document_id", "created"], document_id=STRING, created=BOOLEAN), "A new status"))},
    "/{item}/@hdnd-edxml": {"get": on_item("The edXML envelope of an issued document", tag="exchange",
                                           returns={"description": "The signed envelope", "headers": DISPOSITION,
                                                    "content": XML})},
    "/{item}/@hdnd-delivery": {"get": on_item("Each agency's status of a document sent", tag="exchange",
                                              returns=ok(obj(["items"], items=array(obj(status=STATUS)))))},
    "/{item}/@hdnd-recall": {"post": on_item("Accept or refuse a sender's recall (15, 16)", tag="exchange",
                                             request=body(obj(["accept"], accept=BOOLEAN, reason=STRING)),
                                             returns=ok(obj(["review_state", "status"], review_state=STRING,
                                                            status=STATUS)))},
    "/{item}/@hdnd-signatures": {"get": on_item("Digital signatures of a document's files, checked now",
                                                tag="signatures", returns=ok(obj(["on_arrival"],
                                                                                 on_arrival=array(obj()))))},
    "/@hdnd-verify-signature": {"post": op("Check the signatures of a PDF", tag="signatures",
                                           request=body(obj(["data"], filename=STRING,
                                                            data=t("string", format="byte"))),
                                           returns=ok(obj(["signatures"], signatures=array(obj()))))},
    "/@hdnd-unlock": {"post": op("Lift a sign-in lock (administrators)", tag="security",
                                 request=body(obj(["login"], login=STRING)),
                                 returns=ok(obj(["login", "was_locked"], login=STRING, was_locked=BOOLEAN)))},
    "/@hdnd-two-factor": {
        "get": op("One's own second factor: set up, required, recovery codes left", tag="security",
                  returns=ok(obj(["enrolled", "required", "recovery_codes_left"], enrolled=BOOLEAN, required=BOOLEAN, enrolled_at=nullable("string"), recovery_codes_left=INTEGER))),
        "post": op("Set up (begin, confirm), renew recovery codes or turn off one's second factor",
                   tag="security", request=body(obj(["action"], action=t("string", enum=["begin", "confirm", "recovery-codes", "turn-off"]),
                                                    code=STRING)),
                   returns=ok(obj(secret=STRING, uri=STRING, qr_svg=STRING, enrolled=BOOLEAN,
                                  recovery_codes=array("string"))))},
    "/@hdnd-two-factor-reset": {"post": op("Remove a person's second factor: a lost phone (administrators)",
                                           tag="security", request=body(obj(["userid"], userid=STRING)),
                                           returns=ok(obj(["userid", "was_enrolled"], userid=STRING,
                                                          was_enrolled=BOOLEAN)))},
    "/@hdnd-sign-out-everywhere": {"post": op(
        "End every session and token of oneself (or, administrators, of userid)", tag="security",
        request=optional_body(obj(userid=STRING)),
        returns=ok(obj(["userid", "signed_out"], userid=STRING, signed_out=BOOLEAN)))},
    "/@hdnd-agency-token": {"post": op("An exchange-only token for an agency's service account (administrators)",
                                       tag="security", request=body(obj(["userid"], userid=STRING,
                                                                        days=t("integer", minimum=1))),
                                       returns=ok(obj(["userid", "token", "scope"], userid=STRING, token=STRING,
                                                      scope=STRING)))},
    "/@changes": {"get": op("Change feed in commit order (anonymous users: what they may see)", tag="exchange",
                            security=[{}, *EXCHANGE],
                            params=query("since", limit=t("integer", minimum=1, maximum=1000)),
                            returns=ok(obj(["items", "cursor", "more"], items=array(obj()), cursor=STRING,
                                           more=BOOLEAN)))},
    "/@hdnd-openapi": {"get": op("This description (public)", tag="exchange", security=PUBLIC,
                                 returns=ok(obj(["openapi", "info", "paths"], openapi=STRING, info=obj(),
                                                paths=obj())))},
    # Documents and numbers
    "/{item}/@hdnd-recognize": {"post": on_item(
        "Read a scanned document's fields from its page (OCR) for the registry form; writes nothing",
        tag="documents", unavailable=True,
        request=body(obj(["file"], file=obj(["data"], filename=STRING, content_type=t(
            "string", example="application/pdf", description="application/pdf or an image (PNG, JPEG, TIFF)"),
            data=t("string", format="byte")))),
        returns=ok(obj(["text", "fields", "confidence", "uncertain"], text=STRING,
                       fields=obj(symbol=STRING, issue_date=t("string", description="YYYY-MM-DD or empty"),
                                  issuing_body=STRING, doc_type=STRING, title=STRING, place=STRING,
                                  signer=STRING, recipients=STRING),
                       confidence=t("object", additionalProperties=t("number", minimum=0, maximum=1)),
                       uncertain=array("string"), threshold=t("number"),
                       classification=t("string", enum=["none", "mat", "toi_mat", "tuyet_mat"]),
                       urgency=t("string", enum=["normal", "khan", "thuong_khan", "hoa_toc"]),
                       pages=INTEGER, source=t("string", enum=["text-layer", "ocr"]), seconds=t("number"))))},
    # Text from scans (hdnd.content.searchable): the worker's two calls, the state for staff
    "/@hdnd-ocr-jobs": {"post": op(
        "OCR worker: take the next scan to make searchable (204 when none)", tag="documents", security=PUBLIC,
        params=[WORKER],
        returns=ok(obj(["uid", "key", "filename", "content_type", "data"], uid=STRING, key=STRING, attempt=INTEGER,
                       filename=STRING, content_type=STRING, data=t("string", format="byte"))),
        more={"204": {"description": "No scan waits"}, "403": FORBIDDEN, "409": CONFLICT})},
    "/@hdnd-ocr-result": {"post": op(
        "OCR worker: the searchable PDF and its text, or the error, for a job taken", tag="documents",
        security=PUBLIC, params=[WORKER],
        request=body(obj(["uid", "key"], uid=STRING, key=STRING, pdf=t("string", format="byte"), text=STRING,
                         error=STRING)),
        returns=ok(obj(["kept"], kept=t("boolean", description="False when the file was replaced meanwhile"))),
        more={"403": FORBIDDEN, "409": CONFLICT})},
    # Previews of office files (hdnd.content.previews): the preview worker's two calls
    "/@hdnd-preview-jobs": {"post": op(
        "Preview worker: take the next office file to convert to PDF (204 when none)", tag="documents",
        security=PUBLIC, params=[WORKER],
        returns=ok(obj(["uid", "field", "version", "filename", "content_type", "data"], uid=STRING, field=STRING,
                       version=STRING, attempt=INTEGER, filename=STRING, content_type=STRING,
                       data=t("string", format="byte"))),
        more={"204": {"description": "No office file waits"}, "403": FORBIDDEN, "409": CONFLICT})},
    "/@hdnd-preview-result": {"post": op(
        "Preview worker: the PDF made of an office file and its page count, or the error, for a job taken",
        tag="documents", security=PUBLIC, params=[WORKER],
        request=body(obj(["uid", "field", "version"], uid=STRING, field=STRING, version=STRING,
                         pdf=t("string", format="byte"), pages=t("integer", minimum=1), error=STRING)),
        returns=ok(obj(["kept"], kept=t("boolean", description="False when the file was replaced meanwhile"))),
        more={"403": FORBIDDEN, "409": CONFLICT})},
    "/@hdnd-ocr-queue": {"get": op(
        "The OCR queue (registry clerks, administrators): counts, the pending and failed scans you may see",
        tag="documents", returns=ok(obj(["counts", "items", "missing", "worker"],
                                        counts=obj(pending=INTEGER, running=INTEGER, failed=INTEGER),
                                        items=array(OCR_STATE), missing=array("string"), worker=BOOLEAN)))},
    "/{item}/@hdnd-ocr": {
        "get": on_item("Whether the item's scan was made searchable (state, error, the searchable PDF)",
                       tag="documents", returns=ok(OCR_STATE)),
        "post": on_item("Queue the item's scan again (who may edit it)", tag="documents",
                        returns=ok(OCR_STATE))},
    "/{item}/@hdnd-register": {"post": on_item(
        "Register an incoming document (arrival number)", request=optional_body(obj(arrival_date=DATE)),
        returns=ok(obj(["@id", "arrival_number", "arrival_date"], **{"@id": URL}, arrival_number=INTEGER,
                       arrival_date=DATE)))},
    "/{item}/@hdnd-issue": {"post": on_item(
        "Issue an outgoing document (number and symbol)", request=optional_body(obj(issue_date=DATE)),
        returns=ok(obj(["@id", "symbol", "number", "issue_date"], **{"@id": URL}, symbol=STRING, number=INTEGER,
                       issue_date=DATE)))},
    "/{item}/@hdnd-templates": {"get": on_item(
        "Templates that apply to the item", tag="documents",
        returns=ok(obj(["items"], items=array(obj(["id", "@id"], id=STRING, title=STRING, description=STRING,
                                                  formats=array("string"), **{"@id": URL})))))},
    "/{item}/@hdnd-generate/{template}": {"get": on_item(
        "Generate a document (odt, pdf, docx) as the user", tag="documents", unavailable=True,
        returns=download("application/pdf", "application/vnd.oasis.opendocument.text",
                         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        params=[{"name": "template", "in": "path", "required": True, "schema": STRING},
                *query(format=t("string", enum=["pdf", "odt", "docx"]), year=INTEGER)])},
    # Meetings and votes
    "/{item}/@hdnd-schedule": {"post": on_item("Propose a year's periodic meetings", tag="meetings",
                                               request=body(obj(["year"], year=t("integer", minimum=1945,
                                                                                  maximum=2100))),
                                               returns=ok(CREATED))},
    "/{item}/@hdnd-invite": {"post": on_item("E-mail the invitations", tag="meetings", unavailable=True,
                                             returns=ok(obj(["sent"], sent=ANY)))},
    "/{item}/@hdnd-attendance": {
        "get": on_item("Attendance and quorum", tag="meetings", returns=ok(ATTENDANCE)),
        "post": on_item("Record attendance", tag="meetings", returns=ok(ATTENDANCE),
                        request=body(obj(["present"], present=array("string"))))},
    # Reply and forward from an incoming document (hdnd.content.replies); both answer 201
    "/{item}/@hdnd-reply": {"post": on_item(
        "Draft the reply to an incoming document: an outgoing draft addressed to its sender, "
        "trích yếu 'V/v trả lời …', linked by in_reply_to", tag="documents",
        returns=ok(REPLY, "Not given: a reply is always a new draft (201)"), created=ok(REPLY, "The draft reply"))},
    "/{item}/@hdnd-forward": {"post": on_item(
        "Forward an incoming document for handling: its processing slip (phiếu xử lý)", tag="documents",
        request=body({**obj(["lead_unit"], lead_unit=t("string", description="A unit's code (hdnd.units)"),
                            cooperating_units=array("string"), deadline=DATE, proposal=STRING,
                            instruction=STRING, assignees=array("string"), title=STRING),
                      "additionalProperties": False}),
        returns=ok(SLIP, "Not given: a slip is always new (201)"), created=ok(SLIP, "The processing slip"))},
    "/{item}/@hdnd-conclusion": {"post": on_item("Draft the conclusion notice", tag="meetings",
                                                 request=body(obj(["text"], text=t("string", minLength=1))),
                                                 returns=ok(obj(["@id", "review_state"], **{"@id": URL},
                                                                review_state=STRING)))},
    "/{item}/@hdnd-remind": {"post": on_item("Remind members who have not answered", tag="meetings",
                                             unavailable=True, returns=ok(obj(["reminded"], reminded=ANY)))},
    "/{item}/@hdnd-summary": {"get": on_item("Summary of a written consultation", tag="meetings",
                                             returns=ok(obj(["summary", "not_answered"], summary=ANY,
                                                            not_answered=ANY)))},
    "/{item}/@hdnd-vote": {"post": on_item("Cast or change one's own vote", tag="meetings",
                                           request=body(obj(["choice"], choice=t("string", enum=["for", "against", "other"]),
                                                            comment=STRING, receipt=STRING)),
                                           returns=ok(obj(["@id", "voted"], **{"@id": URL}, voted=BOOLEAN,
                                                          receipt=STRING)))},
    "/{item}/@hdnd-tally": {"get": on_item("Counts of a ballot: provisional while it is open", tag="meetings",
                                           returns=ok(TALLY))},
    # Tracking
    "/{item}/@hdnd-figures": {"get": on_item("Key figures of a programme or directive", tag="tracking",
                                             returns=ok(obj(["@id", "items"], **{"@id": URL}, items=array(obj()))))},
    "/{item}/@hdnd-import": {"post": on_item(
        "Import an Excel tracking sheet (all or nothing)", tag="tracking",
        request=body(obj(["file"], file=obj(["data"], filename=STRING, data=t("string", format="byte")),
                         mapping=obj(), dry_run=BOOLEAN)),
        returns=ok(obj(["dry_run", "rows", "created", "updated", "unchanged", "errors"], dry_run=BOOLEAN,
                       rows=INTEGER, created=INTEGER, updated=INTEGER, unchanged=INTEGER, errors=array(obj()),
                       preview=array(ANY))))},
    "/{item}/@hdnd-export": {"get": on_item("Excel of a listing, tracking sheet, register or file plan", tag="tracking",
                                            params=query(register=t("string", enum=list(REGISTERS)),
                                                         year=INTEGER),
                                            returns=download(XLSX))},
    "/{item}/@hdnd-extensions": {
        "get": on_item("Deadline extension requests of a task", tag="tracking", returns=ok(ITEMS)),
        "post": on_item("Ask for more time", tag="tracking",
                        request=body(obj(["deadline", "reason"], deadline=DATE, reason=STRING)),
                        returns=ok(obj(["id"], id=INTEGER)))},
    "/{item}/@hdnd-extensions/{id}": {"post": on_item(
        "Decide on an extension", tag="tracking",
        request=body(obj(["decision"], decision=t("string", enum=["approve", "refuse"]), note=STRING)),
        returns=ok(obj(["id"], id=INTEGER)),
        params=[{"name": "id", "in": "path", "required": True, "schema": INTEGER}])},
    "/@hdnd-dashboard": {"get": op("My tasks, due soon, overdue, directives, programmes, transfers",
                                   params=query("unit"), tag="tracking", security=OPEN,
                                   returns=ok(obj(["today", "my_tasks", "due_soon", "overdue"], today=DATE,
                                                  my_tasks=array(obj()), due_soon=array(obj()),
                                                  overdue=array(obj()), directives=array(obj()),
                                                  programmes=array(obj()), transfers=array(obj()),
                                                  waiting=array(obj()))))},
    # Records
    "/@hdnd-search": {"get": op("Records search with facets (anonymous users: what they may see)", tag="records",
                                security=OPEN, returns=ok(obj(["items", "facets"], items=array(obj()), facets=obj(),
                                                              items_total=INTEGER)),
                                params=query("SearchableText", "portal_type", "record_year", "issuer", "review_state",
                                             "direction", "document_type", "classification", "lead_unit",
                                             "dossier_code", b_start=t("integer", minimum=0),
                                             b_size=t("integer", minimum=1)))},
    "/@hdnd-saved-searches": {
        "get": op("My saved searches", tag="records", returns=ok(ITEMS)),
        "post": op("Save a search", tag="records", request=body(obj(["name", "query"], name=STRING, query=obj())),
                   returns=ok(ITEMS)),
        "delete": op("Forget a saved search", params=query("name", required=("name",)), tag="records",
                     returns=ok(ITEMS))},
    "/{item}/@hdnd-contents": {"get": on_item("A dossier's table of contents and transfer status", tag="records",
                                              returns=ok(obj(["rows", "documents", "pages", "transfer"], rows=array(obj()),
                                                             documents=INTEGER, pages=INTEGER, transfer=TRANSFER)))},
    "/{item}/@hdnd-hold-back": {"post": on_item("Hold a dossier back from the archive", tag="records",
                                                request=body(obj(["until", "reason"], until=DATE, reason=STRING)),
                                                returns=ok(TRANSFER))},
    "/{item}/@hdnd-open-dossiers": {"post": on_item("Open the dossiers of an approved file plan", tag="records",
                                                    returns=ok(CREATED))},
    "/@hdnd-transfer-package": {"post": op("Transfer package of closed dossiers (.zip)", tag="records",
                                           returns=download("application/zip"),
                                           request=body(obj(["dossiers"], dossiers=array(URL), bag=BOOLEAN,
                                                            id=t("string", pattern="^[A-Za-z0-9._-]{1,80}$"))))},
    "/{item}/@hdnd-package": {"get": on_item("Package of a transfer's dossiers (.zip)", tag="records",
                                             params=query(bag=t("string", enum=["1", "true", "yes", "0", "false", "no"])),
                                             returns=download("application/zip"))},
    "/@hdnd-tombstones": {"get": op("What destroyed dossiers left (records managers)", tag="records",
                                    returns=ok(ITEMS))},
    # Audit
    "/@hdnd-audit": {"get": op("The audit trail (security officers)", tag="audit",
                               params=query("action", "actor", "target_uid", b_start=t("integer", minimum=0),
                                            b_size=t("integer", minimum=1)),
                               returns=ok(obj(["items_total", "items", "head", "pending_alerts"], items_total=INTEGER,
                                              items=array(obj()), head=HEAD, pending_alerts=array("integer"))))},
    "/@hdnd-audit-verify": {"get": op("Check the audit trail's hash chain", params=query("expect"), tag="audit",
                                      returns=ok(obj(["intact", "entries", "head", "problems"], intact=BOOLEAN,
                                                     entries=INTEGER, head=HEAD, problems=array(ANY))))},
    "/@hdnd-audit-confirm": {"post": op("Confirm a permission-change alert", tag="audit",
                                        request=body(obj(["seq"], seq=INTEGER, note=STRING)),
                                        returns=ok(obj(["confirmed", "entry"], confirmed=INTEGER, entry=obj())))},
}


# Conditional requests (hdnd.policy.conditions): every change - each
# operation but a GET - sent with If-Match, If-Unmodified-Since or
# If-None-Match is checked against the ETag / Last-Modified a GET of the item
# of its URL answers (the site's, for the site's own endpoints), and is a 412
# when that does not hold, before anything is done.
PRECONDITION_FAILED = {
    "description": "If-Match, If-Unmodified-Since or If-None-Match does not hold for the item (it changed since "
                   "the client read it): nothing was done; GET the item again",
    "content": {"application/json": {"schema": obj(["error"], error=obj(
        ["type", "header", "message"], type=t("string", enum=["PreconditionFailed"]),
        header=t("string", enum=["If-Match", "If-Unmodified-Since", "If-None-Match"]), message=STRING))}}}
for _methods in PATHS.values():
    for _method, _operation in _methods.items():
        if _method != "get":
            _operation["responses"]["412"] = PRECONDITION_FAILED


def description(base_url):
    return {
        "openapi": "3.0.3",
        "info": {"title": "hdnd REST API", "version": "2",
                 "description": "hdnd's own endpoints; send `Accept: application/json` and JSON bodies as "
                                "`application/json`. An item is addressed by its path in the site; one the "
                                "requester may not see answers 404, as a missing one. A method the site does not "
                                "serve answers 405. A change sent with If-Match, If-Unmodified-Since or If-None-Match "
                                "that does not hold for its item (the ETag and Last-Modified a GET of the item "
                                "answers) is a 412, and nothing is done. plone.restapi's standard endpoints (content, @search, "
                                "@workflow, @login…) are documented by plone.restapi."},
        "servers": [{"url": base_url}],
        "components": {"securitySchemes": {
            "basic": {"type": "http", "scheme": "basic"},
            "jwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                    "description": "A token from POST /@login"},
            "agencyToken": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                            "description": "An agency's exchange-only token (POST /@hdnd-agency-token): it opens "
                                           "the operations that list it, and answers 403 elsewhere"}}},
        "security": SIGNED_IN,
        "paths": copy.deepcopy(PATHS),
    }


# The description enforced: a request to one of hdnd's services whose JSON
# body or query string does not have the types described is a 400 naming
# the field, before the service reads it — services never see a list where
# they read text (a 500). What a field must contain beyond its type (dates,
# choices, required fields) the service checks, with its own message.

def _operations():
    found = {}
    for path, methods in PATHS.items():
        name = next(part for part in path.split("/") if part.startswith("@"))
        for method, operation in methods.items():
            found.setdefault((name, method.upper()), []).append(operation)
    return found


OPERATIONS = _operations()


def _json_schema(schema):
    """OpenAPI 3.0's schema as JSON Schema (``nullable`` is a type)."""
    if isinstance(schema, list):
        return [_json_schema(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    converted = {k: _json_schema(v) for k, v in schema.items() if k not in ("nullable", "example")}
    if schema.get("nullable") and "type" in schema:
        converted["type"] = [schema["type"], "null"]
    return converted


def type_errors(schema, value):
    """``[(field, message)]``: where ``value`` has not the types ``schema`` says."""
    from jsonschema import Draft7Validator

    errors = []
    for error in Draft7Validator(_json_schema(schema)).iter_errors(value):
        if error.validator != "type":
            continue
        field = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".") or "body"
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        errors.append((field, f"{field}: expected {'an' if wanted[0] in 'aeiou' else 'a'} {wanted}"))
    return errors


def parameter_error(parameter, value):
    """``(name, message)`` if a query parameter's value is not what the
    description says (once, a whole number, one of the choices), else None."""
    name, schema = parameter["name"], parameter["schema"]
    if value is None:
        return None
    if not isinstance(value, str):
        return name, f"{name}: give it once, as text"
    if schema.get("type") == "integer":
        try:
            int(value)
        except ValueError:
            return name, f"{name}: expected a whole number"
    if "enum" in schema and value not in schema["enum"]:
        return name, f"{name}: expected one of " + ", ".join(schema["enum"])
    return None


def _service_name(request, published):
    name = getattr(published, "__name__", None)
    prefix = getattr(request, "_rest_service_id", None) or ""
    if isinstance(name, str) and prefix and name.startswith(prefix):
        return name[len(prefix):]
    return None


def check_request(event):
    """IPubAfterTraversal (after the gates and the body reader's check, in
    hdnd.policy's configure.zcml): the query string and JSON body of a
    request to an hdnd service have the types its description gives."""
    from hdnd.content import bodies
    from plone.rest.interfaces import IService

    import json

    request = event.request
    published = request.get("PUBLISHED")
    if not IService.providedBy(published):
        return
    operations = OPERATIONS.get((_service_name(request, published), (request.get("REQUEST_METHOD") or "").upper()))
    if not operations:
        return
    form = request.form
    for operation in operations:
        errors = [problem for parameter in operation.get("parameters", ()) if parameter["in"] == "query"
                  for problem in [parameter_error(parameter, form.get(parameter["name"]))] if problem]
        if errors:
            raise FieldErrors(errors)
    schemas = [o["requestBody"]["content"]["application/json"]["schema"] for o in operations
               if "application/json" in o.get("requestBody", {}).get("content", {})]
    body = bodies.raw(request)
    if not schemas or not body.strip() or not bodies.is_json(request):
        return
    try:
        value = json.loads(body)
    except ValueError:
        return  # the body reader answers it
    found = [type_errors(schema, value) for schema in schemas]
    if all(found):
        raise FieldErrors(found[0])


class FieldErrors(BadRequest):
    """Fields of the wrong type: a 400 as hdnd's services refuse, with
    ``errors`` naming each field (:class:`FieldErrorsView`)."""

    def __init__(self, errors):
        super().__init__("; ".join(message for _field, message in errors))
        self.errors = [{"field": field, "message": message} for field, message in errors]


class FieldErrorsView:
    """The error view of :class:`FieldErrors` on a REST request."""

    def __init__(self, context, request):
        self.context, self.request = context, request

    def __call__(self):
        import json

        response = self.request.response
        response.setHeader("Content-Type", "application/json")
        response.setStatus(400, lock=1)
        response.setBody(json.dumps({"type": "BadRequest", "message": str(self.context),
                                     "errors": self.context.errors}), lock=1)
        response._has_challenged = True  # as plone.rest's error view: no login page


class ConflictErrorView(FieldErrorsView):
    """A ZODB write conflict that outlasted Zope's retries, on a REST
    request: 409 with ``Retry-After`` (nothing was written; plone.rest's
    error view would answer 500, as if the server were broken)."""

    def __call__(self):
        import json

        response = self.request.response
        response.setHeader("Content-Type", "application/json")
        response.setHeader("Retry-After", "1")
        response.setStatus(409, lock=1)
        response.setBody(json.dumps({"type": "ConflictError", "message": "another request changed the same records "
                                     "at the same moment; nothing was written: send the request again"}), lock=1)
        response._has_challenged = True

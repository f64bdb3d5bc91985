"""The OpenAPI description of hdnd's own REST endpoints, served at
``GET /@hdnd-openapi`` (plone.restapi's standard endpoints are documented
by plone.restapi). A test keeps it complete: every hdnd service registered
in ZCML is described here."""

OBJECT = {"type": "object"}
ERROR = {"description": "Bad input: the message (and `errors`) name the field", "content": {
    "application/json": {"schema": {"type": "object", "properties": {
        "message": {"type": "string"}, "type": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}}}}}}}}}
FILE = {"description": "The file", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}


def query(*names):
    return [{"name": n, "in": "query", "required": False, "schema": {"type": "string"}} for n in names]


def body(**properties):
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": {k: ({"type": v} if isinstance(v, str) else v) for k, v in properties.items()}}}}}


def op(summary, *, params=(), request=None, returns=None, tag="hdnd"):
    operation = {"summary": summary, "tags": [tag], "parameters": list(params),
                 "responses": {"200": returns or {"description": "OK", "content": {"application/json": {"schema": OBJECT}}},
                               "400": ERROR, "401": {"description": "Not logged in or not allowed"}}}
    if request:
        operation["requestBody"] = request
    return operation


ITEM = {"name": "item", "in": "path", "required": True, "schema": {"type": "string"},
        "description": "The path of the item in the site"}
FILES = {"type": "array", "items": {"type": "object", "properties": {
    "filename": {"type": "string"}, "content_type": {"type": "string"}, "data": {"type": "string", "format": "byte"}}}}
XML = {"required": True, "content": {"application/xml": {"schema": {"type": "string"}}}}
DOCUMENT = dict(idempotency_key="string", symbol="string", title="string", description="string",
                issuing_body="string", issue_date="string", document_type="string", urgency="string",
                page_count="integer", channel="string", recipients={"type": "array", "items": {"type": "string"}},
                signer="string", signer_position="string", due_date="string", files=FILES)

PATHS = {
    # Other agencies' systems
    "/@hdnd-receive": {"post": op("Send a document and its files (idempotent by key)", request=body(**DOCUMENT),
                                  tag="exchange")},
    "/@hdnd-receive-bulk": {"post": op("Send many documents, all or nothing", tag="exchange",
                                       request=body(items={"type": "array", "items": OBJECT}))},
    "/@hdnd-sent-status": {"get": op("Status replies (01-06, 13, 15, 16) of a document sent", params=query("idempotency_key"),
                                     tag="exchange")},
    "/@hdnd-recall-request": {"post": op("Ask for a document sent back (status 13)", tag="exchange",
                                         request=body(idempotency_key="string", reason="string"))},
    "/@hdnd-edxml": {"post": op("Send an edXML envelope (QCVN 102:2016): a new document or a recall",
                                tag="exchange", request=XML)},
    "/@hdnd-outbox": {"get": op("Envelopes the office sent the agency, by cursor", params=query("since", "limit"),
                                tag="exchange")},
    "/@hdnd-delivery-status": {"post": op(
        "Status (01-06, 15, 16) of a document the office sent: edXML status message or JSON", tag="exchange",
        request={"required": True, "content": {**XML["content"], **body(
            document_id="string", code="string", description="string", timestamp="string")["content"]}})},
    "/{item}/@hdnd-edxml": {"get": op("The edXML envelope of an issued document", params=[ITEM], tag="exchange",
                                      returns={"description": "The envelope", "content": XML["content"]})},
    "/{item}/@hdnd-delivery": {"get": op("Each agency's status of a document sent", params=[ITEM],
                                         tag="exchange")},
    "/{item}/@hdnd-recall": {"post": op("Accept or refuse a sender's recall (15, 16)", params=[ITEM],
                                        tag="exchange", request=body(accept="boolean", reason="string"))},
    "/{item}/@hdnd-signatures": {"get": op("Digital signatures of a document's files, checked now",
                                           params=[ITEM], tag="signatures")},
    "/@hdnd-verify-signature": {"post": op("Check the signatures of a PDF", tag="signatures",
                                           request=body(filename="string", data={"type": "string", "format": "byte"}))},
    "/@hdnd-unlock": {"post": op("Lift a sign-in lock (administrators)", tag="security",
                                 request=body(login="string"))},
    "/@hdnd-two-factor": {
        "get": op("One's own second factor: set up, required, recovery codes left", tag="security"),
        "post": op("Set up (begin, confirm), renew recovery codes or turn off one's second factor",
                   tag="security", request=body(action="string", code="string"))},
    "/@hdnd-two-factor-reset": {"post": op("Remove a person's second factor: a lost phone (administrators)",
                                           tag="security", request=body(userid="string"))},
    "/@hdnd-sign-out-everywhere": {"post": op("End every session and token of oneself (or, administrators, of userid)",
                                              tag="security", request=body(userid="string"))},
    "/@hdnd-agency-token": {"post": op("An exchange-only token for an agency's service account (administrators)",
                                       tag="security", request=body(userid="string", days="integer"))},
    "/@changes": {"get": op("Change feed in commit order", params=query("since", "limit"), tag="exchange")},
    "/@hdnd-openapi": {"get": op("This description", tag="exchange")},
    # Documents and numbers
    "/{item}/@hdnd-register": {"post": op("Register an incoming document (arrival number)", params=[ITEM],
                                          request=body(arrival_date="string"))},
    "/{item}/@hdnd-issue": {"post": op("Issue an outgoing document (number and symbol)", params=[ITEM],
                                       request=body(issue_date="string"))},
    "/{item}/@hdnd-templates": {"get": op("Templates that apply to the item", params=[ITEM], tag="documents")},
    "/{item}/@hdnd-generate/{template}": {"get": op(
        "Generate a document (odt, pdf, docx) as the user", tag="documents", returns=FILE,
        params=[ITEM, {"name": "template", "in": "path", "required": True, "schema": {"type": "string"}},
                *query("format", "year")])},
    # Meetings and votes
    "/{item}/@hdnd-schedule": {"post": op("Propose a year's periodic meetings", params=[ITEM], tag="meetings",
                                          request=body(year="integer"))},
    "/{item}/@hdnd-invite": {"post": op("E-mail the invitations", params=[ITEM], tag="meetings")},
    "/{item}/@hdnd-attendance": {
        "get": op("Attendance and quorum", params=[ITEM], tag="meetings"),
        "post": op("Record attendance", params=[ITEM], tag="meetings",
                   request=body(present={"type": "array", "items": {"type": "string"}}))},
    "/{item}/@hdnd-conclusion": {"post": op("Draft the conclusion notice", params=[ITEM], tag="meetings",
                                            request=body(text="string"))},
    "/{item}/@hdnd-remind": {"post": op("Remind members who have not answered", params=[ITEM], tag="meetings")},
    "/{item}/@hdnd-summary": {"get": op("Summary of a written consultation", params=[ITEM], tag="meetings")},
    "/{item}/@hdnd-vote": {"post": op("Cast or change one's own vote", params=[ITEM], tag="meetings",
                                      request=body(choice="string", comment="string", receipt="string"))},
    "/{item}/@hdnd-tally": {"get": op("Counts of a ballot", params=[ITEM], tag="meetings")},
    # Tracking
    "/{item}/@hdnd-figures": {"get": op("Key figures of a programme or directive", params=[ITEM], tag="tracking")},
    "/{item}/@hdnd-import": {"post": op("Import an Excel tracking sheet", params=[ITEM], tag="tracking",
                                        request=body(file=OBJECT, mapping=OBJECT, dry_run="boolean"))},
    "/{item}/@hdnd-export": {"get": op("Excel of a listing, tracking sheet, register or file plan", tag="tracking",
                                       params=[ITEM, *query("register", "year")], returns=FILE)},
    "/{item}/@hdnd-extensions": {
        "get": op("Deadline extension requests of a task", params=[ITEM], tag="tracking"),
        "post": op("Ask for more time", params=[ITEM], tag="tracking", request=body(deadline="string", reason="string"))},
    "/{item}/@hdnd-extensions/{id}": {"post": op(
        "Decide on an extension", tag="tracking", request=body(decision="string", note="string"),
        params=[ITEM, {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}])},
    "/@hdnd-dashboard": {"get": op("My tasks, due soon, overdue, directives, programmes, transfers",
                                   params=query("unit"), tag="tracking")},
    # Records
    "/@hdnd-search": {"get": op("Records search with facets", tag="records",
                                params=query("SearchableText", "portal_type", "record_year", "issuer", "review_state",
                                             "direction", "document_type", "classification", "lead_unit",
                                             "dossier_code", "b_start", "b_size"))},
    "/@hdnd-saved-searches": {
        "get": op("My saved searches", tag="records"),
        "post": op("Save a search", tag="records", request=body(name="string", query=OBJECT)),
        "delete": op("Forget a saved search", params=query("name"), tag="records")},
    "/{item}/@hdnd-contents": {"get": op("A dossier's table of contents and transfer status", params=[ITEM],
                                         tag="records")},
    "/{item}/@hdnd-hold-back": {"post": op("Hold a dossier back from the archive", params=[ITEM], tag="records",
                                           request=body(until="string", reason="string"))},
    "/{item}/@hdnd-open-dossiers": {"post": op("Open the dossiers of an approved file plan", params=[ITEM],
                                               tag="records")},
    "/@hdnd-transfer-package": {"post": op("Transfer package of closed dossiers (.zip)", tag="records", returns=FILE,
                                           request=body(dossiers={"type": "array", "items": {"type": "string"}},
                                                        bag="boolean", id="string"))},
    "/{item}/@hdnd-package": {"get": op("Package of a transfer's dossiers (.zip)", params=[ITEM, *query("bag")],
                                        tag="records", returns=FILE)},
    "/@hdnd-tombstones": {"get": op("What destroyed dossiers left", tag="records")},
    # Audit
    "/@hdnd-audit": {"get": op("The audit trail (security officers)", tag="audit",
                               params=query("action", "actor", "target_uid", "b_start", "b_size"))},
    "/@hdnd-audit-verify": {"get": op("Check the audit trail's hash chain", params=query("expect"), tag="audit")},
    "/@hdnd-audit-confirm": {"post": op("Confirm a permission-change alert", tag="audit",
                                        request=body(seq="integer", note="string"))},
}


def description(base_url):
    return {
        "openapi": "3.0.3",
        "info": {"title": "hdnd REST API", "version": "1",
                 "description": "hdnd's own endpoints; send `Accept: application/json`. "
                                "plone.restapi's standard endpoints (content, @search, @workflow, @login…) "
                                "are documented by plone.restapi."},
        "servers": [{"url": base_url}],
        "components": {"securitySchemes": {"basic": {"type": "http", "scheme": "basic"},
                                           "jwt": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
        "security": [{"basic": []}, {"jwt": []}],
        "paths": PATHS,
    }

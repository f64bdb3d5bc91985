"""Archive packages of transferred records (domain §6), written and checked
in plain Python.

``write(folder, package_id, agency, dossiers)`` writes an E-ARK SIP 2.1
(CSIP 2.1) information package:

    <package_id>/METS.xml                          METS with the E-ARK SIP profile
    <package_id>/metadata/descriptive/ead.xml      EAD 2002: the fonds, dossiers, documents
    <package_id>/metadata/preservation/premis.xml  PREMIS 3: files, fixity, events, hdnd as agent
    <package_id>/documentation/goi-nop-luu.txt     what the package holds
    <package_id>/schemas/                          mets.xsd, ead.xsd, premis.xsd, xlink.xsd
    <package_id>/representations/rep1/data/...     each dossier's table of contents, the original files
    <package_id>/representations/rep2/data/...     PDF copies made for preservation

A classified document is described but its files are withheld.

Every file is listed in METS with its size, MIME type and SHA-256; times are
ISO 8601 with the office's +07:00. With ``bag=True`` the package is wrapped
in a BagIt bag (``data/`` and SHA-256 manifests).

``verify(path)`` checks a package (or a bag holding one) without trusting
its writer: the XML is well formed, METS, EAD 2002 and PREMIS 3 valid against
their schemas, the CSIP/SIP rules an archive's validator applies
(each named by its requirement), every file METS lists is there with its
size and checksum, nothing is there that METS does not list, and a bag's
manifests match; with the validators' venv, the E-ARK reference validator
runs as well.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from hdnd.content.core import officetime
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

import hashlib
import re
import uuid


METS = "http://www.loc.gov/METS/"
XLINK = "http://www.w3.org/1999/xlink"
CSIP = "https://DILCIS.eu/XML/METS/CSIPExtensionMETS"
EAD = "urn:isbn:1-931666-22-9"
PREMIS = "http://www.loc.gov/premis/v3"
CSIP_PROFILE = "https://earkcsip.dilcis.eu/profile/E-ARK-CSIP.xml"


@dataclass
class PackageFile:
    name: str  # the file's name in the package (unique within its document)
    data: bytes
    mimetype: str
    created: datetime | None = None
    derived_from: str | None = None  # for a PDF copy: the original's name


@dataclass
class Document:
    id: str
    title: str
    symbol: str = ""
    date: str = ""  # ISO date
    issuer: str = ""
    pages: int | None = None
    classification: str = "none"
    files: list = field(default_factory=list)  # originals
    copies: list = field(default_factory=list)  # PDF copies


@dataclass
class Dossier:
    id: str
    code: str
    title: str
    start: str = ""
    end: str = ""
    retention: str = ""
    documents: list = field(default_factory=list)


class PackageError(ValueError):
    pass


def now():
    return officetime.now().replace(microsecond=0)


def iso(moment):
    """ISO 8601 with the office's offset (+07:00)."""
    # A naive time is the office's; an aware one is shown in the office's zone.
    return officetime.localize(moment or now()).replace(microsecond=0).isoformat()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe(name):
    cleaned = SAFE.sub("_", name).strip("._") or "file"
    return cleaned[:120]


SIP_PROFILE = "https://earksip.dilcis.eu/profile/E-ARK-SIP.xml"
CONTENT_CATEGORY = "Textual works – Digital"  # CSIP's vocabulary (mets/@TYPE)
CONTENT_TYPE = "hdnd records: EAD 2002 and PREMIS 3"  # csip:OTHERCONTENTINFORMATIONTYPE
DOCUMENTATION = "documentation/goi-nop-luu.txt"
CONTENTS = "muc-luc-van-ban.csv"


def software_version():
    try:
        from importlib.metadata import version

        return version("hdnd.content")
    except Exception:  # pragma: no cover - not installed as a distribution
        return "unknown"


def schema_files():
    """The XML schemas the package's metadata follow, as shipped by the
    packages that keep them: METS (metsrw), EAD 2002 and XLink (eadator);
    PREMIS 3, which no package ships, vendored in core/schemas (its README)."""
    import eadator
    import metsrw

    ents = Path(eadator.__file__).parent / "ents"
    return {
        "mets.xsd": Path(metsrw.__file__).parent / "resources" / "mets.xsd",
        "ead.xsd": ents / "ead.xsd",
        "premis.xsd": Path(__file__).parent / "schemas" / "premis-v3-0.xsd",
        "xlink.xsd": ents / "xlink.xsd",
    }


def withheld(document):
    """A classified document's files stay out of the package: its metadata
    goes to the archive, its content by the procedure for secret records."""
    return (document.classification or "none") != "none"


def contents_csv(dossier):
    """The dossier's table of contents (mục lục văn bản), a file of the
    dossier itself: present even when the dossier holds no file."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["STT", "Số, ký hiệu", "Ngày", "Tác giả", "Trích yếu", "Số trang", "Ghi chú"])
    for n, document in enumerate(dossier.documents, 1):
        note = "Tài liệu mật: chỉ nộp thông tin mô tả" if withheld(document) else ""
        writer.writerow([n, document.symbol, document.date, document.issuer, document.title,
                         document.pages or "", note])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def documentation(package_id, agency, dossiers, created):
    lines = [
        f"Gói hồ sơ nộp lưu {package_id} của {agency}, lập ngày {created[:10]} bằng hdnd {software_version()}.",
        f"Transfer package {package_id} of {agency}, made {created} by hdnd {software_version()}.",
        "",
        "E-ARK SIP 2.1 (CSIP 2.1):",
        "  METS.xml                                   the package's METS (profile E-ARK-SIP)",
        "  metadata/descriptive/ead.xml               EAD 2002: the fonds, its dossiers and documents",
        "  metadata/preservation/premis.xml           PREMIS 3: every file, its fixity and events",
        "  representations/rep1/data/<dossier>/...    the original files; muc-luc-van-ban.csv per dossier",
        "  representations/rep2/data/<dossier>/...    PDF copies made for preservation",
        "  schemas/                                   the XML schemas of the metadata",
        "",
        "Tài liệu mật: chỉ có thông tin mô tả trong gói; tệp nội dung giao nộp theo quy định về tài liệu mật.",
        "Classified documents: described here, their files withheld (transferred by the procedure for secret records).",
        "",
    ]
    for dossier in dossiers:
        count = sum(1 for d in dossier.documents if not withheld(d))
        lines.append(f"{dossier.code}  {dossier.title}: {len(dossier.documents)} văn bản, {count} có tệp")
    return ("\n".join(lines) + "\n").encode("utf-8")


def write(folder, package_id, agency, dossiers, bag=False, created=None, agency_code=None):
    """Write the package; return the path of its folder (or of the bag)."""
    created = iso(created)
    root = Path(folder) / safe(package_id)
    if root.exists():
        raise PackageError(f"package: {root} exists; a package is never overwritten")
    top = root
    if bag:
        root = root / "data" / safe(package_id)
    entries = []  # (use, relative path, PackageFile, dossier, document)

    def put(use, relative, item, dossier=None, document=None):
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(item.data)
        entries.append((use, relative, item, dossier, document))

    moment = datetime.fromisoformat(created)
    put("Documentation", DOCUMENTATION,
        PackageFile("goi-nop-luu.txt", documentation(package_id, agency, dossiers, created), "text/plain", moment))
    for name, source in schema_files().items():
        put("Schemas", f"schemas/{name}", PackageFile(name, source.read_bytes(), "application/xml", moment))
    for dossier in dossiers:
        folder_name = safe(dossier.code or dossier.id)
        put("Representations/rep1", f"representations/rep1/data/{folder_name}/{CONTENTS}",
            PackageFile(CONTENTS, contents_csv(dossier), "text/csv", moment), dossier)
        for document in dossier.documents:
            if withheld(document):
                continue
            for use, files in (("Representations/rep1", document.files), ("Representations/rep2", document.copies)):
                rep = use.rsplit("/", 1)[1]
                for item in files:
                    relative = f"representations/{rep}/data/{folder_name}/{safe(document.id)}/{safe(item.name)}"
                    put(use, relative, item, dossier, document)
    descriptive = ead(package_id, agency, dossiers, entries).encode("utf-8")
    preservation = premis(entries, created).encode("utf-8")
    for relative, data in (("metadata/descriptive/ead.xml", descriptive),
                           ("metadata/preservation/premis.xml", preservation)):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    mets_xml = mets(package_id, agency, entries, created, descriptive, preservation, agency_code)
    (root / "METS.xml").write_bytes(mets_xml.encode("utf-8"))
    if bag:
        write_bag(top, agency, created)
    return top


def mets(package_id, agency, entries, created, descriptive, preservation, agency_code=None):
    groups = {}
    for n, (use, relative, item, _dossier, _document) in enumerate(entries, 1):
        groups.setdefault(use, []).append((
            f"file-{n}",
            f'<mets:file ID="file-{n}" MIMETYPE={quoteattr(item.mimetype)} SIZE="{len(item.data)}" '
            f'CREATED="{iso(item.created)}" CHECKSUM="{sha256(item.data)}" CHECKSUMTYPE="SHA-256">'
            f'<mets:FLocat LOCTYPE="URL" xlink:type="simple" xlink:href={quoteattr(relative)}/></mets:file>',
        ))
    # CSIP62/63 as the reference validator reads them: every file group states
    # its content information type.
    kind = f'csip:CONTENTINFORMATIONTYPE="OTHER" csip:OTHERCONTENTINFORMATIONTYPE={quoteattr(CONTENT_TYPE)}'
    file_groups = "".join(
        f'<mets:fileGrp ID="grp-{safe(use).replace("/", "-")}" USE="{use}" {kind}>'
        + "".join(xml for _id, xml in items) + "</mets:fileGrp>"
        for use, items in groups.items()
    )

    def division(label, uses):
        pointers = "".join(f'<mets:fptr FILEID="{file_id}"/>' for use in uses for file_id, _xml in groups.get(use, ()))
        return f'<mets:div ID="div-{label.lower()}" LABEL="{label}">{pointers}</mets:div>'

    representations = [use for use in groups if use.startswith("Representations")]

    def md_ref(ref_id, href, kind, data):
        return (
            f'<mets:mdRef ID="{ref_id}" LOCTYPE="URL" xlink:type="simple" xlink:href="{href}" MDTYPE="{kind}" '
            f'MIMETYPE="text/xml" SIZE="{len(data)}" CREATED="{created}" CHECKSUM="{sha256(data)}" '
            f'CHECKSUMTYPE="SHA-256"/>'
        )

    code_note = (f'<mets:note csip:NOTETYPE="IDENTIFICATIONCODE">{escape(agency_code)}</mets:note>'
                 if agency_code else "")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<mets:mets xmlns:mets="{METS}" xmlns:xlink="{XLINK}" xmlns:csip="{CSIP}" '
        f'OBJID={quoteattr(package_id)} LABEL={quoteattr(f"Hồ sơ nộp lưu của {agency}")} '
        f'TYPE={quoteattr(CONTENT_CATEGORY)} csip:CONTENTINFORMATIONTYPE="OTHER" '
        f'csip:OTHERCONTENTINFORMATIONTYPE={quoteattr(CONTENT_TYPE)} PROFILE="{SIP_PROFILE}">'
        f'<mets:metsHdr CREATEDATE="{created}" LASTMODDATE="{created}" RECORDSTATUS="NEW" csip:OAISPACKAGETYPE="SIP">'
        # The software that made the package is the CREATOR (CSIP12-16). The
        # body is the archival creator (SIP9-14, ROLE ARCHIVIST as the SIP
        # profile's example) and the submitting agency (SIP15-20, ROLE OTHER
        # SUBMITTER as SIP 2.2's example: the reference validator holds every
        # CREATOR agent to the software's rules), each with its organ id as
        # an IDENTIFICATIONCODE note when the office has one.
        '<mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE"><mets:name>hdnd</mets:name>'
        f'<mets:note csip:NOTETYPE="SOFTWARE VERSION">{escape(software_version())}</mets:note></mets:agent>'
        f'<mets:agent ROLE="ARCHIVIST" TYPE="ORGANIZATION"><mets:name>{escape(agency)}</mets:name>{code_note}</mets:agent>'
        f'<mets:agent ROLE="OTHER" OTHERROLE="SUBMITTER" TYPE="ORGANIZATION"><mets:name>{escape(agency)}</mets:name>'
        f'{code_note}</mets:agent>'
        "</mets:metsHdr>"
        f'<mets:dmdSec ID="dmd-ead" CREATED="{created}" STATUS="CURRENT">'
        + md_ref("ref-ead", "metadata/descriptive/ead.xml", "EAD", descriptive)
        + "</mets:dmdSec>"
        '<mets:amdSec ID="amd"><mets:digiprovMD ID="digiprov-premis" STATUS="CURRENT">'
        + md_ref("ref-premis", "metadata/preservation/premis.xml", "PREMIS", preservation)
        + "</mets:digiprovMD></mets:amdSec>"
        f'<mets:fileSec ID="files">{file_groups}</mets:fileSec>'
        f'<mets:structMap ID="struct" TYPE="PHYSICAL" LABEL="CSIP"><mets:div ID="div-root" LABEL={quoteattr(package_id)}>'
        '<mets:div ID="div-metadata" LABEL="Metadata" DMDID="dmd-ead" ADMID="digiprov-premis"/>'
        + division("Documentation", ["Documentation"])
        + division("Schemas", ["Schemas"])
        + division("Representations", representations)
        + "</mets:div></mets:structMap></mets:mets>"
    )


def ead(package_id, agency, dossiers, entries):
    links = {}
    for _use, relative, _item, _dossier, document in entries:
        if document is not None:
            links.setdefault(document.id, []).append(relative)
    components = []
    for dossier in dossiers:
        items = []
        for document in dossier.documents:
            daos = "".join(f'<dao xlink:type="simple" xlink:href={quoteattr(r)}/>' for r in links.get(document.id, []))
            extent = f'<physdesc><extent>{document.pages} trang</extent></physdesc>' if document.pages else ""
            restrict = (
                f"<accessrestrict><p>Tài liệu mật ({escape(document.classification)}): chỉ nộp thông tin mô tả; "
                "tệp nội dung giao nộp theo quy định về tài liệu mật.</p></accessrestrict>"
                if withheld(document) else ""
            )
            items.append(
                f'<c02 level="item" id={quoteattr("d-" + safe(document.id))}><did>'
                + (f"<origination><corpname>{escape(document.issuer)}</corpname></origination>" if document.issuer else "")
                + f"<unittitle>{escape(document.title)}</unittitle>"
                + (f'<unitdate normal="{document.date}">{document.date}</unitdate>' if document.date else "")
                + f"<unitid>{escape(document.symbol or document.id)}</unitid>"
                + f"{extent}{daos}</did>{restrict}</c02>"
            )
        span = "/".join(d for d in (dossier.start, dossier.end) if d)
        contents = f"representations/rep1/data/{safe(dossier.code or dossier.id)}/{CONTENTS}"
        components.append(
            f'<c01 level="file" id={quoteattr("h-" + safe(dossier.id))}><did>'
            f"<unittitle>{escape(dossier.title)}</unittitle>"
            + (f'<unitdate normal="{span}">{span}</unitdate>' if span else "")
            + f"<unitid>{escape(dossier.code)}</unitid>"
            + f'<dao xlink:type="simple" xlink:href={quoteattr(contents)} xlink:title="Mục lục văn bản"/>'
            + "</did>"
            + (f"<accessrestrict><p>Thời hạn bảo quản: {escape(dossier.retention)}</p></accessrestrict>" if dossier.retention else "")
            + "".join(items) + "</c01>"
        )
    dsc = f"<dsc>{''.join(components)}</dsc>" if components else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<ead xmlns="{EAD}" xmlns:xlink="{XLINK}"><eadheader><eadid>{escape(package_id)}</eadid>'
        f"<filedesc><titlestmt><titleproper>Mục lục hồ sơ nộp lưu: {escape(agency)}</titleproper></titlestmt></filedesc>"
        "<profiledesc><langusage><language langcode=\"vie\">Tiếng Việt</language></langusage></profiledesc>"
        f'</eadheader><archdesc level="fonds"><did><unittitle>{escape(agency)}</unittitle>'
        f"<unitid>{escape(package_id)}</unitid></did>{dsc}</archdesc></ead>"
    )


def premis(entries, created):
    """PREMIS 3: an object per file (object+ comes first, as the schema
    wants), the migrations that made PDF copies, the transfer, and hdnd as
    the agent of the events."""
    objects, events = [], []
    agent = ("<linkingAgentIdentifier><linkingAgentIdentifierType>local</linkingAgentIdentifierType>"
             "<linkingAgentIdentifierValue>hdnd</linkingAgentIdentifierValue></linkingAgentIdentifier>")
    for n, (_use, relative, item, _dossier, _document) in enumerate(entries, 1):
        objects.append(
            '<object xsi:type="file"><objectIdentifier><objectIdentifierType>local</objectIdentifierType>'
            f"<objectIdentifierValue>{escape(relative)}</objectIdentifierValue></objectIdentifier>"
            "<objectCharacteristics><fixity><messageDigestAlgorithm>SHA-256</messageDigestAlgorithm>"
            f"<messageDigest>{sha256(item.data)}</messageDigest></fixity><size>{len(item.data)}</size>"
            f"<format><formatDesignation><formatName>{escape(item.mimetype)}</formatName></formatDesignation></format>"
            f"</objectCharacteristics><originalName>{escape(item.name)}</originalName></object>"
        )
        if item.derived_from:
            events.append(
                f"<event><eventIdentifier><eventIdentifierType>local</eventIdentifierType>"
                f"<eventIdentifierValue>event-{n}</eventIdentifierValue></eventIdentifier>"
                f"<eventType>migration</eventType><eventDateTime>{iso(item.created)}</eventDateTime>"
                f"<eventDetailInformation><eventDetail>Bản PDF của {escape(item.derived_from)} do LibreOffice tạo</eventDetail>"
                f"</eventDetailInformation>{agent}<linkingObjectIdentifier><linkingObjectIdentifierType>local</linkingObjectIdentifierType>"
                f"<linkingObjectIdentifierValue>{escape(relative)}</linkingObjectIdentifierValue></linkingObjectIdentifier></event>"
            )
    events.append(
        f"<event><eventIdentifier><eventIdentifierType>UUID</eventIdentifierType><eventIdentifierValue>{uuid.uuid4()}"
        f"</eventIdentifierValue></eventIdentifier><eventType>transfer</eventType><eventDateTime>{created}</eventDateTime>"
        f"<eventDetailInformation><eventDetail>Lập gói hồ sơ nộp lưu</eventDetail></eventDetailInformation>{agent}</event>"
    )
    agents = (
        "<agent><agentIdentifier><agentIdentifierType>local</agentIdentifierType>"
        "<agentIdentifierValue>hdnd</agentIdentifierValue></agentIdentifier>"
        f"<agentName>hdnd</agentName><agentType>software</agentType><agentVersion>{escape(software_version())}</agentVersion></agent>"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<premis xmlns="{PREMIS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="3.0">'
        + "".join(objects) + "".join(events) + agents + "</premis>"
    )


def write_bag(top, agency, created):
    data = top / "data"
    lines = []
    total = 0
    for path in sorted(p for p in data.rglob("*") if p.is_file()):
        content = path.read_bytes()
        total += len(content)
        lines.append(f"{sha256(content)}  {path.relative_to(top).as_posix()}\n")
    (top / "manifest-sha256.txt").write_text("".join(lines), encoding="utf-8")
    (top / "bagit.txt").write_text("BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n", encoding="utf-8")
    (top / "bag-info.txt").write_text(
        f"Source-Organization: {agency}\nBagging-Date: {created[:10]}\n"
        f"Payload-Oxum: {total}.{len(lines)}\nBag-Software-Agent: hdnd\n",
        encoding="utf-8",
    )
    tags = []
    for name in ("bagit.txt", "bag-info.txt", "manifest-sha256.txt"):
        tags.append(f"{sha256((top / name).read_bytes())}  {name}\n")
    (top / "tagmanifest-sha256.txt").write_text("".join(tags), encoding="utf-8")


# Verification -------------------------------------------------------------------


# What eark-validator 1.1.3 reports that no package can avoid (docs/operations.md,
# "Archive packages and the E-ARK validator"): said as a note, not a problem.
# Its SIP14 rule tests an un-namespaced @NOTETYPE = 'IDENTIFICATIONCODE' on
# every note of every CREATOR agent, where the SIP profile it ships says
# metsHdr/agent/note/@csip:NOTETYPE of the archival creator: the software
# agent's one note, which CSIP15/16 require typed csip:NOTETYPE="SOFTWARE
# VERSION", fails it, and the un-namespaced attribute is refused by mets.xsd
# (note's anyAttribute is ##other; the validator's XML-1). Excused once per
# such note, no more: hdnd checks SIP14 as the profile states it
# (verify_csip).
VALIDATOR_DEFECTS = {
    "SIP14": "eark-validator 1.1.3 wants an un-namespaced NOTETYPE on the software agent's note, which "
             "mets.xsd (its own schema check) refuses and CSIP15/16 contradict",
}


def software_notes(tree):
    """How many notes CSIP15/16 require on CREATOR software agents (each one
    eark-validator 1.1.3's SIP14 cannot pass)."""
    ns = {"mets": METS}
    return len(tree.findall(f"mets:metsHdr/mets:agent[@ROLE='CREATOR'][@OTHERTYPE='SOFTWARE']/"
                            f"mets:note[@{{{CSIP}}}NOTETYPE='SOFTWARE VERSION']", ns))


def validators_python():
    """The Python of the validators' venv (``make validators``):
    $HDND_VALIDATORS_VENV, else .venv-validators in the current folder or
    beside the running venv; None if there is none."""
    import os
    import sys

    places = [os.environ.get("HDND_VALIDATORS_VENV"), ".venv-validators",
              str(Path(sys.prefix).parent / ".venv-validators")]
    for place in filter(None, places):
        python = Path(place) / "bin" / "python"
        if python.exists():
            return python
    return None


def eark(path, python):
    """The E-ARK reference validator's findings on the package at ``path``
    (run offline in its own venv by earkcheck.py): dicts with level, rule,
    message, location."""
    import json
    import subprocess

    from hdnd.content.core import earkcheck

    done = subprocess.run([str(python), earkcheck.__file__, str(path)], capture_output=True, text=True, timeout=600)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    if not lines or "summary" not in lines[-1]:
        last = ((done.stderr or done.stdout).strip().splitlines() or ["no output"])[-1]
        raise PackageError(f"eark-validator stopped: {last[:500]}")
    return lines[:-1]


def verify(path, eark_python=None, notes=None):
    """Problems found in the package (or bag) at ``path``; [] when it is
    sound. With ``eark_python`` (validators_python()), the E-ARK reference
    validator runs too: its errors are problems, its warnings and the
    defects it cannot be satisfied on go to ``notes`` (a list) if given."""
    path = Path(path)
    problems = []
    if (path / "bagit.txt").exists():
        problems += verify_bag(path)
        inner = [p for p in (path / "data").iterdir() if p.is_dir()] if (path / "data").is_dir() else []
        if len(inner) != 1:
            return problems + ["bag: data/ should hold exactly one package"]
        path = inner[0]
    if eark_python is not None:
        try:
            findings = eark(path, eark_python)
        except PackageError as error:  # it stops on a METS.xml that is not XML
            findings = [{"level": "ERROR", "rule": "", "message": f"could not read the package ({error})"}]
        try:
            excusable = {"SIP14": software_notes(ET.parse(path / "METS.xml"))}
        except (OSError, ET.ParseError):
            excusable = {}
        for finding in findings:
            said = f"eark-validator {finding['rule'] or 'run'}: {finding['message']}"
            excused = finding["level"] == "ERROR" and excusable.get(finding["rule"], 0) > 0
            if excused:
                excusable[finding["rule"]] -= 1
                if notes is not None:
                    notes.append(f"eark-validator {finding['rule']}: {VALIDATOR_DEFECTS[finding['rule']]}")
            elif finding["level"] == "ERROR":
                problems.append(said)
            elif finding["level"] in ("WARN", "WARNING") and notes is not None:
                notes.append(said)
    mets_path = path / "METS.xml"
    if not mets_path.exists():
        return problems + ["METS.xml: missing"]
    try:
        tree = ET.parse(mets_path)
    except ET.ParseError as error:
        return problems + [f"METS.xml: not well-formed XML ({error})"]
    listed = set()
    ns = {"mets": METS, "xlink": XLINK}
    references = [(f, f.find("mets:FLocat", ns)) for f in tree.iterfind(".//mets:file", ns)]
    references += [(r, r) for r in tree.iterfind(".//mets:mdRef", ns)]
    for element, locator in references:
        href = locator.get(f"{{{XLINK}}}href") if locator is not None else None
        if not href:
            problems.append(f"METS.xml: {element.get('ID')} has no location")
            continue
        listed.add(href)
        target = path / href
        if not target.is_file():
            problems.append(f"{href}: listed in METS.xml but missing")
            continue
        data = target.read_bytes()
        if element.get("SIZE") and int(element.get("SIZE")) != len(data):
            problems.append(f"{href}: size {len(data)}, METS.xml says {element.get('SIZE')}")
        if element.get("CHECKSUMTYPE") != "SHA-256" or element.get("CHECKSUM") != sha256(data):
            problems.append(f"{href}: SHA-256 does not match METS.xml")
        if href.endswith(".xml"):
            try:
                ET.fromstring(data)
            except ET.ParseError as error:
                problems.append(f"{href}: not well-formed XML ({error})")
    present = {p.relative_to(path).as_posix() for p in path.rglob("*") if p.is_file()} - {"METS.xml"}
    for extra in sorted(present - listed):
        problems.append(f"{extra}: in the package but not listed in METS.xml")
    created = tree.getroot().find("mets:metsHdr", ns)
    if created is None or not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", created.get("CREATEDATE", "")):
        problems.append("METS.xml: metsHdr CREATEDATE is not ISO 8601 with +07:00")
    problems += verify_schemas(path)
    problems += verify_csip(tree)
    return problems


SCHEMAS = {  # file in the package -> (schema, what it is)
    "METS.xml": ("mets.xsd", "METS"),
    "metadata/descriptive/ead.xml": ("ead.xsd", "EAD 2002"),
    "metadata/preservation/premis.xml": ("premis.xsd", "PREMIS 3"),
}


def _schema(name, cache={}):
    """An XSD from the package that ships it, its XLink import read from
    eadator's copy (never from loc.gov): validation works offline."""
    if name not in cache:
        import lxml.etree

        files = schema_files()
        xlink = str(files["xlink.xsd"])

        class Local(lxml.etree.Resolver):
            def resolve(self, url, pubid, context):
                return self.resolve_filename(xlink, context) if url.endswith("xlink.xsd") else None

        parser = lxml.etree.XMLParser()
        parser.resolvers.add(Local())
        cache[name] = lxml.etree.XMLSchema(lxml.etree.parse(str(files[name]), parser))
    return cache[name]


def verify_schemas(path):
    """METS, EAD 2002 and PREMIS 3 against their schemas."""
    import lxml.etree

    problems = []
    for relative, (schema_name, label) in SCHEMAS.items():
        target = path / relative
        if not target.is_file():
            continue
        try:
            document = lxml.etree.parse(str(target))
        except lxml.etree.XMLSyntaxError:
            continue  # reported as not well-formed
        schema = _schema(schema_name)
        if not schema.validate(document):
            for error in list(schema.error_log)[:10]:
                problems.append(f"{relative}: invalid {label} (line {error.line}: {error.message})")
    return problems


def _vocabulary(name):
    return {
        "category": {"Textual works – Print", "Textual works – Digital", "Textual works – Electronic Serials",
                     "Digital Musical Composition (score-based representations)", "Photographs – Print",
                     "Photographs – Digital", "Other Graphic Images – Print", "Other Graphic Images – Digital",
                     "Microforms", "Audio – On Tangible Medium (digital or analog)",
                     "Audio – Media-independent (digital)", "Motion Pictures – Digital and Physical Media",
                     "Video – File-based and Physical Media", "Software", "Datasets", "Geospatial Data",
                     "Databases", "Websites", "Collection", "Event", "Interactive resource", "Physical object",
                     "Service", "Mixed", "Other"},
        "package": {"SIP", "AIP", "DIP", "AIU", "AIC"},
    }[name]


def verify_csip(tree):
    """The CSIP/SIP rules an archive's validator holds the package to, each
    failure named by its requirement (E-ARK CSIP 2.1, SIP 2.1)."""
    ns = {"mets": METS, "xlink": XLINK, "csip": CSIP}
    root = tree.getroot()
    q = "{%s}%s" % (CSIP, "%s")
    problems = []

    def need(ok, rule, message):
        if not ok:
            problems.append(f"METS.xml: {rule}: {message}")

    need(root.get("OBJID"), "CSIP1", "mets/@OBJID names the package")
    kind = root.get("TYPE", "")
    need(kind in _vocabulary("category"), "CSIP2",
         f"mets/@TYPE {kind!r} is not a term of CSIP's content category vocabulary (e.g. 'Other', not 'OTHER')")
    cit = root.get(q % "CONTENTINFORMATIONTYPE")
    need(cit, "CSIP4", "mets/@csip:CONTENTINFORMATIONTYPE is missing")
    need(cit != "OTHER" or root.get(q % "OTHERCONTENTINFORMATIONTYPE"), "CSIP5",
         "@csip:CONTENTINFORMATIONTYPE is OTHER: @csip:OTHERCONTENTINFORMATIONTYPE must say which")
    header = root.find("mets:metsHdr", ns)
    packaged = header.get(q % "OAISPACKAGETYPE") if header is not None else None
    need(packaged in _vocabulary("package"), "CSIP9", "metsHdr/@csip:OAISPACKAGETYPE is missing or not SIP/AIP/DIP")
    if packaged == "SIP":
        need(root.get("PROFILE") == SIP_PROFILE, "SIP2", f"a SIP's mets/@PROFILE is {SIP_PROFILE}")
    creators = header.findall("mets:agent[@ROLE='CREATOR']", ns) if header is not None else []
    need(creators, "CSIP11", "metsHdr has no agent with ROLE CREATOR (the software that made the package)")
    for agent in creators:
        name = agent.findtext("mets:name", default="", namespaces=ns)
        need(agent.get("TYPE") == "OTHER" and agent.get("OTHERTYPE") == "SOFTWARE", "CSIP12/13",
             f"the CREATOR agent {name!r} must be TYPE OTHER, OTHERTYPE SOFTWARE (the submitting body is another agent)")
        notes = agent.findall("mets:note", ns)
        need(len(notes) == 1 and notes[0].get(q % "NOTETYPE") == "SOFTWARE VERSION" and (notes[0].text or "").strip(),
             "CSIP15/16", f"the CREATOR agent {name!r} needs one note with csip:NOTETYPE 'SOFTWARE VERSION'")
    # SIP14 and SIP20 as the SIP profile states them: a note of the archival
    # creator (ARCHIVIST) or of the submitting agency is its identification code.
    for agent in header.findall("mets:agent", ns) if header is not None else ():
        rule = "SIP14" if agent.get("ROLE") == "ARCHIVIST" else (
            "SIP20" if agent.get("ROLE") == "OTHER" and agent.get("OTHERROLE") == "SUBMITTER" else None)
        for note in agent.findall("mets:note", ns) if rule else ():
            need(note.get(q % "NOTETYPE") == "IDENTIFICATIONCODE", rule,
                 f"a note of the {'archival creator' if rule == 'SIP14' else 'submitting'} agent needs "
                 "csip:NOTETYPE 'IDENTIFICATIONCODE'")
    files = root.find("mets:fileSec", ns)
    uses = [g.get("USE", "") for g in files.findall("mets:fileGrp", ns)] if files is not None else []
    need(files is not None and files.get("ID"), "CSIP58/59", "METS has no fileSec with an ID")
    need("Documentation" in uses, "CSIP60", "no fileGrp USE='Documentation' (documentation/)")
    need("Schemas" in uses, "CSIP113", "no fileGrp USE='Schemas' (schemas/)")
    need(any(u.startswith("Representations") for u in uses), "CSIP114", "no fileGrp USE='Representations/…'")
    for group in files.findall("mets:fileGrp", ns) if files is not None else ():
        use = group.get("USE", "")
        need(group.findall("mets:file", ns), "CSIP66", f"fileGrp {use!r} lists no file")
        gcit = group.get(q % "CONTENTINFORMATIONTYPE")
        need(not use.startswith("Representations") or gcit, "CSIP62",
             f"fileGrp {use!r} does not state its @csip:CONTENTINFORMATIONTYPE")
        need(gcit != "OTHER" or group.get(q % "OTHERCONTENTINFORMATIONTYPE"), "CSIP63",
             f"fileGrp {use!r}: CONTENTINFORMATIONTYPE OTHER without OTHERCONTENTINFORMATIONTYPE")
    struct = root.find("mets:structMap[@LABEL='CSIP']", ns)
    need(struct is not None and struct.get("TYPE") == "PHYSICAL", "CSIP80-82", "no PHYSICAL structMap labelled CSIP")
    top = struct.find("mets:div", ns) if struct is not None else None
    for label, rule in (("Metadata", "CSIP88"), ("Documentation", "CSIP95"), ("Schemas", "CSIP99"),
                        ("Representations", "CSIP103")):
        div = top.find(f"mets:div[@LABEL='{label}']", ns) if top is not None else None
        need(div is not None, rule, f"the structMap has no div labelled {label!r}")
        if div is not None and label != "Metadata":
            need(div.findall("mets:fptr", ns), rule, f"the {label!r} div points to no file")
    return problems


def verify_bag(path):
    problems = []
    for manifest in ("manifest-sha256.txt", "tagmanifest-sha256.txt"):
        listed = set()
        file = path / manifest
        if not file.exists():
            problems.append(f"bag: {manifest} missing")
            continue
        for line in file.read_text(encoding="utf-8").splitlines():
            digest, _, name = line.partition("  ")
            listed.add(name)
            target = path / name
            if not target.is_file():
                problems.append(f"bag: {name} missing")
            elif sha256(target.read_bytes()) != digest:
                problems.append(f"bag: {name} does not match {manifest}")
        if manifest == "manifest-sha256.txt":
            payload = {p.relative_to(path).as_posix() for p in (path / "data").rglob("*") if p.is_file()}
            for extra in sorted(payload - listed):
                problems.append(f"bag: {extra} not in {manifest}")
    return problems

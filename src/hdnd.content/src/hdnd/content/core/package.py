"""Archive packages of transferred records (domain §6), written and checked
in plain Python.

``write(folder, package_id, agency, dossiers)`` writes an E-ARK CSIP-shaped
information package:

    <package_id>/METS.xml                          METS with the CSIP profile
    <package_id>/metadata/descriptive/ead.xml      EAD 2002: the fonds, dossiers, documents
    <package_id>/metadata/preservation/premis.xml  PREMIS 3: files, fixity, events
    <package_id>/representations/rep1/data/...     the original files
    <package_id>/representations/rep2/data/...     PDF copies made for preservation

Every file is listed in METS with its size, MIME type and SHA-256; times are
ISO 8601 with the office's +07:00. With ``bag=True`` the package is wrapped
in a BagIt bag (``data/`` and SHA-256 manifests).

``verify(path)`` checks a package (or a bag holding one) without trusting
its writer: the XML is well formed, every file METS lists is there with its
size and checksum, nothing is there that METS does not list, and a bag's
manifests match.
"""

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta
from datetime import timezone
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape
from xml.sax.saxutils import quoteattr

import hashlib
import re
import uuid


OFFICE_TZ = timezone(timedelta(hours=7))
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
    return datetime.now(OFFICE_TZ).replace(microsecond=0)


def iso(moment):
    """ISO 8601 with the office's offset (+07:00)."""
    moment = moment or now()
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=OFFICE_TZ)
    return moment.astimezone(OFFICE_TZ).replace(microsecond=0).isoformat()


def sha256(data):
    return hashlib.sha256(data).hexdigest()


SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe(name):
    cleaned = SAFE.sub("_", name).strip("._") or "file"
    return cleaned[:120]


def write(folder, package_id, agency, dossiers, bag=False, created=None):
    """Write the package; return the path of its folder (or of the bag)."""
    created = iso(created)
    root = Path(folder) / safe(package_id)
    if root.exists():
        raise PackageError(f"package: {root} exists; a package is never overwritten")
    top = root
    if bag:
        root = root / "data" / safe(package_id)
    entries = []  # (use, relative path, PackageFile, dossier, document)
    for dossier in dossiers:
        for document in dossier.documents:
            for use, files in (("rep1", document.files), ("rep2", document.copies)):
                for item in files:
                    relative = f"representations/{use}/data/{safe(dossier.code or dossier.id)}/{safe(document.id)}/{safe(item.name)}"
                    target = root / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(item.data)
                    entries.append((use, relative, item, dossier, document))
    descriptive = ead(package_id, agency, dossiers, entries).encode("utf-8")
    preservation = premis(entries, created).encode("utf-8")
    for relative, data in (("metadata/descriptive/ead.xml", descriptive),
                           ("metadata/preservation/premis.xml", preservation)):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    mets_xml = mets(package_id, agency, entries, created, descriptive, preservation)
    (root / "METS.xml").write_bytes(mets_xml.encode("utf-8"))
    if bag:
        write_bag(top, agency, created)
    return top


def mets(package_id, agency, entries, created, descriptive, preservation):
    files, groups = [], {}
    for n, (use, relative, item, _dossier, _document) in enumerate(entries, 1):
        groups.setdefault(use, []).append(
            f'<mets:file ID="file-{n}" MIMETYPE={quoteattr(item.mimetype)} SIZE="{len(item.data)}" '
            f'CREATED="{iso(item.created)}" CHECKSUM="{sha256(item.data)}" CHECKSUMTYPE="SHA-256">'
            f'<mets:FLocat LOCTYPE="URL" xlink:type="simple" xlink:href={quoteattr(relative)}/></mets:file>'
        )
        files.append((use, f"file-{n}"))
    file_groups = "".join(
        f'<mets:fileGrp ID="grp-{use}" USE="Representations/{use}">{"".join(items)}</mets:fileGrp>'
        for use, items in groups.items()
    )
    pointers = "".join(
        f'<mets:div ID="div-{use}" LABEL="Representations/{use}">'
        + "".join(f'<mets:fptr FILEID="{file_id}"/>' for u, file_id in files if u == use)
        + "</mets:div>"
        for use in groups
    )

    def md_ref(ref_id, href, kind, data):
        return (
            f'<mets:mdRef ID="{ref_id}" LOCTYPE="URL" xlink:type="simple" xlink:href="{href}" MDTYPE="{kind}" '
            f'MIMETYPE="text/xml" SIZE="{len(data)}" CREATED="{created}" CHECKSUM="{sha256(data)}" '
            f'CHECKSUMTYPE="SHA-256"/>'
        )

    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<mets:mets xmlns:mets="{METS}" xmlns:xlink="{XLINK}" xmlns:csip="{CSIP}" '
        f'OBJID={quoteattr(package_id)} LABEL={quoteattr(f"Hồ sơ nộp lưu của {agency}")} TYPE="OTHER" '
        f'csip:OTHERTYPE="Records" csip:CONTENTINFORMATIONTYPE="OTHER" PROFILE="{CSIP_PROFILE}">'
        f'<mets:metsHdr CREATEDATE="{created}" RECORDSTATUS="NEW" csip:OAISPACKAGETYPE="SIP">'
        f'<mets:agent ROLE="CREATOR" TYPE="ORGANIZATION"><mets:name>{escape(agency)}</mets:name></mets:agent>'
        '<mets:agent ROLE="CREATOR" TYPE="OTHER" OTHERTYPE="SOFTWARE"><mets:name>hdnd</mets:name></mets:agent>'
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
        f"{pointers}</mets:div></mets:structMap>"
        "</mets:mets>"
    )


def ead(package_id, agency, dossiers, entries):
    links = {}
    for _use, relative, _item, _dossier, document in entries:
        links.setdefault(document.id, []).append(relative)
    components = []
    for dossier in dossiers:
        items = []
        for document in dossier.documents:
            daos = "".join(f'<dao xlink:type="simple" xlink:href={quoteattr(r)}/>' for r in links.get(document.id, []))
            extent = f'<physdesc><extent>{document.pages} trang</extent></physdesc>' if document.pages else ""
            items.append(
                f'<c02 level="item" id={quoteattr("d-" + safe(document.id))}><did>'
                f"<unitid>{escape(document.symbol or document.id)}</unitid>"
                f"<unittitle>{escape(document.title)}</unittitle>"
                + (f'<unitdate normal="{document.date}">{document.date}</unitdate>' if document.date else "")
                + (f"<origination><corpname>{escape(document.issuer)}</corpname></origination>" if document.issuer else "")
                + f"{extent}{daos}</did></c02>"
            )
        span = "/".join(d for d in (dossier.start, dossier.end) if d)
        components.append(
            f'<c01 level="file" id={quoteattr("h-" + safe(dossier.id))}><did>'
            f"<unitid>{escape(dossier.code)}</unitid><unittitle>{escape(dossier.title)}</unittitle>"
            + (f'<unitdate normal="{span}">{span}</unitdate>' if span else "")
            + "</did>"
            + (f"<accessrestrict><p>Thời hạn bảo quản: {escape(dossier.retention)}</p></accessrestrict>" if dossier.retention else "")
            + "".join(items) + "</c01>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<ead xmlns="{EAD}" xmlns:xlink="{XLINK}"><eadheader><eadid>{escape(package_id)}</eadid>'
        f"<filedesc><titlestmt><titleproper>Mục lục hồ sơ nộp lưu: {escape(agency)}</titleproper></titlestmt></filedesc>"
        "<profiledesc><langusage><language langcode=\"vie\">Tiếng Việt</language></langusage></profiledesc>"
        f'</eadheader><archdesc level="fonds"><did><unittitle>{escape(agency)}</unittitle>'
        f"<unitid>{escape(package_id)}</unitid></did><dsc>{''.join(components)}</dsc></archdesc></ead>"
    )


def premis(entries, created):
    objects, events = [], []
    for n, (use, relative, item, _dossier, _document) in enumerate(entries, 1):
        objects.append(
            '<object xsi:type="file"><objectIdentifier><objectIdentifierType>local</objectIdentifierType>'
            f"<objectIdentifierValue>{escape(relative)}</objectIdentifierValue></objectIdentifier>"
            "<objectCharacteristics><fixity><messageDigestAlgorithm>SHA-256</messageDigestAlgorithm>"
            f"<messageDigest>{sha256(item.data)}</messageDigest></fixity><size>{len(item.data)}</size>"
            f"<format><formatDesignation><formatName>{escape(item.mimetype)}</formatName></formatDesignation></format>"
            "</objectCharacteristics></object>"
        )
        if item.derived_from:
            events.append(
                f"<event><eventIdentifier><eventIdentifierType>local</eventIdentifierType>"
                f"<eventIdentifierValue>event-{n}</eventIdentifierValue></eventIdentifier>"
                f"<eventType>migration</eventType><eventDateTime>{iso(item.created)}</eventDateTime>"
                f"<eventDetailInformation><eventDetail>Bản PDF của {escape(item.derived_from)} do LibreOffice tạo</eventDetail>"
                f"</eventDetailInformation><linkingObjectIdentifier><linkingObjectIdentifierType>local</linkingObjectIdentifierType>"
                f"<linkingObjectIdentifierValue>{escape(relative)}</linkingObjectIdentifierValue></linkingObjectIdentifier></event>"
            )
    events.append(
        f"<event><eventIdentifier><eventIdentifierType>UUID</eventIdentifierType><eventIdentifierValue>{uuid.uuid4()}"
        f"</eventIdentifierValue></eventIdentifier><eventType>transfer</eventType><eventDateTime>{created}</eventDateTime>"
        "<eventDetailInformation><eventDetail>Lập gói hồ sơ nộp lưu</eventDetail></eventDetailInformation></event>"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<premis xmlns="{PREMIS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" version="3.0">'
        + "".join(objects) + "".join(events) + "</premis>"
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


def verify(path):
    """Problems found in the package (or bag) at ``path``; [] when it is sound."""
    path = Path(path)
    problems = []
    if (path / "bagit.txt").exists():
        problems += verify_bag(path)
        inner = [p for p in (path / "data").iterdir() if p.is_dir()] if (path / "data").is_dir() else []
        if len(inner) != 1:
            return problems + ["bag: data/ should hold exactly one package"]
        path = inner[0]
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

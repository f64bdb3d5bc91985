"""Real-looking scans of official documents, made from text: the OCR tests'
and benchmarks' corpus (and the demo's scans), so that no scanned paper
needs to be shipped.

A document is written in the Party or State layout (the header's two
columns, the type and trích yếu, the body, "Nơi nhận" and the signature
block), rendered to PDF by LibreOffice (``soffice --convert-to pdf``, a
private profile so as not to disturb the server's listener), rasterised by
pdftoppm at 200–300 dpi, then spoilt as paper is: rotated up to ±3°, noise
and grey paper, a signature stroke and a red seal over the signature, and
red "KHẨN" / "MẬT" stamps. Each sample keeps the fields it prints: the truth
the recognition is measured against.
"""

from __future__ import annotations

import html
import io
import math
import os
import random
import re
import subprocess
import tempfile
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from datetime import timedelta

FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

PARTY_BODIES = [  # (parent, issuer, symbol issuer)
    ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "THÀNH ỦY HÀ NỘI", "TU"),
    ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "ĐẢNG ĐOÀN HĐND THÀNH PHỐ", "ĐĐHĐND"),
    ("THÀNH ỦY HÀ NỘI", "BAN TỔ CHỨC", "BTCTU"),
    ("ĐẢNG BỘ THÀNH PHỐ HÀ NỘI", "VĂN PHÒNG THÀNH ỦY", "VPTU"),
    ("BAN CHẤP HÀNH TRUNG ƯƠNG", "BAN TỔ CHỨC TRUNG ƯƠNG", "BTCTW"),
]
STATE_BODIES = [
    ("HĐND THÀNH PHỐ HÀ NỘI", "THƯỜNG TRỰC HĐND", "HĐND"),
    ("", "ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "UBND"),
    ("HĐND THÀNH PHỐ HÀ NỘI", "BAN PHÁP CHẾ", "BPC"),
    ("UBND THÀNH PHỐ HÀ NỘI", "SỞ NỘI VỤ", "SNV"),
    ("HĐND THÀNH PHỐ HÀ NỘI", "BAN KINH TẾ - NGÂN SÁCH", "KTNS"),
]
PARTY_TYPES = [("QĐ", "QUYẾT ĐỊNH"), ("TB", "THÔNG BÁO"), ("KH", "KẾ HOẠCH"), ("BC", "BÁO CÁO"),
               ("QC", "QUY CHẾ"), ("CT", "CHỈ THỊ"), ("KL", "KẾT LUẬN"), ("HD", "HƯỚNG DẪN"),
               ("TTr", "TỜ TRÌNH"), ("NQ", "NGHỊ QUYẾT")]
STATE_TYPES = [("QĐ", "QUYẾT ĐỊNH"), ("TB", "THÔNG BÁO"), ("KH", "KẾ HOẠCH"), ("BC", "BÁO CÁO"),
               ("TTr", "TỜ TRÌNH"), ("NQ", "NGHỊ QUYẾT"), ("GM", "GIẤY MỜI"), ("CTr", "CHƯƠNG TRÌNH")]
SUBJECTS = [
    "Về việc tổ chức kỳ họp thường lệ cuối năm của Hội đồng nhân dân Thành phố",
    "Về công tác cán bộ và kiện toàn tổ chức bộ máy các ban của Hội đồng nhân dân",
    "Về kết quả giám sát việc thực hiện chính sách hỗ trợ người dân bị ảnh hưởng",
    "Về chương trình giám sát năm 2027 của Thường trực Hội đồng nhân dân Thành phố",
    "Về việc triển khai thực hiện nghị quyết về phát triển kinh tế xã hội",
    "Về kế hoạch tiếp xúc cử tri trước kỳ họp thứ mười lăm",
    "Về việc lấy ý kiến các đồng chí thành viên về đề án sắp xếp đơn vị hành chính",
    "Về dự toán ngân sách và phương án phân bổ ngân sách cấp Thành phố",
    "Về tình hình thực hiện nhiệm vụ quý III và phương hướng nhiệm vụ quý IV",
    "Về việc chuẩn bị nội dung phiên họp chuyên đề tháng mười hai",
    "Về công tác phòng, chống tham nhũng, lãng phí trong các cơ quan dân cử",
    "Về quy chế phối hợp giữa Thường trực Hội đồng nhân dân và Ủy ban nhân dân",
]
BODY = [
    "Căn cứ Điều lệ Đảng Cộng sản Việt Nam và Quy định số 24-QĐ/TW của Ban Chấp hành Trung ương về thi hành Điều lệ Đảng;",
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015 và các văn bản hướng dẫn thi hành;",
    "Xét đề nghị của Văn phòng, sau khi thảo luận, thống nhất ý kiến, {body} ban hành văn bản này với các nội dung sau:",
    "Điều 1. Các cơ quan, đơn vị có liên quan tổ chức triển khai thực hiện nghiêm túc, bảo đảm đúng tiến độ, chất lượng.",
    "Điều 2. Giao Văn phòng theo dõi, đôn đốc, tổng hợp kết quả thực hiện, báo cáo định kỳ hằng quý về {body}.",
    "Điều 3. Văn bản có hiệu lực kể từ ngày ký. Các đồng chí thủ trưởng cơ quan, đơn vị chịu trách nhiệm thi hành.",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Đinh"]
MIDDLE = ["Văn", "Thị", "Ngọc", "Đức", "Minh", "Thanh", "Quang", "Hữu", "Thu", "Hồng"]
GIVEN = ["Tuấn", "Hùng", "Lan", "Hương", "Dũng", "Thắng", "Phương", "Hải", "Sơn", "Mai", "Bình", "Long"]
RECIPIENTS = ["Thường trực Thành ủy", "Ban Thường vụ Thành ủy", "Các đồng chí Đảng đoàn", "Văn phòng Thành ủy",
              "Ủy ban nhân dân Thành phố", "Các Ban của Hội đồng nhân dân", "Các sở, ban, ngành Thành phố",
              "Đại biểu Hội đồng nhân dân Thành phố"]
SIGNING = {"party": [("T/M ĐẢNG ĐOÀN", "BÍ THƯ"), ("T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"), ("K/T BÍ THƯ", "PHÓ BÍ THƯ")],
           "state": [("T/M THƯỜNG TRỰC", "CHỦ TỊCH"), ("K/T CHỦ TỊCH", "PHÓ CHỦ TỊCH"), ("T/M ỦY BAN NHÂN DÂN", "CHỦ TỊCH")]}


@dataclass
class Sample:
    """One document: what it prints (``truth``) and how it was spoilt."""

    name: str
    family: str
    truth: dict
    html: str
    dpi: int = 300
    angle: float = 0.0
    noise: float = 0.0
    seal: bool = True
    stamps: tuple = ()
    classification: str = "none"
    urgency: str = "normal"
    pdf: bytes = b""        # LibreOffice's rendering (with its text layer)
    scan: bytes = b""       # the spoilt page, an image-only PDF
    png: bytes = b""        # the same page as PNG
    boxes: dict = dataclass_field(default_factory=dict)


def _number(n):
    return f"{n:02d}"


def make_samples(count=20, seed=24):
    """``count`` documents, Party and State alternately, varied by ``seed``."""
    rng = random.Random(seed)
    samples = []
    for n in range(count):
        family = "party" if n % 2 == 0 else "state"
        parent, issuer, code = rng.choice(PARTY_BODIES if family == "party" else STATE_BODIES)
        abbreviation, type_name = rng.choice(PARTY_TYPES if family == "party" else STATE_TYPES)
        number = rng.choice([rng.randint(1, 9), rng.randint(10, 99), rng.randint(100, 1999)])
        symbol = f"{_number(number)}-{abbreviation}/{code}" if family == "party" else f"{_number(number)}/{abbreviation}-{code}"
        issued = date(2025, 1, 1) + timedelta(days=rng.randint(0, 700))
        subject = rng.choice(SUBJECTS)
        signer = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        recipients = rng.sample(RECIPIENTS, rng.randint(2, 4))
        authority, position = rng.choice(SIGNING[family])
        place = "Hà Nội"
        stamps = ()
        roll = rng.random()
        if roll < 0.25:
            stamps = ("KHẨN",)
        elif roll < 0.45:
            stamps = ("MẬT",)
        elif roll < 0.55:
            stamps = ("KHẨN", "MẬT")
        truth = {"symbol": symbol, "issue_date": issued.isoformat(), "issuing_body": issuer,
                 "doc_type": abbreviation, "title": subject, "place": place, "signer": signer,
                 "recipients": "; ".join(recipients)}
        body_name = issuer.title() if family == "party" else issuer.capitalize()
        paragraphs = [p.format(body=body_name) for p in rng.sample(BODY[:3], 2) + BODY[3:3 + rng.randint(1, 3)]]
        sample = Sample(
            name=f"{family}-{n:02d}", family=family, truth=truth,
            html=_html(family, parent, issuer, symbol, place, issued, type_name, subject, paragraphs,
                       recipients, authority, position, signer),
            dpi=rng.choice([200, 250, 300]), angle=round(rng.uniform(-3, 3), 2), noise=rng.uniform(0.01, 0.04),
            seal=True, stamps=stamps,
            classification="mat" if "MẬT" in stamps else "none", urgency="khan" if "KHẨN" in stamps else "normal",
        )
        samples.append(sample)
    return samples


def _html(family, parent, issuer, symbol, place, issued, type_name, subject, paragraphs, recipients,
          authority, position, signer):
    e = html.escape
    motto = ("<b><u>ĐẢNG CỘNG SẢN VIỆT NAM</u></b>" if family == "party"
             else "<b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b><u>Độc lập - Tự do - Hạnh phúc</u></b>")
    number = f"Số {e(symbol)}" if family == "party" else f"Số: {e(symbol)}"
    left = (f"{e(parent)}<br>" if parent else "") + f"<b>{e(issuer)}</b><br>{'*' if family == 'party' else '———'}<br>{number}"
    dated = f"<i>{e(place)}, ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}</i>"
    body = "".join(f"<p style='text-align:justify;text-indent:1cm'>{e(p)}</p>" for p in paragraphs)
    listed = "<br>".join(f"- {e(r)}{',' if i < len(recipients) - 1 else ';'}" for i, r in enumerate(recipients))
    return f"""<html><head><meta charset="utf-8"><style>
body {{ font-family: 'Liberation Serif'; font-size: 13pt; }}
td {{ vertical-align: top; text-align: center; font-size: 13pt; }}
</style></head><body>
<table width="100%" cellspacing="0"><tr><td width="42%">{left}</td>
<td width="58%">{motto}<br><br>{dated}</td></tr></table>
<p align="center"><br><b>{e(type_name)}</b><br><b>{e(subject)}</b><br>-----</p>
{body}
<table width="100%" cellspacing="0"><tr><td width="50%" style="text-align:left;font-size:11pt">
<b><i>Nơi nhận:</i></b><br>{listed}<br>- Lưu VP.</td>
<td width="50%"><b>{e(authority)}<br>{e(position)}</b><br><br><br><br><br><b>{e(signer)}</b></td></tr></table>
</body></html>"""


def render(samples, soffice="soffice"):
    """Render every sample's HTML to PDF with LibreOffice (one run)."""
    with tempfile.TemporaryDirectory(prefix="hdnd-scans-") as folder:
        for sample in samples:
            with open(os.path.join(folder, sample.name + ".html"), "w", encoding="utf-8") as out:
                out.write(sample.html)
        profile = "file://" + os.path.join(folder, "profile")
        sources = [os.path.join(folder, s.name + ".html") for s in samples]
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                        "--convert-to", "pdf:writer_web_pdf_Export", "--outdir", folder, *sources],
                       capture_output=True, timeout=600, check=False)
        for sample in samples:
            with open(os.path.join(folder, sample.name + ".pdf"), "rb") as f:
                sample.pdf = f.read()
            sample.boxes = _boxes(os.path.join(folder, sample.name + ".pdf"), sample)
    return samples


def _boxes(path, sample):
    """Where (in points) the signer's name and the symbol are on page 1."""
    done = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", path, "-"], capture_output=True, timeout=60)
    words = re.findall(r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
                       done.stdout.decode("utf-8", "replace"))
    boxes = {}
    last_name = sample.truth["signer"].split()[-1]
    first_symbol = sample.truth["symbol"]
    for x0, y0, x1, y1, word in words:
        box = tuple(float(v) for v in (x0, y0, x1, y1))
        if html.unescape(word) == last_name:
            boxes["signer"] = box  # the last one: the signature block is at the end
        if html.unescape(word) == first_symbol and "symbol" not in boxes:
            boxes["symbol"] = box
    return boxes


def _font(size):
    from PIL import ImageFont

    try:
        return ImageFont.truetype(FONT_BOLD, size)
    except OSError:
        return ImageFont.load_default()


def _seal(draw, cx, cy, radius, text):
    """A round red seal: two rings, the body's name around, a star inside."""
    red = (205, 30, 35)
    width = max(3, radius // 22)
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), outline=red, width=width)
    inner = int(radius * 0.68)
    draw.ellipse((cx - inner, cy - inner, cx + inner, cy + inner), outline=red, width=max(2, width // 2))
    font = _font(max(10, radius // 7))
    letters = list(text)
    for n, letter in enumerate(letters):
        angle = math.pi * (0.85 + 1.3 * n / max(1, len(letters) - 1))
        x = cx + math.cos(angle) * radius * 0.84
        y = cy + math.sin(angle) * radius * 0.84
        draw.text((x, y), letter, fill=red, font=font, anchor="mm")
    star = [(cx + math.cos(math.pi / 2 + k * math.pi / 5) * (inner * (0.55 if k % 2 == 0 else 0.22)),
             cy - math.sin(math.pi / 2 + k * math.pi / 5) * (inner * (0.55 if k % 2 == 0 else 0.22)))
            for k in range(10)]
    draw.polygon(star, fill=red)


def _stamp(draw, x, y, word, scale):
    red = (200, 25, 30)
    font = _font(int(15 * scale))
    left, top, right, bottom = draw.textbbox((x, y), word, font=font)
    pad = int(4 * scale)
    draw.rectangle((left - pad, top - pad, right + pad, bottom + pad), outline=red, width=max(3, int(1.5 * scale)))
    draw.text((x, y), word, fill=red, font=font)
    return bottom + pad


def spoil(sample, rng=None):
    """The scan of a rendered sample: page 1 rasterised at its dpi, a
    signature stroke, a red seal over the signature, red stamps, grey
    paper and noise, rotated by its angle; as an image-only PDF and a PNG."""
    from PIL import Image
    from PIL import ImageDraw
    from PIL import ImageFilter

    rng = rng or random.Random(sample.name)
    with tempfile.TemporaryDirectory(prefix="hdnd-scan-") as folder:
        source = os.path.join(folder, "in.pdf")
        with open(source, "wb") as out:
            out.write(sample.pdf)
        subprocess.run(["pdftoppm", "-r", str(sample.dpi), "-f", "1", "-l", "1", "-png", "-singlefile", source,
                        os.path.join(folder, "page")], check=True, capture_output=True, timeout=120)
        page = Image.open(os.path.join(folder, "page.png")).convert("RGB")
    scale = sample.dpi / 72
    draw = ImageDraw.Draw(page)
    if "signer" in sample.boxes:
        x0, y0, x1, y1 = (v * scale for v in sample.boxes["signer"])
        name_width = x1 - x0
        centre_x = x0 - name_width * 0.6
        top = y0 - 70 * scale
        # A signature: a blue-black stroke between the title and the name.
        points = [(centre_x - 60 * scale + k * 9 * scale,
                   top + 35 * scale + math.sin(k * 1.3 + rng.random()) * 12 * scale) for k in range(14)]
        draw.line(points, fill=(25, 35, 110), width=max(2, int(1.6 * scale)), joint="curve")
        # The seal overlaps the left of the signature and the title above it.
        _seal(draw, int(centre_x - 55 * scale), int(top + 20 * scale), int(52 * scale),
              "ĐẢNG ĐOÀN HĐND THÀNH PHỐ HÀ NỘI" if sample.family == "party" else "HỘI ĐỒNG NHÂN DÂN TP HÀ NỘI")
    if sample.stamps and "symbol" in sample.boxes:
        x0, y0, x1, y1 = (v * scale for v in sample.boxes["symbol"])
        y = y1 + 10 * scale
        for word in sample.stamps:
            y = _stamp(draw, int(x0 - 10 * scale), int(y), word, scale) + 6 * scale
    # Grey paper, speckles, a slight blur, the page set askew on the glass.
    noise = Image.effect_noise(page.size, 60).point(lambda v: 255 if v > 255 * (1 - sample.noise) else 0)
    speckled = Image.composite(Image.new("RGB", page.size, (90, 90, 90)), page, noise)
    paper = Image.blend(speckled, Image.new("RGB", page.size, (235, 232, 225)), 0.08)
    paper = paper.filter(ImageFilter.GaussianBlur(0.4 * scale / 4.17))
    scanned = paper.rotate(sample.angle, resample=Image.BICUBIC, expand=False, fillcolor=(235, 232, 225))
    png, pdf = io.BytesIO(), io.BytesIO()
    scanned.save(png, format="PNG", dpi=(sample.dpi, sample.dpi))
    scanned.save(pdf, format="PDF", resolution=sample.dpi)
    sample.png, sample.scan = png.getvalue(), pdf.getvalue()
    return sample


def corpus(count=20, seed=24):
    """Rendered and spoilt samples, ready to be read."""
    samples = render(make_samples(count, seed))
    for sample in samples:
        spoil(sample)
    return samples


def word_accuracy(expected, found):
    """Share of the expected words found in order (case and spacing aside):
    1 - word error rate, floored at 0."""
    import difflib

    a = [w.strip(",.;:").lower() for w in expected.split()]
    b = [w.strip(",.;:").lower() for w in (found or "").split()]
    if not a:
        return 1.0 if not b else 0.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    edits = 0
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            edits += max(i2 - i1, j2 - j1)
    return max(0.0, 1 - edits / len(a))

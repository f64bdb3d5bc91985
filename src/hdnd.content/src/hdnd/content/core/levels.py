"""Ordered levels: urgency (độ khẩn) and classification (độ mật).

Their tokens are part of the REST contract; their order is law (domain §3,
§5): urgency maps to edXML Priority 0–3, and a clearance opens a classified
item only when it is at least the item's level.
"""

URGENCY = ("normal", "khan", "thuong_khan", "hoa_toc")
URGENCY_TITLES = {
    "normal": "Thường",
    "khan": "Khẩn",
    "thuong_khan": "Thượng khẩn",
    "hoa_toc": "Hỏa tốc",
}

CLASSIFICATION = ("none", "mat", "toi_mat", "tuyet_mat")
CLASSIFICATION_TITLES = {
    "none": "Thường (không mật)",
    "mat": "Mật",
    "toi_mat": "Tối mật",
    "tuyet_mat": "Tuyệt mật",
}

# Protection periods in years from the classification decision (domain §5).
PROTECTION_YEARS = {"mat": 10, "toi_mat": 20, "tuyet_mat": 30}


def priority(urgency: str) -> int:
    """edXML Priority: Thường 0, Khẩn 1, Thượng khẩn 2, Hỏa tốc 3."""
    return URGENCY.index(urgency)


def rank(classification: str | None) -> int:
    """0 for unclassified (or None), 3 for Tuyệt mật."""
    return CLASSIFICATION.index(classification or "none")


def is_classified(classification: str | None) -> bool:
    return rank(classification) > 0


def protection_end(level, classified_on, extended_until=None):
    """The last day a classified item is protected: 10, 20 or 30 years from
    the classification decision (domain §5), or a later extension."""
    from datetime import date

    if level not in PROTECTION_YEARS or classified_on is None:
        return None
    years = PROTECTION_YEARS[level]
    try:
        end = classified_on.replace(year=classified_on.year + years)
    except ValueError:  # 29 February
        end = date(classified_on.year + years, 3, 1)
    if extended_until is not None and extended_until > end:
        end = extended_until
    return end


def is_expired(level, classified_on, today, extended_until=None):
    """Whether protection has run out: declassification is then automatic."""
    end = protection_end(level, classified_on, extended_until)
    return end is not None and today > end

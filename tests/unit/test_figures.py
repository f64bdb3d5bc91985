from datetime import date
from hdnd.content.core.figures import done_over_time
from hdnd.content.core.figures import key_figures
from hdnd.content.core.figures import Record
from hdnd.content.core.figures import sentence


def programme():
    """273 planned items, 248 done (230 on time, 18 late), 15 overdue, 10 in
    progress; plus 361 tasks that arose, 350 of them done."""
    units = ["ban-phap-che", "ban-kt-ns", "van-phong"]
    records = []
    for n in range(273):
        if n < 230:
            status = "done_on_time"
        elif n < 248:
            status = "done_late"
        elif n < 263:
            status = "overdue"
        else:
            status = "in_progress"
        done = date(2026, n % 12 + 1, 10) if n < 248 else None
        records.append(Record(status, units[n % 3], n % 12 + 1, completed_on=done))
    records += [Record("done_on_time" if n < 350 else "not_started", units[0], arisen=True) for n in range(361)]
    return records


def test_key_figures_of_a_programme_of_273_items_with_248_done():
    figures = key_figures(programme())
    planned = figures["planned"]
    assert (planned["total"], planned["done"], planned["percent_done"]) == (273, 248, 90.8)
    assert (planned["done_on_time"], planned["done_late"], planned["overdue"], planned["in_progress"]) == (230, 18, 15, 10)
    assert planned["on_time_rate"] == 92.7  # 230 of the 248 done
    assert (figures["arisen"]["total"], figures["arisen"]["done"]) == (361, 350)
    assert figures["all"]["total"] == 634
    assert sentence(figures) == "248/273 nội dung hoàn thành (90,8 %), ngoài ra 350/361 nhiệm vụ phát sinh hoàn thành."
    assert sum(u["total"] for u in figures["by_unit"].values()) == 634
    assert figures["by_unit"]["ban-kt-ns"]["total"] == 91
    assert sum(m["total"] for m in figures["by_month"].values()) == 273  # arisen tasks apart
    assert figures["by_month"][1]["total"] == 23


def test_nothing_to_count_gives_no_rate():
    figures = key_figures([])
    assert figures["planned"]["percent_done"] is None and figures["planned"]["on_time_rate"] is None
    assert sentence(figures) == "0/0 nội dung hoàn thành."


def test_done_over_time_is_cumulative_by_month_end():
    records = [
        Record("done_on_time", completed_on=date(2026, 1, 31)),
        Record("done_late", completed_on=date(2026, 2, 1)),
        Record("done_on_time", completed_on=date(2026, 12, 31)),
        Record("overdue"),
    ]
    curve = dict(done_over_time(records, 2026))
    assert (curve[1], curve[2], curve[11], curve[12]) == (1, 2, 2, 3)

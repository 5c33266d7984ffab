"""Capaian: counts per office, kecamatan and kelurahan/desa from coordinators' submitted
lists, plus figures the offices or the press published, each with its source and date.
Aggregates only: the query behind it never reads a name or NIK."""

from collections import Counter

from litestar import Request, Response

from portal.clock import now_local
from portal.public import queries
from portal.public.cache import public_page
from portal.public.chart import Series, bar_chart
from portal.public.common import page

SERIES = (
    Series("reported", "Dilaporkan"),
    Series("scheduled", "Dijadwalkan"),
    Series("recorded", "Sudah rekam"),
)


@public_page("/capaian", ttl=60, name="progress")
async def progress(request: Request) -> Response:
    regions = await queries.load_regions()
    counts = await queries.resident_counts()
    figures = await queries.figures()
    offices = []
    for office in regions.offices:
        kec_rows = []
        total: Counter = Counter()
        for kec in regions.kecamatan_of[office["id"]]:
            villages = [
                {"village": v, "counts": counts[v["id"]]}
                for v in regions.villages_of[kec["id"]]
                if sum(counts.get(v["id"], Counter()).values())
            ]
            kec_total: Counter = sum((v["counts"] for v in villages), Counter())
            total += kec_total
            if villages:
                kec_rows.append({"kecamatan": kec, "counts": kec_total, "villages": villages})
        chart = bar_chart([(r["kecamatan"]["name"], r["counts"]) for r in kec_rows], SERIES)
        offices.append(
            {
                "office": office,
                "rows": kec_rows,
                "total": total,
                "chart": chart,
                "figures": [f for f in figures if f["office"] == office["id"]],
            }
        )
    return page(
        request,
        "public/progress.html",
        {"offices": offices, "series": SERIES, "computed_at": now_local()},
    )

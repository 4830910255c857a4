"""Parse a 1 MB session report in every format and layout, and time it (issue 10/11).

    .venv/bin/python benchmarks/sessions.py                 # 1 MB, 7 runs each, Markdown table
    .venv/bin/python benchmarks/sessions.py --size 2000000 --runs 3 --json out.json

The reports are built in code from invented sessions (deterministic: a fixed seed), each on a
real layout: the IGF 2016 workshop form (flattened table text), the 2019 report (text, Markdown,
HTML with headings, DOCX with heading styles), the session page (text, HTML) and the 2020-2023
short report as a Word table. Each is about ``--size`` bytes of text: many speakers and long
discussion sections, the way large real reports grow. A run is ``parse_report(bytes)`` end to
end (decode or unzip, safety checks, segment, detect the layout, type the fields, read
participation). Reported: median and best of ``--runs`` wall times, and the peak memory of one
parse (tracemalloc).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass

from equals.sessions import parse_report

FIRST = ["Amina", "Lucía", "Kwame", "Ingrid", "Priya", "Mei-Lin", "Tomasz", "Zanele", "Hana",
         "Oluwaseun", "Beatriz", "Rahul", "Sofía", "Henrik", "Ana-Maria", "Fatou"]  # fmt: skip
LAST = ["Okonkwo", "Fernández", "Asante", "Solvang", "Raghunathan", "Chou", "Wielgosz",
        "Mthembu", "Kovačević", "Adeyemi", "Lima", "Menon", "Herrera", "Aaltonen",
        "Diallo"]  # fmt: skip
ORGS = ["ITU", "UN Women", "GSMA", "Rural Connect Alliance", "University of Zagreb",
        "Ministry of Digital Affairs", "Andean Data Lab", "Digital Rights Collective"]  # fmt: skip
GROUPS = ["Civil Society", "Private Sector", "Government", "Technical Community",
          "Intergovernmental Organization"]  # fmt: skip
REGIONS = ["African Group", "Asia-Pacific Group", "GRULAC", "WEOG", "Eastern European Group"]
WORDS = (  # noqa: SIM905
    "women access skills leadership broadband affordability policy regulators mobile "
    "community networks data gender gap digital inclusion safety online harassment training "
    "schools rural urban spectrum licences universal service funds evidence measurement"
).split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 28))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(3, 7)))


def person(rng: random.Random) -> tuple[str, str, str, str]:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return name, rng.choice(ORGS), rng.choice(GROUPS), rng.choice(REGIONS)


def wrap(text: str, width: int = 90) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*lines, line] if line else lines


@dataclass
class Built:
    name: str
    data: bytes
    layout: str


def workshop_2016(size: int, rng: random.Random) -> Built:
    rows = ["IGF 2016 Workshop Report", "Session Title\tBenchmark session on the gender divide",
            "Date\t9 December 2016", "Time\t10.15 – 11.15am", "Session Organizer\tITU & UN Women",
            "Chair/Moderator\tDoreen Example", "Rapporteur/Notetaker\tAmina Example",
            "List of Speakers and their institutional affiliations\t"]  # fmt: skip
    for _ in range(200):
        n, o, g, _r = person(rng)
        rows.append(f"\t{o}, {n} – {g}")
    rows.append("Key Issues raised (1 sentence per issue):\t")
    rows += [f"\t{sentence(rng)}" for _ in range(50)]
    rows.append("Please describe the Discussions that took place during the workshop\t")
    rows.append("session: (3 paragraphs)\t")
    text = "\n".join(rows)
    while len(text.encode()) < size:
        text += "\n\t" + "\n\t".join(wrap(paragraph(rng))) + "\n\t"
    return Built("2016 workshop form, flattened table (txt)", text.encode(), "igf-2016-workshop")


def report_2019_lines(size: int, rng: random.Random) -> list[tuple[str, str]]:
    out = [("title", "IGF 2019 WS #312 Benchmark session on women in cybersecurity"),
           ("body", "Security, Safety, Stability and Resilience"),
           ("section", "1. Key Policy Questions and Expectations")]  # fmt: skip
    out += [("body", sentence(rng)) for _ in range(20)]
    out.append(("section", "2. Summary of Issues Discussed"))
    total = sum(len(t) for _, t in out)
    while total < size - 2000:
        p = paragraph(rng)
        out.append(("body", p))
        total += len(p)
    out += [("section", "6. Estimated Participation"),
            ("body", "There were about 80 participants in the room and 20 online, of whom "
                     "around 45 were women."),
            ("section", "7. Reflection to Gender Issues"),
            ("body", "Gender was the core of the session.")]  # fmt: skip
    return out


def report_2019_text(size: int, rng: random.Random) -> Built:
    lines: list[str] = []
    for _, text in report_2019_lines(size, rng):
        lines += [*wrap(text), ""]
    return Built("2019 report (txt, wrapped)", "\n".join(lines).encode(), "igf-2019-report")


def report_2019_markdown(size: int, rng: random.Random) -> Built:
    prefix = {"title": "# ", "section": "## ", "body": ""}
    text = "\n\n".join(prefix[k] + t for k, t in report_2019_lines(size, rng))
    return Built("2019 report (Markdown)", text.encode(), "igf-2019-report")


def report_2019_html(size: int, rng: random.Random) -> Built:
    tag = {"title": "h1", "section": "h2", "body": "p"}
    body = "".join(f"<{tag[k]}>{t}</{tag[k]}>" for k, t in report_2019_lines(size, rng))
    page = f"<!DOCTYPE html><html><head><script>var x=1;</script></head><body>{body}</body></html>"
    return Built("2019 report (HTML)", page.encode(), "igf-2019-report")


def report_2019_docx(size: int, rng: random.Random) -> Built:
    import docx

    document = docx.Document()
    for kind, text in report_2019_lines(size, rng):
        if kind == "body":
            document.add_paragraph(text)
        else:
            document.add_heading(text, level=1 if kind == "title" else 2)
    buffer = io.BytesIO()
    document.save(buffer)
    return Built("2019 report (DOCX, heading styles)", buffer.getvalue(), "igf-2019-report")


def session_page_lines(size: int, rng: random.Random) -> list[str]:
    lines = ["IGF 2022 WS #405 Benchmark session page", "", "Digital Inclusion", ""]
    for i in range(1, 400):
        n, o, g, r = person(rng)
        lines.append(f"Organizer {i}: {n}, {o}" if i < 50 else f"Speaker {i - 49}: {n}, {g}, {r}")
    lines += ["", "Moderator", "Zanele Example, Civil Society, African Group", "",
              "Online Moderator", "Henrik Example, Government, WEOG", "", "Format",
              "Round Table - 90 Min", "", "Interventions"]  # fmt: skip
    total = sum(len(x) for x in lines)
    while total < size:
        for line in [*wrap(paragraph(rng)), ""]:
            lines.append(line)
            total += len(line) + 1
    return lines


def session_page_text(size: int, rng: random.Random) -> Built:
    text = "\n".join(session_page_lines(size, rng))
    return Built("session page (txt)", text.encode(), "igf-session-page")


def session_page_html(size: int, rng: random.Random) -> Built:
    heads = {"Moderator", "Online Moderator", "Format", "Interventions"}
    parts = []
    for i, line in enumerate(session_page_lines(size, rng)):
        if i == 0:
            parts.append(f"<h1>{line}</h1>")
        elif line in heads:
            parts.append(f"<h3>{line}</h3>")
        elif line:
            parts.append(f"<p>{line}</p>")
    page = "<html><body><nav>Home</nav>" + "".join(parts) + "</body></html>"
    return Built("session page (HTML)", page.encode(), "igf-session-page")


def short_report_docx(size: int, rng: random.Random) -> Built:
    import docx

    document = docx.Document()
    document.add_heading("IGF 2021 OF #7 Benchmark short report", level=1)
    table = document.add_table(rows=0, cols=2)
    rows = [("Key Takeaways", [sentence(rng) for _ in range(3)]),
            ("Call to Action", [sentence(rng) for _ in range(3)])]  # fmt: skip
    report: list[str] = []
    total = 0
    while total < size - 1000:
        p = paragraph(rng)
        report.append(p)
        total += len(p)
    rows += [("Session Report", report),
             ("Estimate the overall number of the participants present at the session", ["60"]),
             ("Estimate the overall number of women and gender-diverse people present at the "
              "session", ["34"])]  # fmt: skip
    for label, values in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = values[0]
        for v in values[1:]:
            cells[1].add_paragraph(v)
    buffer = io.BytesIO()
    document.save(buffer)
    return Built("2020-2023 short report (DOCX, Word table)", buffer.getvalue(),
                 "igf-2020-short-report")  # fmt: skip


BUILDERS: list[Callable[[int, random.Random], Built]] = [
    workshop_2016,
    report_2019_text,
    report_2019_markdown,
    report_2019_html,
    report_2019_docx,
    session_page_text,
    session_page_html,
    short_report_docx,
]


def run(size: int, runs: int) -> list[dict[str, object]]:
    results = []
    for build in BUILDERS:
        built = build(size, random.Random(2016))
        report = parse_report(built.data)  # warm-up: templates, label index, imports
        assert report.template == built.layout, (built.name, report.template)
        times, cpu = [], []
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            parse_report(built.data)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        tracemalloc.start()
        parse_report(built.data)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        results.append(
            {
                "report": built.name,
                "bytes": len(built.data),
                "layout": report.template,
                "confidence": round(report.layout.confidence, 2) if report.layout else None,
                "median_s": statistics.median(times),
                "best_s": min(times),
                "cpu_median_s": statistics.median(cpu),
                "cpu_best_s": min(cpu),
                "peak_mb": peak / 1e6,
            }
        )
        print(f"{built.name}: {statistics.median(times):.3f} s", file=sys.stderr)
    return results


def markdown(results: list[dict[str, object]], runs: int) -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores, "
        f"load average {load} at the end; {runs} runs each of `parse_report(bytes)` end to end. "
        "CPU = this process's CPU time (what the parser costs); wall = elapsed time (includes "
        "waiting for a core on a shared machine).",
        "",
        "| report | file size | layout (confidence) | CPU median | CPU best | wall median | "
        "wall best | peak memory |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        f = {k: float(v) for k, v in r.items() if k.endswith(("_s", "_mb"))}  # type: ignore[arg-type]
        lines.append(
            f"| {r['report']} | {float(r['bytes']) / 1e6:.2f} MB | {r['layout']} "  # type: ignore[arg-type]
            f"({r['confidence']}) | {f['cpu_median_s']:.3f} s | {f['cpu_best_s']:.3f} s | "
            f"{f['median_s']:.3f} s | {f['best_s']:.3f} s | {f['peak_mb']:.0f} MB |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=1_000_000, help="bytes of text per report")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--json", help="also write the results here")
    args = ap.parse_args()
    results = run(args.size, args.runs)
    sys.stdout.write(markdown(results, args.runs))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()

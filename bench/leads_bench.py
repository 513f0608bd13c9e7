"""Time screening 10,000 leads from CSV against 5 personas (issue 15: >= 2,000 leads/s).

The leads are `tests/data/leads/make_leads.py`'s mix (half clean, half planted negatives:
procurement titles, 5,000+ employees, RFPs, free-tier seekers) with one sentence of
long-tail English (`corpus.RealisticProse`) added to every message, so the tokenizer's
cache is not kept hot by a few templates; each timed run reads a file with new sentences.
The personas are `tests/data/leads/personas.yaml` (3 negative, 2 buyer).

Timed, per run (CPU time, one process; wall time beside it): reading the CSV bytes into
leads, screening every lead and writing the annotated CSV, as `flask leads screen` does.
Baselines measured in the same run on the same files: Python's `csv.reader` alone over
the bytes (the floor for anything reading the file), and the audit engine alone on the
same messages (`nlp.audit` of each message against the same keywords and red flags).

    .venv/bin/python bench/leads_bench.py [--quick]   # --quick: 2,000 leads
"""

from __future__ import annotations

import argparse
import csv
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests" / "data" / "leads"))

import make_leads  # noqa: E402
from corpus import RealisticProse  # noqa: E402

import nlp  # noqa: E402
from planner.services.leads.csvio import screen_csv  # noqa: E402
from planner.services.leads.screen import Screener  # noqa: E402
from planner.services.personas.file import read_persona_file  # noqa: E402

TARGET = 2_000  # leads per second
RUNS = 3
PERSONAS = ROOT / "tests" / "data" / "leads" / "personas.yaml"


def leads_file(count: int, seed: int) -> bytes:
    """The generator's leads with a long-tail sentence added to each message."""
    text, _ = make_leads.generate(count)
    prose = RealisticProse(seed)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    column = rows[0].index("message")
    for row in rows[1:]:
        row[column] = f"{row[column]} {prose.sentence()}".strip()
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def timed(work) -> tuple[float, float, object]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = work()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 leads instead of 10,000")
    args = parser.parse_args()
    count = 2_000 if args.quick else 10_000
    specs = read_persona_file(PERSONAS)
    screener = Screener(specs)
    lexicons = screener._lexicons  # the same keywords and red flags, for the audit baseline
    files = [leads_file(count, seed) for seed in range(RUNS + 1)]
    print(f"{count:,} leads x {len(specs)} personas, {len(files[0]) / 1e6:.1f} MB per file")
    screen_csv(screener, files[-1]).annotated_csv()  # warm-up: pipeline, matcher, caches

    csv_cpu, audit_cpu, screen_cpu, screen_wall = [], [], [], []
    for data in files[:RUNS]:
        cpu, _, _ = timed(lambda data=data: list(csv.reader(io.StringIO(data.decode()))))
        csv_cpu.append(cpu)
        screened = screen_csv(screener, data)  # only to get the messages for the baseline
        messages = [lead.message for _, lead in screened.file.rows]
        cpu, _, _ = timed(lambda m=messages: [nlp.audit(x, "plain", lexicons) for x in m])
        audit_cpu.append(cpu)
    for data in files[:RUNS]:
        cpu, wall, _ = timed(lambda data=data: screen_csv(screener, data).annotated_csv())
        screen_cpu.append(cpu)
        screen_wall.append(wall)

    def rate(seconds: list[float]) -> float:
        return count / statistics.median(seconds)

    screening = rate(screen_cpu)
    print(f"baseline: csv.reader alone            {rate(csv_cpu):>12,.0f} leads/s")
    print(f"baseline: nlp.audit of the messages   {rate(audit_cpu):>12,.0f} leads/s")
    print(
        f"read + screen + annotated CSV         {screening:>12,.0f} leads/s CPU "
        f"({rate(screen_wall):,.0f} wall), median of {RUNS}"
    )
    print(f"  = {screening / rate(audit_cpu):.2f} x the audit of the messages alone, "
          f"{screening / rate(csv_cpu):.3f} x csv.reader")  # fmt: skip
    verdict = "met" if screening >= TARGET else "NOT met"
    print(f"target >= {TARGET:,} leads/s: {verdict}")


if __name__ == "__main__":
    main()

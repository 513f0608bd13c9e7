"""Generate leads.csv (200 leads) and expected.json, their known answers, for personas.yaml.

    .venv/bin/python tests/data/leads/make_leads.py [--count N] [--output FILE.csv]

Seeded, so the same files come out every time. The answers are what each lead was built
to be (a planted negative and the reason it must be caught for, or a clean small-business
lead that must qualify), written down here, not read back from the engine.
`--count N --output F` writes N leads in the same proportions (the benchmark's input).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
from pathlib import Path

HERE = Path(__file__).parent
HEADERS = [
    "name",
    "email",
    "company",
    "job_title",
    "company_size",
    "industry",
    "country",
    "message",
]
PETE, FRAN = "Enterprise Procurement Pete", "Freebie Fran"

FIRST = ["Ana", "Ben", "Chloé", "Dev", "Eve", "Femi", "Gus", "Hana", "Ivo", "Jia", "Kai", "Lena"]
LAST = ["Ortiz", "Nguyen", "Müller", "O'Brien", "Smith", "Rossi", "Kowalski", "Tanaka", "Dubois"]
COMPANIES = ["Bakehouse", "Green Leaf Café", "Pixel & Co", "Northwind", "Blue Harbor", "Tiny Shop"]
BUYER_TITLES = [
    "Founder", "Co-founder", "Owner", "Marketing Manager", "Content Manager", "Head of Marketing",
    "CEO", "Growth Marketer", "Marketing Director", "CMO", "Chief Marketing Officer",
]  # fmt: skip
CLEAN_INDUSTRIES = ["Retail", "Hospitality", "E-commerce", "Software", "Fintech", "Education"]
CLEAN_COUNTRIES = ["US", "United States", "USA", "Germany", "DE", "UK", "France", "Canada", "NL"]
CLEAN_MESSAGES = [
    "We are a small team and want a content calendar for our blog.",
    "Looking to plan our social media posts for the next quarter.",
    "Can we book a demo next week? We publish a newsletter every Friday.",
    "Our SEO agency recommended you. How does pricing work?",
    "Interested in the Pro plan for our marketing team.",
    "Please call me back about onboarding.",
    "Hi!\nWe run three shops and need help planning seasonal campaigns.\nThanks, and talk soon",
    "",
]
PROCUREMENT_TITLES = [
    "VP Procurement", "Procurement VP", "V.P. of Procurement", "Vice President, Procurement",
    "Procurement Manager", "Senior Procurement Manager", "Sr. Procurement Mgr",
    "Purchasing Director", "Director of Purchasing", "Dir. Purchasing", "Head of Procurement",
    "Chief Procurement Officer", "CPO", "Global Sourcing Manager", "Sourcing Mgr, EMEA",
    "Procurement & Sourcing Managers",
]  # fmt: skip
BIG_SIZES = ["5,000+", "12000", "10k", "25,000", "5000-10000", "50000 employees", "8,500"]
RFP_MESSAGES = [
    "Please send your answer to our RFP by Friday.",
    "We have issued a request for proposal and would like you to respond.",
    "Our RFPs go out next month; can you be on the list?",
    "Before any call we need your response to our requests for proposals.",
]
FREE_MESSAGES = [
    "Is there a free tier? We can't pay for tools.",
    "Do you have a free plan for small projects?",
    "We want something free forever, please.",
    "Any free-tier option for hobby sites?",
]
# category: (how many in 200, verdict, {negative persona: reason fields it must name})
PLAN = [
    ("clean", 100, "qualify", {}),
    ("procurement_title", 25, "review", {PETE: ["job_title"]}),
    ("enterprise_size", 25, "review", {PETE: ["company_size"]}),
    ("rfp_message", 20, "review", {PETE: ["message"]}),
    ("free_tier_message", 15, "disqualify", {FRAN: ["message"]}),
    ("student_discount", 5, "disqualify", {FRAN: ["job_title", "message"]}),
    ("enterprise_procurement", 10, "disqualify", {PETE: ["job_title", "company_size"]}),
]


def _lead(rng: random.Random, category: str) -> dict[str, str]:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    lead = {
        "name": f"{first} {last}",
        "email": f"{first.lower()}.{len(last)}@example.com",
        "company": rng.choice(COMPANIES),
        "job_title": rng.choice(BUYER_TITLES),
        "company_size": str(rng.randint(1, 180)),
        "industry": rng.choice(CLEAN_INDUSTRIES),
        "country": rng.choice(CLEAN_COUNTRIES),
        "message": rng.choice(CLEAN_MESSAGES),
    }
    if category in ("procurement_title", "enterprise_procurement"):
        lead["job_title"] = rng.choice(PROCUREMENT_TITLES)
        lead["message"] = rng.choice(CLEAN_MESSAGES[4:])
        if category == "procurement_title":
            lead["company_size"] = str(rng.randint(20, 900))
            # An industry the persona lists adds 1: 4 is still below block (5).
            lead["industry"] = rng.choice([*CLEAN_INDUSTRIES, "Government", "Banking"])
    if category in ("enterprise_size", "enterprise_procurement"):
        lead["company_size"] = rng.choice(BIG_SIZES)
        if category == "enterprise_size":
            lead["industry"] = rng.choice([*CLEAN_INDUSTRIES, "Banking"])
            lead["message"] = rng.choice(CLEAN_MESSAGES[4:])
    if category == "rfp_message":
        lead["message"] = rng.choice(RFP_MESSAGES)
    if category == "free_tier_message":
        lead["message"] = rng.choice(FREE_MESSAGES)
    if category == "student_discount":
        lead["job_title"] = rng.choice(["Student", "Students", "student"])
        lead["message"] = "Do you offer a student discount?"
        lead["company_size"] = ""
    return lead


def generate(count: int, seed: int = 15) -> tuple[str, list[dict]]:
    """Return the CSV text and the expected answers, each with the line its lead starts on."""
    rng = random.Random(seed)
    total = sum(n for _, n, _, _ in PLAN)
    categories = [c for c, n, _, _ in PLAN for _ in range(max(1, n * count // total))]
    categories = (categories + ["clean"] * count)[:count]
    rng.shuffle(categories)
    answers = {c: (verdict, reasons) for c, _, verdict, reasons in PLAN}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADERS)
    expected, line = [], 2
    for category in categories:
        lead = _lead(rng, category)
        writer.writerow([lead[h] for h in HEADERS])
        verdict, reasons = answers[category]
        expected.append(
            {"row": line, "category": category, "verdict": verdict, "negatives": reasons}
        )
        line += 1 + sum(value.count("\n") for value in lead.values())
    return out.getvalue(), expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--output", type=Path, default=HERE / "leads.csv")
    args = parser.parse_args()
    text, expected = generate(args.count)
    args.output.write_text(text, encoding="utf-8")
    if args.output == HERE / "leads.csv":
        (HERE / "expected.json").write_text(json.dumps(expected, indent=1) + "\n", "utf-8")
    print(f"wrote {len(expected)} leads to {args.output}")


if __name__ == "__main__":
    main()

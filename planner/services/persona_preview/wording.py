"""The impact of a persona change in sentences: one wording for the CLI and the form."""

from __future__ import annotations

from planner.services.persona_preview.impact import Impact, KeywordImpact

VERBS = {"added": "Adding", "removed": "Removing", "changed": "Changing"}
BECOME = {
    "newly_blocked": "would become Block",
    "newly_warned": "would become Warn",
    "newly_passing": "would pass",
}
MAX_TITLES = 3


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def keyword_sentence(keyword: KeywordImpact) -> str:
    """E.g. "Adding `free`: 14 matches in 9 pieces, 2 matches in 2 feed items"."""
    parts = []
    for kind, label in (("piece", "piece"), ("item", "feed item")):
        if keyword.texts[kind]:
            parts.append(
                f"{plural(keyword.matches[kind], 'match', 'matches')} "
                f"in {plural(keyword.texts[kind], label)}"
            )
    found = ", ".join(parts) if parts else "no matches"
    return f"{VERBS[keyword.change]} `{keyword.term}`: {found}"


def change_head(group: str, rows: list[dict]) -> str:
    """E.g. "2 scheduled pieces, 1 draft and 1 feed item would become Block"."""
    counted = []
    pieces = [r for r in rows if r["kind"] == "piece"]
    scheduled = sum(r["status"] == "scheduled" for r in pieces)
    if scheduled:
        counted.append(plural(scheduled, "scheduled piece"))
    if len(pieces) - scheduled:
        label = "other piece" if scheduled else "piece"
        counted.append(plural(len(pieces) - scheduled, label))
    items = sum(r["kind"] == "item" for r in rows)
    if items:
        counted.append(plural(items, "feed item"))
    joined = ", ".join(counted[:-1]) + " and " + counted[-1] if len(counted) > 1 else counted[0]
    return f"{joined} {BECOME[group]}"


def change_sentence(group: str, rows: list[dict]) -> str:
    """E.g. "3 scheduled pieces would become Block — The checklist, Pricing, …"."""
    titles = [r["title"] or f"#{r['id']}" for r in rows[:MAX_TITLES]]
    more = ", …" if len(rows) > MAX_TITLES else ""
    return f"{change_head(group, rows)} — {', '.join(titles)}{more}"


def summary_lines(impact: Impact) -> list[str]:
    """Every sentence of the preview, keywords first, then thresholds, then verdicts."""
    lines = [keyword_sentence(k) for k in impact.keywords]
    if impact.kind:
        lines.append(f"Kind: {impact.kind['from']} → {impact.kind['to']}")
    for label, moved in impact.thresholds.items():
        before = "default" if moved["from"] is None else f"{moved['from']:g}"
        after = "default" if moved["to"] is None else f"{moved['to']:g}"
        lines.append(f"{label.capitalize()} threshold: {before} → {after}")
    for group, rows in impact.changes.items():
        if rows:
            lines.append(change_sentence(group, rows))
    if not impact.changed_verdicts:
        lines.append("No verdict would change.")
    return lines


def display(impact: Impact) -> list[dict]:
    """The sentences for a page, each with the pieces and items it names (to link them)."""
    lines: list[dict] = []
    for keyword in impact.keywords:
        named: dict[tuple, dict] = {}
        for example in keyword.examples["piece"] + keyword.examples["item"]:
            named.setdefault((example["kind"], example["id"]), example)
        lines.append({"text": keyword_sentence(keyword), "rows": list(named.values())})
    lines += [{"text": text, "rows": []} for text in summary_lines(impact) if _is_setting(text)]
    for group, rows in impact.changes.items():
        if rows:
            lines.append({"text": change_head(group, rows), "rows": rows, "group": group})
    if not impact.changed_verdicts:
        lines.append({"text": "No verdict would change.", "rows": []})
    return lines


def _is_setting(text: str) -> bool:
    return text.startswith(("Kind:", "Warn threshold", "Block threshold"))

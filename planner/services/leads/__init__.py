"""Leads: screen incoming leads against the personas (issue 15), without becoming a CRM.

`screen` is the pure core (a `Screener` compiled once from persona specs), `titles`
normalises job titles and other short labels, `csvio` reads and writes lead CSV files,
`service` builds a workspace's screener from its stored personas.
"""

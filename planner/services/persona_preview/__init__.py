"""What a persona change would do, computed before anything is saved (issue 16).

`impact.preview_persona` answers for one persona (the form, the API); `imports.preview_import`
for a persona file (the CLI's `--dry-run`, the web import). Neither writes anything. It
sits above `pieces` and `feeds` in the domain order, since it reads their stored texts.
"""

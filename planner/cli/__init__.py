"""The `flask` commands, one module per area; `planner.hooks` adds them to the app.

Commands are thin: parse options, call one service, print, commit. Usage and input errors
go through `operator.fail` (one line on stderr, exit 2).
"""

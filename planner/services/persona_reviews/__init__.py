"""Persona reviews (issue 14): which personas are due, the evidence since their last
review, and "Mark reviewed" with its history.

It sits above pieces, feeds, engagement and leads (the `domains` contract), because a
review gathers what each of them knows about one persona.
"""

"""Personas: the buyers we want and the negatives we do not, and their YAML file."""

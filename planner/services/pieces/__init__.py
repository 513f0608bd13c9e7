"""Pieces: drafts and scheduled posts, their audits, the block gate and overrides."""

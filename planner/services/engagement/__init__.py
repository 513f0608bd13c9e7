"""Engagement: post results imported from exports (imports, mapping, reading, matching,
results) and the best posting times learned from them (best_times, best_times_service)."""

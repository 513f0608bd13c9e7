"""The curated-versus-own mix: pure arithmetic (`rules`) and the database side (`service`)."""

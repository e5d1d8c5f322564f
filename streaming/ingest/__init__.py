"""Live ingest: WHIP publishers and stream keys, the live stages this process feeds."""

"""Indicator catalogue, tidy evidence records, gap metrics and the bundled sources."""

"""Measuring extraction against golden cases (ours, or QA reviewers' corrections)."""

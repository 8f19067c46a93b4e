"""Claim files: the X12 837P professional claim and the patient superbill."""

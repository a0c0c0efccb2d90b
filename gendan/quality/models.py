"""Inspections with AQL sampling, samples and first-article approvals."""

"""Validation: schema checks, issues and reports."""

"""Disclosure control: one protected publication grid per source, read by every output.

See ``docs/privacy.md`` for the model: what is published, on which grid, with which
constraints, and why no combination of outputs can recover a hidden count.
"""

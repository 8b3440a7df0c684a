"""The evaluation report (§ 8): one set of figures rendered as HTML, PDF and XLSX.

``data`` computes the figures (exact, JSON-safe, frozen into the evaluation's snapshot),
``protect`` turns them into the ministry's copy, ``context`` adds the workflow's texts and
prepares tables and charts, and ``render`` writes the file.
"""

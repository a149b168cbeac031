"""Renderers: each hand-over format written from a report's blocks after its notebook has
run (:mod:`impact.report.export` calls them in turn).

- :mod:`.page`: ``report.html``, phone first, no scripts;
- :mod:`.workbook`: ``report.xlsx``, one sheet per table, numbers stored as numbers;
- :mod:`.tables`: ``tables/<name>.csv``, UTF-8 with a byte-order mark;
- :mod:`.word`: ``report.docx``, editable, with page numbers and Chinese fonts;
- :mod:`.pdf`: ``report.pdf``, the page printed by Chromium.

:mod:`.cells` holds what the workbook and the CSV share (formula text neutralised, widths).
"""

"""The impact report: figures for the municipality and the funders (docs/report.md).

The pure part (this folder) turns validated records and the worker tabs' rows into one table
of figures: per partner, per programme, for the period, its quarters and (for the matches over
time) its months, with small counts suppressed. ``render/`` is the shell around it: charts,
the HTML page, the CSV and the files.
"""

"""sow-sheets: a spreadsheet workflow for the bonus-grandparent and loneliness programme."""

__version__ = "0.1.0"

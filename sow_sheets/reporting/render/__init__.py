"""The report's shell: charts (matplotlib, SVG), the page (Jinja2), the CSV and the files."""

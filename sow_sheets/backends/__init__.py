"""Backends: where the spreadsheet lives. Only these modules touch openpyxl or gspread."""

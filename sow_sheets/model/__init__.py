"""The model: what every wing shares. Cell values, the sheet contract (schema), typed records,
the sheet port the backends implement (sheet.Backend, Table, WritePlan), findings, words,
Dutch formatting, keys, dates and distances. It imports no other wing.
"""

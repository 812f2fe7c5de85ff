"""Reading: from the tables a backend returns to typed records and located problems (parsers,
vocabulary, tab reader, record builders, validation, tab structure checks).
"""

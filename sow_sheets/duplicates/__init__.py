"""Duplicates: the same person registered twice, across tabs and partners (`mogelijk dubbel`),
and the coordinator's answers (`zelfde persoon` links two IDs, `verschillend` ends the
question). Pure: identities and settings in, candidate pairs and signals out.
"""

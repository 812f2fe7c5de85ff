"""The sync: read, validate, decide, merge by key and write, with the Logboek. Entry point:
``run.run_sync``; ``decide.decide`` is the pure deciding step.
"""

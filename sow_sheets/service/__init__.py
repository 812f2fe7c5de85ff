"""The long-running shell: the scheduled worker loop, its task, the run lock, structured logs
without personal data, the clock and the health that ``status`` reports.
"""

"""Follow-up: conversation rules and their schedules, the people rules (waiting, VOG, privacy),
and the Signalen lifecycle. Entry point: ``engine.follow_up_findings``.
"""

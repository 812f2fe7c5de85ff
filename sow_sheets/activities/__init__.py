"""Activity suggestions for older people at risk of isolation: pair rules, the exact min-cost
flow assignment and the Activiteitvoorstellen lifecycle. Entry point: ``engine.plan_activities``.
"""

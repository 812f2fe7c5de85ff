"""Matching: bonus grandparents and families. Eligibility, score, the optimal assignment,
explanations and the Voorstellen lifecycle. Entry point: ``engine.plan_matching``.
"""

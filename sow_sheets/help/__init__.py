"""Practical help matched the same day (the coronahulp strand): Hulpvragen, Hulpaanbod and the
worker tab Hulpvoorstellen. ``engine.plan_help`` is what the sync calls."""

"""E-mail notifications, the pure part: each partner's weekly digest counted from the worker
tabs, the failure/recovery alert streak, and the Dutch messages. Sending, the clock and the
state file are the shell's (``service/mailer.py``, ``service/notices.py``).
"""

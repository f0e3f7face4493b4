"""A local imitation of the MailerSend API v1: Bearer tokens, per-minute limits per
endpoint class, a daily quota by plan, and MailerSend's error shapes."""

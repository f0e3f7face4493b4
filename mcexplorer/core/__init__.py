"""Client-side logic, usable without a screen: no Textual import here (tests enforce it)."""

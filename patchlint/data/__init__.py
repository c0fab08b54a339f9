"""Data files shipped with patchlint that are not profiles: the built-in trailer registry."""

"""The YAML rule profiles, installed as patchlint.profiles (see pyproject.toml)."""

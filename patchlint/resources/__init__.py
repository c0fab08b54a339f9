"""What rules share, loaded from the configuration: the trailer registry, a git repository."""

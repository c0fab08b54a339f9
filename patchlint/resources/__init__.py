"""What rules share, loaded from the configuration: the trailer registry, a .mailmap, a git
repository (each in its module), and the one :class:`~patchlint.resources.shared.Resources`
object per configuration that holds them with the rules' memos."""

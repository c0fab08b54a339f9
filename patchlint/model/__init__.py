"""The model: what patchlint knows about a mail, decided once and asked by every rule.

Reading order follows the data: :mod:`message` (the raw bytes a reader found) → :mod:`headers`,
:mod:`subject`, :mod:`transport` → :mod:`body` (in-body headers, message, notes, diff) →
:mod:`trailers`, :mod:`commitlog`, :mod:`changelog`, :mod:`diffstat`, :mod:`diff`, :mod:`hunks`,
:mod:`shortlog`, :mod:`identity` → :mod:`posting` (one parsed mail) → :mod:`series`.
"""

# Module-level functions: library version, capabilities, errno access.

cdef int _require_draft() except -1

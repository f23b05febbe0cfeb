# Socket option values: which Python type each option takes and returns.

cdef int _setsockopt(void *handle, int option, object value) except -1
cdef object _getsockopt(void *handle, int option)

# C declarations of libzmq's stable API, for the backend and for other
# extensions: `from zmq cimport libzmq` (compile with include_dirs=zmq.get_includes()).

from libc.stdint cimport uint8_t, int64_t

cdef extern from "zmq.h" nogil:
    enum:
        ZMQ_VERSION_MAJOR
        ZMQ_VERSION_MINOR
        ZMQ_VERSION_PATCH
        ZMQ_DONTWAIT
        ZMQ_SNDMORE
        ZMQ_RCVMORE
        ZMQ_MORE
        ZMQ_SHARED
        ZMQ_POLLIN
        ZMQ_POLLOUT
        ZMQ_POLLERR
        ZMQ_EVENTS
        ZMQ_FD
        ZMQ_TYPE
        ZMQ_LINGER
        ZMQ_RCVTIMEO
        ZMQ_SNDTIMEO
        ZMQ_IO_THREADS
        ZMQ_EVENT_ALL
        ZMQ_HAUSNUMERO
        ETERM
        EFSM
        ENOTSOCK
        EAGAIN
        EINTR
        EINVAL
        ENOTSUP

    ctypedef void zmq_free_fn(void *data, void *hint) noexcept

    ctypedef struct zmq_msg_t:
        unsigned char _[64]

    ctypedef int zmq_fd_t

    ctypedef struct zmq_pollitem_t:
        void *socket
        zmq_fd_t fd
        short events
        short revents

    int zmq_errno()
    const char *zmq_strerror(int errnum)
    void zmq_version(int *major, int *minor, int *patch)
    int zmq_has(const char *capability)

    void *zmq_ctx_new()
    int zmq_ctx_term(void *context)
    int zmq_ctx_shutdown(void *context)
    int zmq_ctx_set(void *context, int option, int optval)
    int zmq_ctx_get(void *context, int option)

    int zmq_msg_init(zmq_msg_t *msg)
    int zmq_msg_init_size(zmq_msg_t *msg, size_t size)
    int zmq_msg_init_data(zmq_msg_t *msg, void *data, size_t size, zmq_free_fn *ffn, void *hint)
    int zmq_msg_send(zmq_msg_t *msg, void *s, int flags)
    int zmq_msg_recv(zmq_msg_t *msg, void *s, int flags)
    int zmq_msg_close(zmq_msg_t *msg)
    int zmq_msg_move(zmq_msg_t *dest, zmq_msg_t *src)
    int zmq_msg_copy(zmq_msg_t *dest, zmq_msg_t *src)
    void *zmq_msg_data(zmq_msg_t *msg)
    size_t zmq_msg_size(zmq_msg_t *msg)
    int zmq_msg_more(zmq_msg_t *msg)
    int zmq_msg_get(zmq_msg_t *msg, int property)
    int zmq_msg_set(zmq_msg_t *msg, int property, int optval)
    const char *zmq_msg_gets(zmq_msg_t *msg, const char *property)

    void *zmq_socket(void *context, int type)
    int zmq_close(void *s)
    int zmq_setsockopt(void *s, int option, const void *optval, size_t optvallen)
    int zmq_getsockopt(void *s, int option, void *optval, size_t *optvallen)
    int zmq_bind(void *s, const char *addr)
    int zmq_connect(void *s, const char *addr)
    int zmq_unbind(void *s, const char *addr)
    int zmq_disconnect(void *s, const char *addr)
    int zmq_send(void *s, const void *buf, size_t len, int flags)
    int zmq_send_const(void *s, const void *buf, size_t len, int flags)
    int zmq_recv(void *s, void *buf, size_t len, int flags)
    int zmq_socket_monitor(void *s, const char *addr, int events)

    int zmq_poll(zmq_pollitem_t *items, int nitems, long timeout)

    int zmq_proxy(void *frontend, void *backend, void *capture)
    int zmq_proxy_steerable(void *frontend, void *backend, void *capture, void *control)
    int zmq_device(int type, void *frontend, void *backend)

    char *zmq_z85_encode(char *dest, const uint8_t *data, size_t size)
    uint8_t *zmq_z85_decode(uint8_t *dest, const char *string)
    int zmq_curve_keypair(char *z85_public_key, char *z85_secret_key)
    int zmq_curve_public(char *z85_public_key, const char *z85_secret_key)

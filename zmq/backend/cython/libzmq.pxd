# C declarations of libzmq's public API (zmq.h), for the backend and for other
# extensions. Both cimport spellings work:
#     from zmq cimport libzmq
#     from zmq.backend.cython cimport libzmq     (pyzmq's path)
# Compile with include_dirs=zmq.get_includes().
#
# The names are those of zmq.h, plus the aliases pyzmq's libzmq.pxd exports
# (fd_t, ZMQ_EAGAIN and the other ZMQ_E* errno names, ZMQ_HWM, _zmq_version),
# so an extension written against pyzmq compiles unchanged. Every integer macro
# of zmq.h is here, including those zmq.h only defines under
# ZMQ_BUILD_DRAFT_API; the draft *functions* are not, because the bundled
# libzmq is built without them and a declaration would only move the failure
# from compile time to import time (an unresolved symbol).

# int64_t and uint32_t are re-exported because pyzmq's libzmq.pxd provides them.
from libc.stdint cimport uint8_t, uint32_t, int64_t

cdef extern from "zmq.h" nogil:
    enum:
        ZMQ_VERSION_MAJOR
        ZMQ_VERSION_MINOR
        ZMQ_VERSION_PATCH
        ZMQ_VERSION
        ZMQ_DEFINED_STDINT

        # Errors. zmq.h gives the POSIX names libzmq reports a value on
        # platforms whose errno.h lacks them (ZMQ_HAUSNUMERO + n).
        ZMQ_HAUSNUMERO
        EAGAIN
        EINTR
        EINVAL
        EFAULT
        ENOTSUP
        EPROTONOSUPPORT
        ENOBUFS
        ENETDOWN
        EADDRINUSE
        EADDRNOTAVAIL
        ECONNREFUSED
        EINPROGRESS
        ENOTSOCK
        EMSGSIZE
        EAFNOSUPPORT
        ENETUNREACH
        ECONNABORTED
        ECONNRESET
        ENOTCONN
        ETIMEDOUT
        EHOSTUNREACH
        ENETRESET
        EFSM
        ENOCOMPATPROTO
        ETERM
        EMTHREAD
        # pyzmq's spelling of the same values.
        ZMQ_EAGAIN "EAGAIN"
        ZMQ_EFAULT "EFAULT"
        ZMQ_EINVAL "EINVAL"
        ZMQ_ENOTSUP "ENOTSUP"
        ZMQ_EPROTONOSUPPORT "EPROTONOSUPPORT"
        ZMQ_ENOBUFS "ENOBUFS"
        ZMQ_ENETDOWN "ENETDOWN"
        ZMQ_EADDRINUSE "EADDRINUSE"
        ZMQ_EADDRNOTAVAIL "EADDRNOTAVAIL"
        ZMQ_ECONNREFUSED "ECONNREFUSED"
        ZMQ_EINPROGRESS "EINPROGRESS"
        ZMQ_ENOTSOCK "ENOTSOCK"
        ZMQ_EMSGSIZE "EMSGSIZE"
        ZMQ_EAFNOSUPPORT "EAFNOSUPPORT"
        ZMQ_ENETUNREACH "ENETUNREACH"
        ZMQ_ECONNABORTED "ECONNABORTED"
        ZMQ_ECONNRESET "ECONNRESET"
        ZMQ_ENOTCONN "ENOTCONN"
        ZMQ_ETIMEDOUT "ETIMEDOUT"
        ZMQ_EHOSTUNREACH "EHOSTUNREACH"
        ZMQ_ENETRESET "ENETRESET"
        ZMQ_EFSM "EFSM"
        ZMQ_ENOCOMPATPROTO "ENOCOMPATPROTO"
        ZMQ_ETERM "ETERM"
        ZMQ_EMTHREAD "EMTHREAD"

        # Context options and defaults.
        ZMQ_IO_THREADS
        ZMQ_MAX_SOCKETS
        ZMQ_SOCKET_LIMIT
        ZMQ_THREAD_PRIORITY
        ZMQ_THREAD_SCHED_POLICY
        ZMQ_MAX_MSGSZ
        ZMQ_MSG_T_SIZE
        ZMQ_THREAD_AFFINITY_CPU_ADD
        ZMQ_THREAD_AFFINITY_CPU_REMOVE
        ZMQ_THREAD_NAME_PREFIX
        ZMQ_IO_THREADS_DFLT
        ZMQ_MAX_SOCKETS_DFLT
        ZMQ_THREAD_PRIORITY_DFLT
        ZMQ_THREAD_SCHED_POLICY_DFLT

        # Socket types.
        ZMQ_PAIR
        ZMQ_PUB
        ZMQ_SUB
        ZMQ_REQ
        ZMQ_REP
        ZMQ_DEALER
        ZMQ_ROUTER
        ZMQ_PULL
        ZMQ_PUSH
        ZMQ_XPUB
        ZMQ_XSUB
        ZMQ_STREAM
        ZMQ_XREQ
        ZMQ_XREP

        # Socket options.
        ZMQ_AFFINITY
        ZMQ_ROUTING_ID
        ZMQ_SUBSCRIBE
        ZMQ_UNSUBSCRIBE
        ZMQ_RATE
        ZMQ_RECOVERY_IVL
        ZMQ_SNDBUF
        ZMQ_RCVBUF
        ZMQ_RCVMORE
        ZMQ_FD
        ZMQ_EVENTS
        ZMQ_TYPE
        ZMQ_LINGER
        ZMQ_RECONNECT_IVL
        ZMQ_BACKLOG
        ZMQ_RECONNECT_IVL_MAX
        ZMQ_MAXMSGSIZE
        ZMQ_SNDHWM
        ZMQ_RCVHWM
        ZMQ_MULTICAST_HOPS
        ZMQ_RCVTIMEO
        ZMQ_SNDTIMEO
        ZMQ_LAST_ENDPOINT
        ZMQ_ROUTER_MANDATORY
        ZMQ_TCP_KEEPALIVE
        ZMQ_TCP_KEEPALIVE_CNT
        ZMQ_TCP_KEEPALIVE_IDLE
        ZMQ_TCP_KEEPALIVE_INTVL
        ZMQ_IMMEDIATE
        ZMQ_XPUB_VERBOSE
        ZMQ_ROUTER_RAW
        ZMQ_IPV6
        ZMQ_MECHANISM
        ZMQ_PLAIN_SERVER
        ZMQ_PLAIN_USERNAME
        ZMQ_PLAIN_PASSWORD
        ZMQ_CURVE_SERVER
        ZMQ_CURVE_PUBLICKEY
        ZMQ_CURVE_SECRETKEY
        ZMQ_CURVE_SERVERKEY
        ZMQ_PROBE_ROUTER
        ZMQ_REQ_CORRELATE
        ZMQ_REQ_RELAXED
        ZMQ_CONFLATE
        ZMQ_ZAP_DOMAIN
        ZMQ_ROUTER_HANDOVER
        ZMQ_TOS
        ZMQ_CONNECT_ROUTING_ID
        ZMQ_GSSAPI_SERVER
        ZMQ_GSSAPI_PRINCIPAL
        ZMQ_GSSAPI_SERVICE_PRINCIPAL
        ZMQ_GSSAPI_PLAINTEXT
        ZMQ_HANDSHAKE_IVL
        ZMQ_SOCKS_PROXY
        ZMQ_XPUB_NODROP
        ZMQ_BLOCKY
        ZMQ_XPUB_MANUAL
        ZMQ_XPUB_WELCOME_MSG
        ZMQ_STREAM_NOTIFY
        ZMQ_INVERT_MATCHING
        ZMQ_HEARTBEAT_IVL
        ZMQ_HEARTBEAT_TTL
        ZMQ_HEARTBEAT_TIMEOUT
        ZMQ_XPUB_VERBOSER
        ZMQ_CONNECT_TIMEOUT
        ZMQ_TCP_MAXRT
        ZMQ_THREAD_SAFE
        ZMQ_MULTICAST_MAXTPDU
        ZMQ_VMCI_BUFFER_SIZE
        ZMQ_VMCI_BUFFER_MIN_SIZE
        ZMQ_VMCI_BUFFER_MAX_SIZE
        ZMQ_VMCI_CONNECT_TIMEOUT
        ZMQ_USE_FD
        ZMQ_GSSAPI_PRINCIPAL_NAMETYPE
        ZMQ_GSSAPI_SERVICE_PRINCIPAL_NAMETYPE
        ZMQ_BINDTODEVICE

        # Message options, send/recv flags.
        ZMQ_MORE
        ZMQ_SHARED
        ZMQ_SRCFD
        ZMQ_DONTWAIT
        ZMQ_SNDMORE

        # Security mechanisms.
        ZMQ_NULL
        ZMQ_PLAIN
        ZMQ_CURVE
        ZMQ_GSSAPI

        ZMQ_GROUP_MAX_LENGTH

        # Deprecated options and aliases.
        ZMQ_IDENTITY
        ZMQ_CONNECT_RID
        ZMQ_TCP_ACCEPT_FILTER
        ZMQ_IPC_FILTER_PID
        ZMQ_IPC_FILTER_UID
        ZMQ_IPC_FILTER_GID
        ZMQ_IPV4ONLY
        ZMQ_DELAY_ATTACH_ON_CONNECT
        ZMQ_NOBLOCK
        ZMQ_FAIL_UNROUTABLE
        ZMQ_ROUTER_BEHAVIOR

        # GSSAPI principal name types.
        ZMQ_GSSAPI_NT_HOSTBASED
        ZMQ_GSSAPI_NT_USER_NAME
        ZMQ_GSSAPI_NT_KRB5_PRINCIPAL

        # Socket monitor events.
        ZMQ_EVENT_CONNECTED
        ZMQ_EVENT_CONNECT_DELAYED
        ZMQ_EVENT_CONNECT_RETRIED
        ZMQ_EVENT_LISTENING
        ZMQ_EVENT_BIND_FAILED
        ZMQ_EVENT_ACCEPTED
        ZMQ_EVENT_ACCEPT_FAILED
        ZMQ_EVENT_CLOSED
        ZMQ_EVENT_CLOSE_FAILED
        ZMQ_EVENT_DISCONNECTED
        ZMQ_EVENT_MONITOR_STOPPED
        ZMQ_EVENT_ALL
        ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
        ZMQ_EVENT_HANDSHAKE_SUCCEEDED
        ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
        ZMQ_EVENT_HANDSHAKE_FAILED_AUTH
        ZMQ_PROTOCOL_ERROR_ZMTP_UNSPECIFIED
        ZMQ_PROTOCOL_ERROR_ZMTP_UNEXPECTED_COMMAND
        ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_SEQUENCE
        ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_UNSPECIFIED
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_MESSAGE
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_ERROR
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_READY
        ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_WELCOME
        ZMQ_PROTOCOL_ERROR_ZMTP_INVALID_METADATA
        ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC
        ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH
        ZMQ_PROTOCOL_ERROR_ZAP_UNSPECIFIED
        ZMQ_PROTOCOL_ERROR_ZAP_MALFORMED_REPLY
        ZMQ_PROTOCOL_ERROR_ZAP_BAD_REQUEST_ID
        ZMQ_PROTOCOL_ERROR_ZAP_BAD_VERSION
        ZMQ_PROTOCOL_ERROR_ZAP_INVALID_STATUS_CODE
        ZMQ_PROTOCOL_ERROR_ZAP_INVALID_METADATA
        ZMQ_PROTOCOL_ERROR_WS_UNSPECIFIED

        # Polling.
        ZMQ_POLLIN
        ZMQ_POLLOUT
        ZMQ_POLLERR
        ZMQ_POLLPRI
        ZMQ_POLLITEMS_DFLT

        ZMQ_HAS_CAPABILITIES

        # Device types of the deprecated zmq_device.
        ZMQ_STREAMER
        ZMQ_FORWARDER
        ZMQ_QUEUE

    # Errors and version.
    int zmq_errno()
    const char *zmq_strerror(int errnum)
    void zmq_version(int *major, int *minor, int *patch)
    void _zmq_version "zmq_version"(int *major, int *minor, int *patch)

    # Contexts.
    void *zmq_ctx_new()
    int zmq_ctx_term(void *context)
    int zmq_ctx_shutdown(void *context)
    int zmq_ctx_set(void *context, int option, int optval)
    int zmq_ctx_get(void *context, int option)
    void *zmq_init(int io_threads)
    int zmq_term(void *context)
    int zmq_ctx_destroy(void *context)

    # Messages. The size is what matters to Cython (a zmq_msg_t lives on the
    # stack or inside an object); the alignment comes from the C definition.
    ctypedef struct zmq_msg_t:
        unsigned char _[64]

    # Called by libzmq's I/O thread, possibly without the GIL held.
    ctypedef void zmq_free_fn(void *data, void *hint) noexcept

    int zmq_msg_init(zmq_msg_t *msg)
    int zmq_msg_init_size(zmq_msg_t *msg, size_t size)
    int zmq_msg_init_data(zmq_msg_t *msg, void *data, size_t size, zmq_free_fn *ffn, void *hint)
    int zmq_msg_send(zmq_msg_t *msg, void *s, int flags)
    int zmq_msg_recv(zmq_msg_t *msg, void *s, int flags)
    int zmq_msg_close(zmq_msg_t *msg)
    int zmq_msg_move(zmq_msg_t *dest, zmq_msg_t *src)
    int zmq_msg_copy(zmq_msg_t *dest, zmq_msg_t *src)
    void *zmq_msg_data(zmq_msg_t *msg)
    size_t zmq_msg_size(const zmq_msg_t *msg)
    int zmq_msg_more(const zmq_msg_t *msg)
    int zmq_msg_get(const zmq_msg_t *msg, int property)
    int zmq_msg_set(zmq_msg_t *msg, int property, int optval)
    const char *zmq_msg_gets(const zmq_msg_t *msg, const char *property)

    # Sockets.
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

    # Polling. zmq_fd_t is SOCKET-sized on Windows, int elsewhere; Cython only
    # needs it to be an integer.
    ctypedef int zmq_fd_t
    ctypedef int fd_t "zmq_fd_t"

    ctypedef struct zmq_pollitem_t:
        void *socket
        zmq_fd_t fd
        short events
        short revents

    int zmq_poll(zmq_pollitem_t *items, int nitems, long timeout)

    # Proxies and devices.
    int zmq_proxy(void *frontend, void *backend, void *capture)
    int zmq_proxy_steerable(void *frontend, void *backend, void *capture, void *control)
    int zmq_has(const char *capability)
    int zmq_device(int type, void *frontend, void *backend)

    # Deprecated message calls. struct iovec is only named here (zmq.h does the
    # same) so that declaring it needs no platform header.
    cdef struct iovec
    int zmq_sendmsg(void *s, zmq_msg_t *msg, int flags)
    int zmq_recvmsg(void *s, zmq_msg_t *msg, int flags)
    int zmq_sendiov(void *s, iovec *iov, size_t count, int flags)
    int zmq_recviov(void *s, iovec *iov, size_t *count, int flags)

    # Z85 and CURVE keys.
    char *zmq_z85_encode(char *dest, const uint8_t *data, size_t size)
    uint8_t *zmq_z85_decode(uint8_t *dest, const char *string)
    int zmq_curve_keypair(char *z85_public_key, char *z85_secret_key)
    int zmq_curve_public(char *z85_public_key, const char *z85_secret_key)

    # Atomic counters.
    void *zmq_atomic_counter_new()
    void zmq_atomic_counter_set(void *counter, int value)
    int zmq_atomic_counter_inc(void *counter)
    int zmq_atomic_counter_dec(void *counter)
    int zmq_atomic_counter_value(void *counter)
    void zmq_atomic_counter_destroy(void **counter_p)

    # Timers. Handlers run inside zmq_timers_execute, on the caller's thread.
    ctypedef void zmq_timer_fn(int timer_id, void *arg) noexcept

    void *zmq_timers_new()
    int zmq_timers_destroy(void **timers_p)
    int zmq_timers_add(void *timers, size_t interval, zmq_timer_fn *handler, void *arg)
    int zmq_timers_cancel(void *timers, int timer_id)
    int zmq_timers_set_interval(void *timers, int timer_id, size_t interval)
    int zmq_timers_reset(void *timers, int timer_id)
    long zmq_timers_timeout(void *timers)
    int zmq_timers_execute(void *timers)

    # Utilities (undocumented by libzmq, but exported and in zmq.h).
    void *zmq_stopwatch_start()
    unsigned long zmq_stopwatch_intermediate(void *watch)
    unsigned long zmq_stopwatch_stop(void *watch)
    void zmq_sleep(int seconds)

    # Runs on a new OS thread that holds no GIL.
    ctypedef void zmq_thread_fn(void *arg) noexcept

    void *zmq_threadstart(zmq_thread_fn *func, void *arg)
    void zmq_threadclose(void *thread)


# Constants zmq.h defines only under ZMQ_BUILD_DRAFT_API, those of later libzmq
# releases (4.3.5's BUSY_POLL..NORM_*), and pyzmq's ZMQ_HWM. An extension
# written for pyzmq may name any of them, and pyzmq's own headers make them
# exist. Each falls back to its libzmq value only where the zmq.h in use does
# not define it, so a draft build or a newer libzmq keeps its own definitions.
# This libzmq does not implement the options it lacks: passing one fails at run
# time with EINVAL, like any unknown option.
cdef extern from *:
    """
    #include "zmq.h"
    #ifndef ZMQ_SERVER
    #define ZMQ_SERVER 12
    #endif
    #ifndef ZMQ_CLIENT
    #define ZMQ_CLIENT 13
    #endif
    #ifndef ZMQ_RADIO
    #define ZMQ_RADIO 14
    #endif
    #ifndef ZMQ_DISH
    #define ZMQ_DISH 15
    #endif
    #ifndef ZMQ_GATHER
    #define ZMQ_GATHER 16
    #endif
    #ifndef ZMQ_SCATTER
    #define ZMQ_SCATTER 17
    #endif
    #ifndef ZMQ_DGRAM
    #define ZMQ_DGRAM 18
    #endif
    #ifndef ZMQ_PEER
    #define ZMQ_PEER 19
    #endif
    #ifndef ZMQ_CHANNEL
    #define ZMQ_CHANNEL 20
    #endif
    #ifndef ZMQ_ZAP_ENFORCE_DOMAIN
    #define ZMQ_ZAP_ENFORCE_DOMAIN 93
    #endif
    #ifndef ZMQ_LOOPBACK_FASTPATH
    #define ZMQ_LOOPBACK_FASTPATH 94
    #endif
    #ifndef ZMQ_METADATA
    #define ZMQ_METADATA 95
    #endif
    #ifndef ZMQ_MULTICAST_LOOP
    #define ZMQ_MULTICAST_LOOP 96
    #endif
    #ifndef ZMQ_ROUTER_NOTIFY
    #define ZMQ_ROUTER_NOTIFY 97
    #endif
    #ifndef ZMQ_XPUB_MANUAL_LAST_VALUE
    #define ZMQ_XPUB_MANUAL_LAST_VALUE 98
    #endif
    #ifndef ZMQ_SOCKS_USERNAME
    #define ZMQ_SOCKS_USERNAME 99
    #endif
    #ifndef ZMQ_SOCKS_PASSWORD
    #define ZMQ_SOCKS_PASSWORD 100
    #endif
    #ifndef ZMQ_IN_BATCH_SIZE
    #define ZMQ_IN_BATCH_SIZE 101
    #endif
    #ifndef ZMQ_OUT_BATCH_SIZE
    #define ZMQ_OUT_BATCH_SIZE 102
    #endif
    #ifndef ZMQ_WSS_KEY_PEM
    #define ZMQ_WSS_KEY_PEM 103
    #endif
    #ifndef ZMQ_WSS_CERT_PEM
    #define ZMQ_WSS_CERT_PEM 104
    #endif
    #ifndef ZMQ_WSS_TRUST_PEM
    #define ZMQ_WSS_TRUST_PEM 105
    #endif
    #ifndef ZMQ_WSS_HOSTNAME
    #define ZMQ_WSS_HOSTNAME 106
    #endif
    #ifndef ZMQ_WSS_TRUST_SYSTEM
    #define ZMQ_WSS_TRUST_SYSTEM 107
    #endif
    #ifndef ZMQ_ONLY_FIRST_SUBSCRIBE
    #define ZMQ_ONLY_FIRST_SUBSCRIBE 108
    #endif
    #ifndef ZMQ_RECONNECT_STOP
    #define ZMQ_RECONNECT_STOP 109
    #endif
    #ifndef ZMQ_HELLO_MSG
    #define ZMQ_HELLO_MSG 110
    #endif
    #ifndef ZMQ_DISCONNECT_MSG
    #define ZMQ_DISCONNECT_MSG 111
    #endif
    #ifndef ZMQ_PRIORITY
    #define ZMQ_PRIORITY 112
    #endif
    #ifndef ZMQ_BUSY_POLL
    #define ZMQ_BUSY_POLL 113
    #endif
    #ifndef ZMQ_HICCUP_MSG
    #define ZMQ_HICCUP_MSG 114
    #endif
    #ifndef ZMQ_XSUB_VERBOSE_UNSUBSCRIBE
    #define ZMQ_XSUB_VERBOSE_UNSUBSCRIBE 115
    #endif
    #ifndef ZMQ_TOPICS_COUNT
    #define ZMQ_TOPICS_COUNT 116
    #endif
    #ifndef ZMQ_NORM_MODE
    #define ZMQ_NORM_MODE 117
    #endif
    #ifndef ZMQ_NORM_UNICAST_NACK
    #define ZMQ_NORM_UNICAST_NACK 118
    #endif
    #ifndef ZMQ_NORM_BUFFER_SIZE
    #define ZMQ_NORM_BUFFER_SIZE 119
    #endif
    #ifndef ZMQ_NORM_SEGMENT_SIZE
    #define ZMQ_NORM_SEGMENT_SIZE 120
    #endif
    #ifndef ZMQ_NORM_BLOCK_SIZE
    #define ZMQ_NORM_BLOCK_SIZE 121
    #endif
    #ifndef ZMQ_NORM_NUM_PARITY
    #define ZMQ_NORM_NUM_PARITY 122
    #endif
    #ifndef ZMQ_NORM_NUM_AUTOPARITY
    #define ZMQ_NORM_NUM_AUTOPARITY 123
    #endif
    #ifndef ZMQ_NORM_PUSH
    #define ZMQ_NORM_PUSH 124
    #endif
    #ifndef ZMQ_NORM_FIXED
    #define ZMQ_NORM_FIXED 0
    #endif
    #ifndef ZMQ_NORM_CC
    #define ZMQ_NORM_CC 1
    #endif
    #ifndef ZMQ_NORM_CCL
    #define ZMQ_NORM_CCL 2
    #endif
    #ifndef ZMQ_NORM_CCE
    #define ZMQ_NORM_CCE 3
    #endif
    #ifndef ZMQ_NORM_CCE_ECNONLY
    #define ZMQ_NORM_CCE_ECNONLY 4
    #endif
    #ifndef ZMQ_RECONNECT_STOP_CONN_REFUSED
    #define ZMQ_RECONNECT_STOP_CONN_REFUSED 0x1
    #endif
    #ifndef ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED
    #define ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED 0x2
    #endif
    #ifndef ZMQ_RECONNECT_STOP_AFTER_DISCONNECT
    #define ZMQ_RECONNECT_STOP_AFTER_DISCONNECT 0x3
    #endif
    #ifndef ZMQ_ZERO_COPY_RECV
    #define ZMQ_ZERO_COPY_RECV 10
    #endif
    #ifndef ZMQ_NOTIFY_CONNECT
    #define ZMQ_NOTIFY_CONNECT 1
    #endif
    #ifndef ZMQ_NOTIFY_DISCONNECT
    #define ZMQ_NOTIFY_DISCONNECT 2
    #endif
    #ifndef ZMQ_EVENT_PIPES_STATS
    #define ZMQ_EVENT_PIPES_STATS 0x10000
    #endif
    #ifndef ZMQ_CURRENT_EVENT_VERSION
    #define ZMQ_CURRENT_EVENT_VERSION 1
    #endif
    #ifndef ZMQ_CURRENT_EVENT_VERSION_DRAFT
    #define ZMQ_CURRENT_EVENT_VERSION_DRAFT 2
    #endif
    #ifndef ZMQ_EVENT_ALL_V1
    #define ZMQ_EVENT_ALL_V1 ZMQ_EVENT_ALL
    #endif
    #ifndef ZMQ_EVENT_ALL_V2
    #define ZMQ_EVENT_ALL_V2 (ZMQ_EVENT_ALL_V1 | ZMQ_EVENT_PIPES_STATS)
    #endif
    #ifndef ZMQ_MSG_PROPERTY_ROUTING_ID
    #define ZMQ_MSG_PROPERTY_ROUTING_ID "Routing-Id"
    #endif
    #ifndef ZMQ_MSG_PROPERTY_SOCKET_TYPE
    #define ZMQ_MSG_PROPERTY_SOCKET_TYPE "Socket-Type"
    #endif
    #ifndef ZMQ_MSG_PROPERTY_USER_ID
    #define ZMQ_MSG_PROPERTY_USER_ID "User-Id"
    #endif
    #ifndef ZMQ_MSG_PROPERTY_PEER_ADDRESS
    #define ZMQ_MSG_PROPERTY_PEER_ADDRESS "Peer-Address"
    #endif
    /* libzmq 2's single high-water mark; pyzmq keeps the name. */
    #ifndef ZMQ_HWM
    #define ZMQ_HWM 1
    #endif
    """
    enum:
        # Draft socket types.
        ZMQ_SERVER
        ZMQ_CLIENT
        ZMQ_RADIO
        ZMQ_DISH
        ZMQ_GATHER
        ZMQ_SCATTER
        ZMQ_DGRAM
        ZMQ_PEER
        ZMQ_CHANNEL

        # Draft socket options.
        ZMQ_ZAP_ENFORCE_DOMAIN
        ZMQ_LOOPBACK_FASTPATH
        ZMQ_METADATA
        ZMQ_MULTICAST_LOOP
        ZMQ_ROUTER_NOTIFY
        ZMQ_XPUB_MANUAL_LAST_VALUE
        ZMQ_SOCKS_USERNAME
        ZMQ_SOCKS_PASSWORD
        ZMQ_IN_BATCH_SIZE
        ZMQ_OUT_BATCH_SIZE
        ZMQ_WSS_KEY_PEM
        ZMQ_WSS_CERT_PEM
        ZMQ_WSS_TRUST_PEM
        ZMQ_WSS_HOSTNAME
        ZMQ_WSS_TRUST_SYSTEM
        ZMQ_ONLY_FIRST_SUBSCRIBE
        ZMQ_RECONNECT_STOP
        ZMQ_HELLO_MSG
        ZMQ_DISCONNECT_MSG
        ZMQ_PRIORITY

        # Options of libzmq 4.3.5, unknown to this libzmq.
        ZMQ_BUSY_POLL
        ZMQ_HICCUP_MSG
        ZMQ_XSUB_VERBOSE_UNSUBSCRIBE
        ZMQ_TOPICS_COUNT
        ZMQ_NORM_MODE
        ZMQ_NORM_UNICAST_NACK
        ZMQ_NORM_BUFFER_SIZE
        ZMQ_NORM_SEGMENT_SIZE
        ZMQ_NORM_BLOCK_SIZE
        ZMQ_NORM_NUM_PARITY
        ZMQ_NORM_NUM_AUTOPARITY
        ZMQ_NORM_PUSH
        ZMQ_NORM_FIXED
        ZMQ_NORM_CC
        ZMQ_NORM_CCL
        ZMQ_NORM_CCE
        ZMQ_NORM_CCE_ECNONLY

        ZMQ_RECONNECT_STOP_CONN_REFUSED
        ZMQ_RECONNECT_STOP_HANDSHAKE_FAILED
        ZMQ_RECONNECT_STOP_AFTER_DISCONNECT
        ZMQ_ZERO_COPY_RECV
        ZMQ_NOTIFY_CONNECT
        ZMQ_NOTIFY_DISCONNECT
        ZMQ_EVENT_PIPES_STATS
        ZMQ_CURRENT_EVENT_VERSION
        ZMQ_CURRENT_EVENT_VERSION_DRAFT
        ZMQ_EVENT_ALL_V1
        ZMQ_EVENT_ALL_V2

        ZMQ_HWM

    const char *ZMQ_MSG_PROPERTY_ROUTING_ID
    const char *ZMQ_MSG_PROPERTY_SOCKET_TYPE
    const char *ZMQ_MSG_PROPERTY_USER_ID
    const char *ZMQ_MSG_PROPERTY_PEER_ADDRESS

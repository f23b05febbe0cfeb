/* Included by the backend before anything else that needs zmq.h.
 *
 * The build defines ZMQ_BUILD_DRAFT_API for the backend, so the draft
 * constants are always visible; whether the draft functions exist depends on
 * how libzmq itself was built (PYZMQ_DRAFT_API). Without them, the backend's
 * calls resolve to the stubs below, which fail with ENOTSUP like libzmq does
 * for any other unsupported request, instead of failing to link. */
#ifndef PYZMQ_ZMQ_COMPAT_H
#define PYZMQ_ZMQ_COMPAT_H

#include <errno.h>
#include <zmq.h>

/* The process id, read without the interpreter: deallocators run while it
 * shuts down, when Python-level modules may already be gone. */
#ifdef _WIN32
#include <process.h>
#define pyzmq_getpid() ((int)_getpid())
#else
#include <unistd.h>
#define pyzmq_getpid() ((int)getpid())
#endif

#ifdef _WIN32
/* AF_UNIX on Windows (afunix.h) has the same 108-byte path as Linux. */
#define PYZMQ_IPC_PATH_MAX_LEN 107
#else
#include <sys/un.h>
/* Without the terminating NUL. */
#define PYZMQ_IPC_PATH_MAX_LEN (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)
#endif

/* Socket options of later libzmq releases (4.3.5's zmq.h, draft section),
 * so that they exist as constants like in pyzmq. This libzmq does not know
 * them: using one fails with EINVAL, as with any unknown option. */
#ifndef ZMQ_BUSY_POLL
/* Socket options */
#define ZMQ_BUSY_POLL 113
#define ZMQ_HICCUP_MSG 114
#define ZMQ_XSUB_VERBOSE_UNSUBSCRIBE 115
#define ZMQ_TOPICS_COUNT 116
#define ZMQ_NORM_MODE 117
#define ZMQ_NORM_UNICAST_NACK 118
#define ZMQ_NORM_BUFFER_SIZE 119
#define ZMQ_NORM_SEGMENT_SIZE 120
#define ZMQ_NORM_BLOCK_SIZE 121
#define ZMQ_NORM_NUM_PARITY 122
#define ZMQ_NORM_NUM_AUTOPARITY 123
#define ZMQ_NORM_PUSH 124
#endif
#ifndef ZMQ_NORM_FIXED
/* NORM_MODE values */
#define ZMQ_NORM_FIXED 0
#define ZMQ_NORM_CC 1
#define ZMQ_NORM_CCL 2
#define ZMQ_NORM_CCE 3
#define ZMQ_NORM_CCE_ECNONLY 4
#endif

#if !PYZMQ_DRAFT_API
static int pyzmq_no_draft_str(void *a, const char *b) { (void)a; (void)b; errno = ENOTSUP; return -1; }
static int pyzmq_no_draft_u32(zmq_msg_t *m, uint32_t v) { (void)m; (void)v; errno = ENOTSUP; return -1; }
static uint32_t pyzmq_no_draft_rid(zmq_msg_t *m) { (void)m; return 0; }
static int pyzmq_no_draft_set_group(zmq_msg_t *m, const char *g) { (void)m; (void)g; errno = ENOTSUP; return -1; }
static const char *pyzmq_no_draft_group(zmq_msg_t *m) { (void)m; return ""; }
#define zmq_join pyzmq_no_draft_str
#define zmq_leave pyzmq_no_draft_str
#define zmq_msg_set_routing_id pyzmq_no_draft_u32
#define zmq_msg_routing_id pyzmq_no_draft_rid
#define zmq_msg_set_group pyzmq_no_draft_set_group
#define zmq_msg_group pyzmq_no_draft_group
#endif

#endif

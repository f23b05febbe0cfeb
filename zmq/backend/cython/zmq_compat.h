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

/* Terminating a context its owner dropped. The bundled libzmq can cap the
 * linger of the context's closed sockets at grace_ms, then drop and count what
 * is left (bundled/libzmq-0002-discard-lingering-of-dropped-context.patch);
 * another libzmq can only wait for the linger. */
#include <stdint.h>
#if PYZMQ_BUNDLED_LIBZMQ
#define PYZMQ_CAN_DISCARD 1
int pyzmq_ctx_term_discarding(void *context, int grace_ms, uint64_t *discarded);
#else
#define PYZMQ_CAN_DISCARD 0
static int pyzmq_ctx_term_discarding(void *context, int grace_ms, uint64_t *discarded)
{
    (void)grace_ms;
    *discarded = 0;
    return zmq_ctx_term(context);
}
#endif

/* A thread nobody joins: its resources go when it ends. (libzmq's
 * zmq_threadstart makes a joinable thread, whose stack stays mapped until
 * zmq_threadclose joins it.) It runs with every signal blocked, like libzmq's
 * own threads, so signals reach the interpreter's threads. 0 on success. */
#include <stdlib.h>
typedef void (pyzmq_detached_fn)(void *);
typedef struct { pyzmq_detached_fn *fn; void *arg; } pyzmq_detached_call;

#ifdef _WIN32
#include <windows.h>
static unsigned __stdcall pyzmq_detached_entry(void *p)
{
    pyzmq_detached_call call = *(pyzmq_detached_call *)p;
    free(p);
    call.fn(call.arg);
    return 0;
}

static int pyzmq_start_detached(pyzmq_detached_fn *fn, void *arg)
{
    uintptr_t thread;
    pyzmq_detached_call *call = (pyzmq_detached_call *)malloc(sizeof *call);
    if (call == NULL)
        return -1;
    call->fn = fn;
    call->arg = arg;
    thread = _beginthreadex(NULL, 0, pyzmq_detached_entry, call, 0, NULL);
    if (thread == 0) {
        free(call);
        return -1;
    }
    CloseHandle((HANDLE)thread);
    return 0;
}
#else
#include <pthread.h>
#include <signal.h>
static void *pyzmq_detached_entry(void *p)
{
    pyzmq_detached_call call = *(pyzmq_detached_call *)p;
    free(p);
    call.fn(call.arg);
    return NULL;
}

static int pyzmq_start_detached(pyzmq_detached_fn *fn, void *arg)
{
    pthread_attr_t attr;
    pthread_t thread;
    sigset_t all, saved;
    int rc;
    pyzmq_detached_call *call = (pyzmq_detached_call *)malloc(sizeof *call);
    if (call == NULL)
        return -1;
    call->fn = fn;
    call->arg = arg;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* The new thread inherits the creator's signal mask. */
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &saved);
    rc = pthread_create(&thread, &attr, pyzmq_detached_entry, call);
    pthread_sigmask(SIG_SETMASK, &saved, NULL);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        free(call);
        return -1;
    }
    return 0;
}
#endif

/* The operation epoch that tells a Poller whether its last reading of its
 * sockets' EVENTS may have gone stale (poll.pxi; docs/free-threading.md has
 * the argument). Without a GIL, socket operations in many threads touch it at
 * once, so it must never lose an increment or go backwards: a Poller that
 * found its old value again would trust a stale reading. An odd value means a
 * Poller has taken it as its snapshot (pyzmq_epoch_observe); only then does an
 * operation need to move it (pyzmq_epoch_touch), so the common case, where no
 * Poller is looking, is a plain read of a shared cache line rather than a
 * write every thread would contend for. Relaxed ordering is enough: the
 * counter only grows, and a poll that must see an operation on one of its
 * sockets happens after it by the program's own synchronization (one socket
 * is never used by two threads at once). */
#if defined(_MSC_VER) && !defined(__clang__)
#include <intrin.h>
#ifdef _WIN64
typedef __int64 pyzmq_epoch_t;
#define pyzmq_interlocked_add _InterlockedExchangeAdd64
#define pyzmq_interlocked_or _InterlockedOr64
#else
typedef long pyzmq_epoch_t;
#define pyzmq_interlocked_add _InterlockedExchangeAdd
#define pyzmq_interlocked_or _InterlockedOr
#endif
/* An aligned volatile read of a word is atomic, and relaxed is all it needs. */
static __inline pyzmq_epoch_t pyzmq_epoch_read(volatile pyzmq_epoch_t *epoch)
{
    return *epoch;
}
static __inline void pyzmq_epoch_touch(volatile pyzmq_epoch_t *epoch)
{
    if (*epoch & 1)
        pyzmq_interlocked_add(epoch, 1);
}
static __inline pyzmq_epoch_t pyzmq_epoch_observe(volatile pyzmq_epoch_t *epoch)
{
    return pyzmq_interlocked_or(epoch, 1) | 1;
}
#else
/* The width of a pointer: lock-free wherever the interpreter runs, with no
 * libatomic to link. */
typedef uintptr_t pyzmq_epoch_t;
static inline pyzmq_epoch_t pyzmq_epoch_read(pyzmq_epoch_t *epoch)
{
    return __atomic_load_n(epoch, __ATOMIC_RELAXED);
}
static inline void pyzmq_epoch_touch(pyzmq_epoch_t *epoch)
{
    if (__atomic_load_n(epoch, __ATOMIC_RELAXED) & 1)
        __atomic_fetch_add(epoch, 1, __ATOMIC_RELAXED);
}
static inline pyzmq_epoch_t pyzmq_epoch_observe(pyzmq_epoch_t *epoch)
{
    return __atomic_fetch_or(epoch, 1, __ATOMIC_RELAXED) | 1;
}
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

/* Shared by the C floor programs: timing, error handling and the one-line JSON
 * result that bench/run.py reads (the same shape bench/scenarios.py prints).
 *
 * Every program takes its message count and warm-up count as its last two
 * arguments and times only the steady-state loop. */
#ifndef FLOOR_COMMON_H
#define FLOOR_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

/* Any single wait longer than this is a failure: a lost message must end the
 * run with an error, never hang it. */
#define FLOOR_WAIT_MS 10000
#define FLOOR_CHILD_WAIT_S 120

#define CHECK(expr)                                                            \
    do {                                                                       \
        if ((expr) == -1) {                                                    \
            fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__,      \
                    #expr, zmq_strerror(zmq_errno()));                         \
            exit(2);                                                           \
        }                                                                      \
    } while (0)

#define CHECK_PTR(expr)                                                        \
    do {                                                                       \
        if ((expr) == NULL) {                                                  \
            fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__,      \
                    #expr, zmq_strerror(zmq_errno()));                         \
            exit(2);                                                           \
        }                                                                      \
    } while (0)

static inline double floor_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec * 1e-9;
}

static inline long floor_arg_long(const char *s, const char *what)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < 0) {
        fprintf(stderr, "bad %s: %s\n", what, s);
        exit(2);
    }
    return v;
}

/* A socket whose every wait is bounded. ZMQ_SNDBUF / ZMQ_RCVBUF are set from
 * the environment variables BENCH_SNDBUF / BENCH_RCVBUF when present (bytes),
 * for experiments with the kernel socket buffers. */
static inline void *floor_socket(void *ctx, int type)
{
    void *s = zmq_socket(ctx, type);
    int wait = FLOOR_WAIT_MS, linger = 0;
    const char *env;
    CHECK_PTR(s);
    CHECK(zmq_setsockopt(s, ZMQ_RCVTIMEO, &wait, sizeof wait));
    CHECK(zmq_setsockopt(s, ZMQ_SNDTIMEO, &wait, sizeof wait));
    CHECK(zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger));
    if ((env = getenv("BENCH_SNDBUF")) && *env) {
        int v = (int) floor_arg_long(env, "BENCH_SNDBUF");
        CHECK(zmq_setsockopt(s, ZMQ_SNDBUF, &v, sizeof v));
    }
    if ((env = getenv("BENCH_RCVBUF")) && *env) {
        int v = (int) floor_arg_long(env, "BENCH_RCVBUF");
        CHECK(zmq_setsockopt(s, ZMQ_RCVBUF, &v, sizeof v));
    }
    return s;
}

/* CPU time (user + system, all threads) recorded in ru, in seconds. */
static inline double floor_cpu_seconds(const struct rusage *ru)
{
    return (double) (ru->ru_utime.tv_sec + ru->ru_stime.tv_sec)
           + (double) (ru->ru_utime.tv_usec + ru->ru_stime.tv_usec) * 1e-6;
}

static inline void floor_fill(char *buf, size_t size)
{
    for (size_t i = 0; i < size; i++)
        buf[i] = (char) ('a' + i % 26);
}

static inline void floor_report(long count, double elapsed)
{
    int major, minor, patch;
    zmq_version(&major, &minor, &patch);
    printf("{\"count\": %ld, \"elapsed\": %.9f, \"libzmq_version\": \"%d.%d.%d\"}\n",
           count, elapsed, major, minor, patch);
    fflush(stdout);
}

/* The peer runs as a fresh exec of this same program rather than a bare fork:
 * the child then owns a clean process with its own libzmq context, just like
 * the Python scenarios' peer processes. */
static inline pid_t floor_spawn_self(char *const argv[])
{
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        execv("/proc/self/exe", argv);
        perror("execv");
        _exit(127);
    }
    return pid;
}

/* The sending peer of the throughput programs: connects PUSH to endpoint and
 * sends total messages of size bytes. */
static inline int floor_push_sender(const char *endpoint, size_t size, long total)
{
    char *payload = malloc(size ? size : 1);
    if (!payload)
        return 2;
    floor_fill(payload, size);

    void *ctx = zmq_ctx_new();
    CHECK_PTR(ctx);
    void *push = floor_socket(ctx, ZMQ_PUSH);
    /* zmq_ctx_term returns once everything is delivered (bounded, as every
     * wait here). */
    int linger = FLOOR_WAIT_MS;
    CHECK(zmq_setsockopt(push, ZMQ_LINGER, &linger, sizeof linger));
    CHECK(zmq_connect(push, endpoint));
    for (long i = 0; i < total; i++)
        CHECK(zmq_send(push, payload, size, 0));
    CHECK(zmq_close(push));
    CHECK(zmq_ctx_term(ctx));
    free(payload);
    return 0;
}

/* Wait for the peer, bounded; kill it if it overstays. The CPU time (user +
 * system) the peer used over its whole life goes to *cpu (unless NULL). */
static inline int floor_reap_cpu(pid_t pid, double *cpu)
{
    int status = 0;
    struct rusage ru;
    for (long waited_ms = 0; waited_ms < FLOOR_CHILD_WAIT_S * 1000L; waited_ms += 10) {
        pid_t r = wait4(pid, &status, WNOHANG, &ru);
        if (r == pid) {
            if (cpu)
                *cpu = floor_cpu_seconds(&ru);
            return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
        }
        if (r < 0)
            return -1;
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    fprintf(stderr, "peer process %d did not finish in time\n", (int) pid);
    return -1;
}

static inline int floor_reap(pid_t pid)
{
    return floor_reap_cpu(pid, NULL);
}

#endif

/* thr_pushpull.c - PUSH -> PULL throughput between two processes, over tcp
 * loopback or ipc (the measurement behind bundled/libzmq-0003-*.patch).
 *
 * This process binds PULL (tcp://127.0.0.1:*, or an ipc file in a fresh
 * directory under $TMPDIR or /tmp); a child process (an exec of this program)
 * connects PUSH and sends warmup + 1 + count messages of <size> bytes with
 * zmq_send. The rate is timed on the receiver, from the first message after
 * the warm-up to the last. Every receive has a 10 s timeout.
 *
 * Build (static libzmq built with cmake, installed under <prefix>):
 *   cc -O2 -o thr_pushpull thr_pushpull.c -I<prefix>/include \
 *      -I<repo>/bench/floor \
 *      <prefix>/lib/libzmq.a -lstdc++ -lpthread
 * (or against a shared one: ... -L<prefix>/lib -lzmq, and LD_LIBRARY_PATH)
 *
 * Run:
 *   thr_pushpull tcp|ipc <size>[,<size>...] [count] [warmup]
 *   thr_pushpull --sender <endpoint> <size> <total>    (the child's role)
 * count defaults to about 1.5 GB worth of messages, capped to [10000, 3000000]
 * per size; warmup to count / 10. Each size is a separate run (new sender,
 * new connection). One line per size:
 *   tcp size=1024 count=1378676 secs=1.0312 msg_s=1336951 MB_s=1369.1
 *       rcv_cpu_ns=1210 snd_cpu_ns=1302
 * rcv_cpu_ns is the CPU time (user + system, all threads) the receiving
 * process used per message while timed; snd_cpu_ns the sending process's
 * CPU time over its whole life per message sent. On a loaded machine they
 * vary much less than the rate does.
 *
 * BENCH_SNDBUF / BENCH_RCVBUF (bytes) set ZMQ_SNDBUF / ZMQ_RCVBUF on both
 * sockets (see floor_socket in bench/floor/floor_common.h).
 */
#include "bench_common.h"

static int run_one (const char *self,
                    const char *transport,
                    size_t size,
                    long count,
                    long warmup)
{
    char endpoint[512], dir[400];
    dir[0] = '\0';
    void *ctx = zmq_ctx_new ();
    CHECK_PTR (ctx);
    void *pull = floor_socket (ctx, ZMQ_PULL);
    if (strcmp (transport, "tcp") == 0) {
        size_t len = sizeof endpoint;
        CHECK (zmq_bind (pull, "tcp://127.0.0.1:*"));
        CHECK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, endpoint, &len));
    } else if (strcmp (transport, "ipc") == 0) {
        const char *tmp = getenv ("TMPDIR");
        snprintf (dir, sizeof dir, "%s/thr-ipc-XXXXXX",
                  tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp (dir)) {
            perror ("mkdtemp");
            exit (2);
        }
        snprintf (endpoint, sizeof endpoint, "ipc://%s/push-pull", dir);
        CHECK (zmq_bind (pull, endpoint));
    } else {
        fprintf (stderr, "unknown transport %s (tcp or ipc)\n", transport);
        exit (2);
    }

    char *rbuf = malloc (size ? size : 1);
    if (!rbuf)
        return 2;
    char size_arg[32], total_arg[32];
    snprintf (size_arg, sizeof size_arg, "%zu", size);
    snprintf (total_arg, sizeof total_arg, "%ld", warmup + 1 + count);
    char *child_argv[] = {(char *) self, "--sender", endpoint,
                          size_arg,      total_arg,  NULL};
    pid_t child = bench_spawn_self (child_argv);

    int rc = 0;
    double t0 = 0, t1 = 0, c0 = 0, c1 = 0, child_cpu = 0;
    for (long i = 0; i < warmup + 1 && rc == 0; i++)
        if (zmq_recv (pull, rbuf, size, 0) != (int) size)
            rc = -1;
    t0 = floor_now ();
    c0 = bench_cpu_self ();
    for (long i = 0; i < count && rc == 0; i++)
        if (zmq_recv (pull, rbuf, size, 0) != (int) size)
            rc = -1;
    t1 = floor_now ();
    c1 = bench_cpu_self ();
    if (rc != 0) {
        fprintf (stderr, "zmq_recv failed: %s\n", zmq_strerror (zmq_errno ()));
        kill (child, SIGKILL);
    }
    if (floor_reap_cpu (child, &child_cpu) != 0 && rc == 0) {
        fprintf (stderr, "sender failed\n");
        rc = -1;
    }
    CHECK (zmq_close (pull));
    CHECK (zmq_ctx_term (ctx));
    if (dir[0]) {
        unlink (endpoint + strlen ("ipc://"));
        rmdir (dir);
    }
    free (rbuf);
    if (rc != 0)
        return 2;

    const double secs = t1 - t0;
    printf ("%s size=%zu count=%ld secs=%.4f msg_s=%.0f MB_s=%.1f "
            "rcv_cpu_ns=%.0f snd_cpu_ns=%.0f\n",
            transport, size, count, secs, (double) count / secs,
            (double) count * (double) size / secs / 1e6,
            (c1 - c0) / (double) count * 1e9,
            child_cpu / (double) (warmup + 1 + count) * 1e9);
    fflush (stdout);
    return 0;
}

int main (int argc, char **argv)
{
    if (argc == 5 && strcmp (argv[1], "--sender") == 0)
        return floor_push_sender (argv[2], (size_t) floor_arg_long (argv[3], "size"),
                       floor_arg_long (argv[4], "total"));
    if (argc < 3 || argc > 5) {
        fprintf (stderr,
                 "usage: %s tcp|ipc <size>[,<size>...] [count] [warmup]\n",
                 argv[0]);
        return 2;
    }
    char *sizes = strdup (argv[2]);
    for (char *tok = strtok (sizes, ","); tok; tok = strtok (NULL, ",")) {
        const size_t size = (size_t) floor_arg_long (tok, "size");
        long count, warmup;
        if (argc >= 4)
            count = floor_arg_long (argv[3], "count");
        else {
            count = (long) (1500000000.0 / (double) (size + 64));
            if (count < 10000)
                count = 10000;
            if (count > 3000000)
                count = 3000000;
        }
        warmup = argc >= 5 ? floor_arg_long (argv[4], "warmup") : count / 10;
        if (run_one (argv[0], argv[1], size, count, warmup) != 0)
            return 2;
    }
    free (sizes);
    return 0;
}

/* lat_reqrep.c - REQ/REP round-trip latency between two processes over tcp
 * loopback (or ipc), the latency check for bundled/libzmq-0003-*.patch.
 *
 * This process binds REQ and times count send+recv round trips after warmup
 * untimed ones; a child process (an exec of this program) connects REP and
 * echoes every request. Every send and receive has a 10 s timeout.
 *
 * Build: as thr_pushpull.c
 *   cc -O2 -o lat_reqrep lat_reqrep.c -I<prefix>/include \
 *      -I<repo>/bench/floor \
 *      <prefix>/lib/libzmq.a -lstdc++ -lpthread
 * Run:
 *   lat_reqrep [tcp|ipc] [size=64] [count=100000] [warmup=10000]
 *   lat_reqrep --echo <endpoint> <size> <total>     (the child's role)
 * Prints the mean and the 50th / 99th percentile round trip in microseconds:
 *   tcp size=64 count=100000 mean_us=41.23 p50_us=39.80 p99_us=70.11
 */
#include "bench_common.h"

static int echo (const char *endpoint, size_t size, long total)
{
    char *buf = malloc (size ? size : 1);
    if (!buf)
        return 2;
    void *ctx = zmq_ctx_new ();
    CHECK_PTR (ctx);
    void *rep = floor_socket (ctx, ZMQ_REP);
    int linger = FLOOR_WAIT_MS;
    CHECK (zmq_setsockopt (rep, ZMQ_LINGER, &linger, sizeof linger));
    CHECK (zmq_connect (rep, endpoint));
    for (long i = 0; i < total; i++) {
        int n = zmq_recv (rep, buf, size, 0);
        CHECK (n);
        CHECK (zmq_send (rep, buf, (size_t) n < size ? (size_t) n : size, 0));
    }
    CHECK (zmq_close (rep));
    CHECK (zmq_ctx_term (ctx));
    free (buf);
    return 0;
}

static int cmp_double (const void *a, const void *b)
{
    const double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

int main (int argc, char **argv)
{
    if (argc == 5 && strcmp (argv[1], "--echo") == 0)
        return echo (argv[2], (size_t) floor_arg_long (argv[3], "size"),
                     floor_arg_long (argv[4], "total"));
    const char *transport = argc > 1 ? argv[1] : "tcp";
    size_t size = argc > 2 ? (size_t) floor_arg_long (argv[2], "size") : 64;
    long count = argc > 3 ? floor_arg_long (argv[3], "count") : 100000;
    long warmup = argc > 4 ? floor_arg_long (argv[4], "warmup") : 10000;
    if (argc > 5 || count < 1) {
        fprintf (stderr, "usage: %s [tcp|ipc] [size] [count] [warmup]\n",
                 argv[0]);
        return 2;
    }
    char *payload = malloc (size ? size : 1), *rbuf = malloc (size ? size : 1);
    double *rtt = malloc (sizeof (double) * (size_t) count);
    if (!payload || !rbuf || !rtt)
        return 2;
    floor_fill (payload, size);

    void *ctx = zmq_ctx_new ();
    CHECK_PTR (ctx);
    void *req = floor_socket (ctx, ZMQ_REQ);
    char endpoint[512], dir[400];
    dir[0] = '\0';
    if (strcmp (transport, "tcp") == 0) {
        size_t len = sizeof endpoint;
        CHECK (zmq_bind (req, "tcp://127.0.0.1:*"));
        CHECK (zmq_getsockopt (req, ZMQ_LAST_ENDPOINT, endpoint, &len));
    } else if (strcmp (transport, "ipc") == 0) {
        const char *tmp = getenv ("TMPDIR");
        snprintf (dir, sizeof dir, "%s/lat-ipc-XXXXXX",
                  tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp (dir)) {
            perror ("mkdtemp");
            return 2;
        }
        snprintf (endpoint, sizeof endpoint, "ipc://%s/req-rep", dir);
        CHECK (zmq_bind (req, endpoint));
    } else {
        fprintf (stderr, "unknown transport %s (tcp or ipc)\n", transport);
        return 2;
    }

    char size_arg[32], total_arg[32];
    snprintf (size_arg, sizeof size_arg, "%zu", size);
    snprintf (total_arg, sizeof total_arg, "%ld", warmup + count);
    char *child_argv[] = {argv[0], "--echo", endpoint, size_arg, total_arg,
                          NULL};
    pid_t child = bench_spawn_self (child_argv);

    int rc = 0;
    for (long i = 0; i < warmup && rc == 0; i++)
        if (zmq_send (req, payload, size, 0) == -1
            || zmq_recv (req, rbuf, size, 0) == -1)
            rc = -1;
    double start = floor_now (), prev = start, sum = 0;
    for (long i = 0; i < count && rc == 0; i++) {
        if (zmq_send (req, payload, size, 0) == -1
            || zmq_recv (req, rbuf, size, 0) == -1) {
            rc = -1;
            break;
        }
        const double now = floor_now ();
        rtt[i] = now - prev;
        sum += rtt[i];
        prev = now;
    }
    if (rc != 0) {
        fprintf (stderr, "round trip failed: %s\n", zmq_strerror (zmq_errno ()));
        kill (child, SIGKILL);
    }
    if (floor_reap (child) != 0 && rc == 0) {
        fprintf (stderr, "echo peer failed\n");
        rc = -1;
    }
    CHECK (zmq_close (req));
    CHECK (zmq_ctx_term (ctx));
    if (dir[0]) {
        unlink (endpoint + strlen ("ipc://"));
        rmdir (dir);
    }
    if (rc != 0)
        return 2;

    qsort (rtt, (size_t) count, sizeof (double), cmp_double);
    printf ("%s size=%zu count=%ld mean_us=%.2f p50_us=%.2f p99_us=%.2f\n",
            transport, size, count, sum / (double) count * 1e6,
            rtt[count / 2] * 1e6, rtt[(long) ((double) count * 0.99)] * 1e6);
    free (payload);
    free (rbuf);
    free (rtt);
    return 0;
}

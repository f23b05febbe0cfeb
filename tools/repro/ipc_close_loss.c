/* ipc_close_loss.c - messages lost over ipc when a PUSH socket is closed
 * right after its last send and its context is terminated.
 *
 * A forked receiver binds PULL and counts what arrives; the sender connects
 * PUSH, sends N messages (each carrying its sequence number), then calls
 * zmq_close and zmq_ctx_term with the default linger (-1), so every message
 * must be delivered. With libzmq 4.3.4 (and 4.3.5) over ipc, hundreds to
 * thousands of the last messages go missing in about half the runs at
 * N = 2 million; tcp loses nothing. The fix, and why it happens, is in
 * bundled/libzmq-0001-*.patch.
 *
 * Build against a static libzmq (its include/ and lib/ directories):
 *   cc -O2 -o ipc_close_loss ipc_close_loss.c -I<libzmq>/include \
 *      <libzmq>/lib/libzmq.a -lstdc++ -lpthread
 * Run:
 *   ./ipc_close_loss [ipc|tcp] [messages=2000000] [runs=10] [size=20] [stall=0]
 * Prints one line per run; exits 1 if any run lost or reordered a message.
 *
 * A loss needs the sender's close to come while the receiver's queue is full
 * (at its high-water mark); with a receiver as fast as the sender that is a
 * matter of luck (about half the runs at 2M messages of 20 bytes). With
 * stall=MS the receiver stops reading for MS milliseconds when 2000 messages
 * are still to come, which lets the sender finish and close while the queue
 * is full: every run over ipc then loses without the fix.
 */
#include <zmq.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf (stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__,     \
                     #cond, zmq_strerror (errno));                             \
            exit (2);                                                          \
        }                                                                      \
    } while (0)

/* The receiver ends the count when nothing arrives for this long; the sender
 * has finished (or lost) everything well before. */
#define IDLE_MS 3000
/* Messages still to come when the receiver stalls, if asked to: few enough to
 * fit in the queues and socket buffers between the two ends. */
#define STALL_BEFORE_END 2000

struct result
{
    uint64_t received;
    uint64_t out_of_order;
    uint64_t last_seq;
};

static void
receive (const char *endpoint, uint64_t n, int stall_ms, int ready_fd, int result_fd)
{
    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    int timeout = IDLE_MS;
    CHECK (zmq_setsockopt (pull, ZMQ_RCVTIMEO, &timeout, sizeof timeout) == 0);
    CHECK (zmq_bind (pull, endpoint) == 0);

    char bound[256];
    size_t bound_len = sizeof bound;
    CHECK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, bound, &bound_len) == 0);
    CHECK (write (ready_fd, bound, bound_len) == (ssize_t) bound_len);

    struct result r = {0, 0, 0};
    uint64_t expected = 0;
    char buf[4096];
    uint64_t stall_at = n > STALL_BEFORE_END ? n - STALL_BEFORE_END : 0;
    for (;;) {
        if (stall_ms > 0 && r.received == stall_at)
            usleep ((useconds_t) stall_ms * 1000);
        int size = zmq_recv (pull, buf, sizeof buf, 0);
        if (size < 0 && errno == EAGAIN)
            break;
        CHECK (size >= (int) sizeof (uint64_t));
        uint64_t seq;
        memcpy (&seq, buf, sizeof seq);
        if (seq != expected)
            r.out_of_order++;
        expected = seq + 1;
        r.last_seq = seq;
        r.received++;
    }
    CHECK (write (result_fd, &r, sizeof r) == sizeof r);
    zmq_close (pull);
    zmq_ctx_term (ctx);
}

static void send_all (const char *endpoint, uint64_t n, size_t size)
{
    void *ctx = zmq_ctx_new ();
    void *push = zmq_socket (ctx, ZMQ_PUSH);
    CHECK (zmq_connect (push, endpoint) == 0);
    char buf[4096];
    memset (buf, 'x', sizeof buf);
    for (uint64_t seq = 0; seq < n; seq++) {
        memcpy (buf, &seq, sizeof seq);
        CHECK (zmq_send (push, buf, size, 0) == (int) size);
    }
    CHECK (zmq_close (push) == 0);
    CHECK (zmq_ctx_term (ctx) == 0);
}

int main (int argc, char **argv)
{
    const char *transport = argc > 1 ? argv[1] : "ipc";
    uint64_t n = argc > 2 ? strtoull (argv[2], NULL, 10) : 2000000;
    int runs = argc > 3 ? atoi (argv[3]) : 10;
    size_t size = argc > 4 ? (size_t) atoi (argv[4]) : 20;
    int stall_ms = argc > 5 ? atoi (argv[5]) : 0;
    if (size < sizeof (uint64_t) || size > 4096) {
        fprintf (stderr, "size must be 8..4096\n");
        return 2;
    }

    int failures = 0;
    for (int run = 1; run <= runs; run++) {
        char endpoint[256];
        if (strcmp (transport, "ipc") == 0)
            snprintf (endpoint, sizeof endpoint, "ipc://%s/ipc_close_loss-%d",
                      getenv ("TMPDIR") ? getenv ("TMPDIR") : "/tmp",
                      (int) getpid ());
        else if (strcmp (transport, "tcp") == 0)
            snprintf (endpoint, sizeof endpoint, "tcp://127.0.0.1:*");
        else {
            fprintf (stderr, "transport must be ipc or tcp\n");
            return 2;
        }

        int ready[2], result[2];
        CHECK (pipe (ready) == 0 && pipe (result) == 0);
        pid_t child = fork ();
        CHECK (child >= 0);
        if (child == 0) {
            close (ready[0]);
            close (result[0]);
            receive (endpoint, n, stall_ms, ready[1], result[1]);
            _exit (0);
        }
        close (ready[1]);
        close (result[1]);

        char bound[256] = {0};
        CHECK (read (ready[0], bound, sizeof bound - 1) > 0);
        send_all (bound, n, size);

        struct result r;
        CHECK (read (result[0], &r, sizeof r) == sizeof r);
        waitpid (child, NULL, 0);
        close (ready[0]);
        close (result[0]);

        int bad = r.received != n || r.out_of_order != 0;
        failures += bad;
        printf ("%s run %d: received %llu of %llu, lost %llu, out of order "
                "%llu, last seq %llu%s\n",
                transport, run, (unsigned long long) r.received,
                (unsigned long long) n, (unsigned long long) (n - r.received),
                (unsigned long long) r.out_of_order,
                (unsigned long long) r.last_seq, bad ? "  <-- LOSS" : "");
        fflush (stdout);
    }
    printf ("%s: %d of %d runs lost messages\n", transport, failures, runs);
    return failures ? 1 : 0;
}

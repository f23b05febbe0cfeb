/* batch_integrity.c - checks that PUSH -> PULL delivers every byte intact
 * while the stream engine's batches grow and shrink
 * (bundled/libzmq-0003-*.patch): runs of equal sizes (which grow the
 * batches), then sizes drawn at random, around every threshold involved
 * (the 33-byte vsm limit, the 8 KiB default batch, the 64 KiB grown batch,
 * multi-MB bodies), some of them multi-part. Each message carries a pattern
 * derived from its number and offset; the receiver checks sizes, contents,
 * the more flag and the order. Every receive has a timeout.
 *
 * Build: as thr_pushpull.c
 *   cc -O2 -o batch_integrity batch_integrity.c -I<prefix>/include \
 *      -I<repo>/bench/floor \
 *      <prefix>/lib/libzmq.a -lstdc++ -lpthread
 * Run:
 *   batch_integrity [tcp|ipc] [messages=200000] [in_batch out_batch]
 * The batch sizes are set with ZMQ_IN_BATCH_SIZE / ZMQ_OUT_BATCH_SIZE on both
 * sockets (DRAFT options: a libzmq built with -DENABLE_DRAFTS=ON). Prints
 * "OK <messages> <bytes>" and exits 0, or the first mismatch and exits 1.
 */
#include "floor_common.h"

#include <pthread.h>
#include <stdint.h>

static const size_t sizes[] = {0,     1,     33,    34,     64,     255,
                               256,   1000,  1024,  4096,   8183,   8191,
                               8192,  8193,  16384, 65527,  65535,  65536,
                               65537, 100000, 262144, 300000, 1048576, 3000000};
#define NSIZES (sizeof sizes / sizeof sizes[0])

/* The i-th message (frame) of the stream: its size and whether more
 * frames follow. Both sides compute the same sequence. */
static void frame_of (long i, size_t *size_, int *more_)
{
    uint64_t x = (uint64_t) i * 0x9E3779B97F4A7C15ull;
    x ^= x >> 29;
    const long phase = (i / 20000) % 3;
    if (phase == 0) {
        /* runs of 2000 equal sizes */
        *size_ = sizes[(i / 2000) % NSIZES];
        if (*size_ > 100000 && (i % 16) != 0)
            *size_ = 1024;
        *more_ = 0;
    } else if (phase == 1) {
        /* random sizes, mostly small, one in 64 large */
        const size_t s = sizes[x % NSIZES];
        *size_ = (x >> 8) % 64 == 0 ? s : s % 2048;
        *more_ = (x >> 16) % 4 == 0;
    } else {
        /* random sizes up to 70000 */
        *size_ = (x >> 3) % 70000;
        *more_ = (x >> 20) % 8 == 0;
    }
}

static unsigned char byte_of (long i, size_t off)
{
    return (unsigned char) ((uint64_t) i * 131 + off * 7 + (off >> 8));
}

struct sender_args
{
    void *ctx;
    const char *endpoint;
    long count;
    int in_batch, out_batch;
};

static void set_batches (void *s, int in_batch, int out_batch)
{
#if defined ZMQ_IN_BATCH_SIZE && defined ZMQ_OUT_BATCH_SIZE
    if (in_batch > 0)
        CHECK (zmq_setsockopt (s, ZMQ_IN_BATCH_SIZE, &in_batch, sizeof in_batch));
    if (out_batch > 0)
        CHECK (
          zmq_setsockopt (s, ZMQ_OUT_BATCH_SIZE, &out_batch, sizeof out_batch));
#else
    if (in_batch > 0 || out_batch > 0) {
        fprintf (stderr, "batch sizes need a libzmq with draft options\n");
        exit (2);
    }
    (void) s;
#endif
}

static void *sender (void *arg_)
{
    struct sender_args *a = (struct sender_args *) arg_;
    void *push = zmq_socket (a->ctx, ZMQ_PUSH);
    int linger = 10000, wait = 10000;
    CHECK (zmq_setsockopt (push, ZMQ_LINGER, &linger, sizeof linger));
    CHECK (zmq_setsockopt (push, ZMQ_SNDTIMEO, &wait, sizeof wait));
    set_batches (push, a->in_batch, a->out_batch);
    CHECK (zmq_connect (push, a->endpoint));
    unsigned char *buf = malloc (3000000);
    for (long i = 0; i < a->count; i++) {
        size_t size;
        int more;
        frame_of (i, &size, &more);
        if (i == a->count - 1)
            more = 0;
        for (size_t k = 0; k < size; k++)
            buf[k] = byte_of (i, k);
        CHECK (zmq_send (push, buf, size, more ? ZMQ_SNDMORE : 0));
    }
    free (buf);
    CHECK (zmq_close (push));
    return NULL;
}

int main (int argc, char **argv)
{
    const char *transport = argc > 1 ? argv[1] : "tcp";
    const long count = argc > 2 ? atol (argv[2]) : 200000;
    const int in_batch = argc > 4 ? atoi (argv[3]) : 0;
    const int out_batch = argc > 4 ? atoi (argv[4]) : 0;

    void *ctx = zmq_ctx_new ();
    void *pull = zmq_socket (ctx, ZMQ_PULL);
    int wait = 10000, linger = 0;
    CHECK (zmq_setsockopt (pull, ZMQ_RCVTIMEO, &wait, sizeof wait));
    CHECK (zmq_setsockopt (pull, ZMQ_LINGER, &linger, sizeof linger));
    set_batches (pull, in_batch, out_batch);
    char endpoint[256], dir[200] = "";
    if (strcmp (transport, "ipc") == 0) {
        snprintf (dir, sizeof dir, "/tmp/batch-integrity-XXXXXX");
        if (!mkdtemp (dir)) {
            perror ("mkdtemp");
            return 2;
        }
        snprintf (endpoint, sizeof endpoint, "ipc://%s/s", dir);
        CHECK (zmq_bind (pull, endpoint));
    } else {
        size_t len = sizeof endpoint;
        CHECK (zmq_bind (pull, "tcp://127.0.0.1:*"));
        CHECK (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, endpoint, &len));
    }

    struct sender_args a = {ctx, endpoint, count, in_batch, out_batch};
    pthread_t thread;
    pthread_create (&thread, NULL, sender, &a);

    int rc = 0;
    long total_bytes = 0;
    zmq_msg_t msg;
    zmq_msg_init (&msg);
    for (long i = 0; i < count && rc == 0; i++) {
        size_t size;
        int more;
        frame_of (i, &size, &more);
        if (i == count - 1)
            more = 0;
        if (zmq_msg_recv (&msg, pull, 0) == -1) {
            fprintf (stderr, "message %ld: recv failed: %s\n", i,
                     zmq_strerror (zmq_errno ()));
            rc = 1;
            break;
        }
        const unsigned char *d = (const unsigned char *) zmq_msg_data (&msg);
        if (zmq_msg_size (&msg) != size || zmq_msg_more (&msg) != more) {
            fprintf (stderr, "message %ld: size %zu more %d, expected %zu %d\n",
                     i, zmq_msg_size (&msg), zmq_msg_more (&msg), size, more);
            rc = 1;
            break;
        }
        for (size_t k = 0; k < size; k++)
            if (d[k] != byte_of (i, k)) {
                fprintf (stderr, "message %ld (size %zu): byte %zu differs\n",
                         i, size, k);
                rc = 1;
                break;
            }
        total_bytes += (long) size;
    }
    zmq_msg_close (&msg);
    pthread_join (thread, NULL);
    CHECK (zmq_close (pull));
    CHECK (zmq_ctx_term (ctx));
    if (dir[0]) {
        unlink (endpoint + strlen ("ipc://"));
        rmdir (dir);
    }
    if (rc == 0)
        printf ("OK %ld %ld\n", count, total_bytes);
    return rc;
}

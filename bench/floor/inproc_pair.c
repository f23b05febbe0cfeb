/* The floor for the single-thread inproc PAIR scenarios: one thread sends a
 * message on one end of an inproc pair and receives it on the other.
 *
 *   inproc_pair copy      <size> <count> <warmup>   zmq_send / zmq_recv
 *   inproc_pair zerocopy  <size> <count> <warmup>   zmq_msg_init_data / zmq_msg_send / zmq_msg_recv
 *   inproc_pair multipart <size> <count> <warmup>   3 frames: "id", "", <size> bytes
 *   inproc_pair zcmultipart <size> <count> <warmup> 4 frames of <size> bytes, zero-copy
 */
#include "floor_common.h"

static void no_free(void *data, void *hint)
{
    /* The payload is one static buffer reused for every message. */
    (void) data;
    (void) hint;
}

static void run_copy(void *a, void *b, char *payload, char *rbuf, size_t size, long n)
{
    for (long i = 0; i < n; i++) {
        CHECK(zmq_send(a, payload, size, 0));
        CHECK(zmq_recv(b, rbuf, size, 0));
    }
}

static void run_zerocopy(void *a, void *b, char *payload, size_t size, long n)
{
    zmq_msg_t out, in;
    for (long i = 0; i < n; i++) {
        CHECK(zmq_msg_init_data(&out, payload, size, no_free, NULL));
        CHECK(zmq_msg_send(&out, a, 0));
        CHECK(zmq_msg_init(&in));
        CHECK(zmq_msg_recv(&in, b, 0));
        CHECK(zmq_msg_close(&in));
    }
}

/* Receives one whole message frame by frame, as a generic receiver must (it
 * does not know the count in advance; bounded anyway), and checks the count. */
static void recv_frames(void *b, int expected)
{
    zmq_msg_t in;
    int frames = 0, more = 1;
    while (more && frames < 16) {
        CHECK(zmq_msg_init(&in));
        CHECK(zmq_msg_recv(&in, b, 0));
        more = zmq_msg_more(&in);
        CHECK(zmq_msg_close(&in));
        frames++;
    }
    if (frames != expected) {
        fprintf(stderr, "expected %d frames, got %d\n", expected, frames);
        exit(2);
    }
}

static void run_multipart(void *a, void *b, char *payload, size_t size, long n)
{
    for (long i = 0; i < n; i++) {
        CHECK(zmq_send(a, "id", 2, ZMQ_SNDMORE));
        CHECK(zmq_send(a, "", 0, ZMQ_SNDMORE));
        CHECK(zmq_send(a, payload, size, 0));
        recv_frames(b, 3);
    }
}

/* Four distinct buffers, each sent without a copy. */
static void run_zcmultipart(void *a, void *b, char *bufs[4], size_t size, long n)
{
    zmq_msg_t out;
    for (long i = 0; i < n; i++) {
        for (int f = 0; f < 4; f++) {
            CHECK(zmq_msg_init_data(&out, bufs[f], size, no_free, NULL));
            CHECK(zmq_msg_send(&out, a, f < 3 ? ZMQ_SNDMORE : 0));
        }
        recv_frames(b, 4);
    }
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s copy|zerocopy|multipart|zcmultipart <size> <count> <warmup>\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    size_t size = (size_t) floor_arg_long(argv[2], "size");
    long count = floor_arg_long(argv[3], "count");
    long warmup = floor_arg_long(argv[4], "warmup");

    char *payload = malloc(size ? size : 1);
    char *rbuf = malloc(size ? size : 1);
    if (!payload || !rbuf) {
        perror("malloc");
        return 2;
    }
    floor_fill(payload, size);

    void *ctx = zmq_ctx_new();
    CHECK_PTR(ctx);
    void *a = floor_socket(ctx, ZMQ_PAIR);
    void *b = floor_socket(ctx, ZMQ_PAIR);
    CHECK(zmq_bind(a, "inproc://floor-pair"));
    CHECK(zmq_connect(b, "inproc://floor-pair"));

    double t0, t1;
    if (strcmp(mode, "copy") == 0) {
        run_copy(a, b, payload, rbuf, size, warmup);
        t0 = floor_now();
        run_copy(a, b, payload, rbuf, size, count);
        t1 = floor_now();
    } else if (strcmp(mode, "zerocopy") == 0) {
        run_zerocopy(a, b, payload, size, warmup);
        t0 = floor_now();
        run_zerocopy(a, b, payload, size, count);
        t1 = floor_now();
    } else if (strcmp(mode, "multipart") == 0) {
        run_multipart(a, b, payload, size, warmup);
        t0 = floor_now();
        run_multipart(a, b, payload, size, count);
        t1 = floor_now();
    } else if (strcmp(mode, "zcmultipart") == 0) {
        char *bufs[4];
        for (int f = 0; f < 4; f++) {
            bufs[f] = malloc(size ? size : 1);
            if (!bufs[f]) {
                perror("malloc");
                return 2;
            }
            floor_fill(bufs[f], size);
        }
        run_zcmultipart(a, b, bufs, size, warmup);
        t0 = floor_now();
        run_zcmultipart(a, b, bufs, size, count);
        t1 = floor_now();
        for (int f = 0; f < 4; f++)
            free(bufs[f]);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    floor_report(count, t1 - t0);

    CHECK(zmq_close(a));
    CHECK(zmq_close(b));
    CHECK(zmq_ctx_term(ctx));
    free(payload);
    free(rbuf);
    return 0;
}

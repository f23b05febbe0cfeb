/* The floor for tcp loopback PUSH->PULL throughput: this process binds PULL,
 * a child process connects PUSH and sends; the rate is measured on the
 * receiving side from the first received (post-warm-up) message to the last.
 *
 *   tcp_push_pull <size> <count> <warmup>
 *   tcp_push_pull --sender <port> <size> <total>     (the child's role)
 */
#include "floor_common.h"

static int sender(const char *port, size_t size, long total)
{
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%s", port);
    char *payload = malloc(size ? size : 1);
    if (!payload)
        return 2;
    floor_fill(payload, size);

    void *ctx = zmq_ctx_new();
    CHECK_PTR(ctx);
    void *push = floor_socket(ctx, ZMQ_PUSH);
    /* Unlimited linger: zmq_ctx_term returns once everything is delivered. */
    int linger = -1;
    CHECK(zmq_setsockopt(push, ZMQ_LINGER, &linger, sizeof linger));
    CHECK(zmq_connect(push, endpoint));
    for (long i = 0; i < total; i++)
        CHECK(zmq_send(push, payload, size, 0));
    CHECK(zmq_close(push));
    CHECK(zmq_ctx_term(ctx));
    free(payload);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--sender") == 0)
        return sender(argv[2], (size_t) floor_arg_long(argv[3], "size"),
                      floor_arg_long(argv[4], "total"));
    if (argc != 4) {
        fprintf(stderr, "usage: %s <size> <count> <warmup>\n", argv[0]);
        return 2;
    }
    size_t size = (size_t) floor_arg_long(argv[1], "size");
    long count = floor_arg_long(argv[2], "count");
    long warmup = floor_arg_long(argv[3], "warmup");
    char *rbuf = malloc(size ? size : 1);
    if (!rbuf)
        return 2;

    void *ctx = zmq_ctx_new();
    CHECK_PTR(ctx);
    void *pull = floor_socket(ctx, ZMQ_PULL);
    CHECK(zmq_bind(pull, "tcp://127.0.0.1:*"));
    char endpoint[256];
    size_t len = sizeof endpoint;
    CHECK(zmq_getsockopt(pull, ZMQ_LAST_ENDPOINT, endpoint, &len));
    const char *port = strrchr(endpoint, ':');
    if (!port)
        return 2;
    port++;

    /* One extra message: the clock starts when it arrives. */
    char size_arg[32], total_arg[32], port_arg[16];
    snprintf(size_arg, sizeof size_arg, "%zu", size);
    snprintf(total_arg, sizeof total_arg, "%ld", warmup + 1 + count);
    snprintf(port_arg, sizeof port_arg, "%s", port);
    char *child_argv[] = {argv[0], "--sender", port_arg, size_arg, total_arg, NULL};
    pid_t child = floor_spawn_self(child_argv);

    for (long i = 0; i < warmup + 1; i++)
        if (zmq_recv(pull, rbuf, size, 0) == -1)
            goto fail;
    double t0 = floor_now();
    for (long i = 0; i < count; i++)
        if (zmq_recv(pull, rbuf, size, 0) == -1)
            goto fail;
    double t1 = floor_now();

    if (floor_reap(child) != 0) {
        fprintf(stderr, "sender failed\n");
        return 2;
    }
    floor_report(count, t1 - t0);
    CHECK(zmq_close(pull));
    CHECK(zmq_ctx_term(ctx));
    free(rbuf);
    return 0;

fail:
    fprintf(stderr, "zmq_recv failed: %s\n", zmq_strerror(zmq_errno()));
    kill(child, SIGKILL);
    floor_reap(child);
    return 2;
}

/* The floor for tcp loopback REQ/REP round-trip latency: this process binds
 * REQ and times send+recv round trips; a child process connects REP and
 * echoes every request.
 *
 *   tcp_req_rep <size> <count> <warmup>
 *   tcp_req_rep --echo <port> <size> <total>     (the child's role)
 */
#include "floor_common.h"

static int echo(const char *port, size_t size, long total)
{
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%s", port);
    char *buf = malloc(size ? size : 1);
    if (!buf)
        return 2;
    void *ctx = zmq_ctx_new();
    CHECK_PTR(ctx);
    void *rep = floor_socket(ctx, ZMQ_REP);
    int linger = -1;
    CHECK(zmq_setsockopt(rep, ZMQ_LINGER, &linger, sizeof linger));
    CHECK(zmq_connect(rep, endpoint));
    for (long i = 0; i < total; i++) {
        int n = zmq_recv(rep, buf, size, 0);
        CHECK(n);
        CHECK(zmq_send(rep, buf, (size_t) n < size ? (size_t) n : size, 0));
    }
    CHECK(zmq_close(rep));
    CHECK(zmq_ctx_term(ctx));
    free(buf);
    return 0;
}

static int round_trips(void *req, char *payload, char *rbuf, size_t size, long n)
{
    for (long i = 0; i < n; i++) {
        if (zmq_send(req, payload, size, 0) == -1)
            return -1;
        if (zmq_recv(req, rbuf, size, 0) == -1)
            return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--echo") == 0)
        return echo(argv[2], (size_t) floor_arg_long(argv[3], "size"),
                    floor_arg_long(argv[4], "total"));
    if (argc != 4) {
        fprintf(stderr, "usage: %s <size> <count> <warmup>\n", argv[0]);
        return 2;
    }
    size_t size = (size_t) floor_arg_long(argv[1], "size");
    long count = floor_arg_long(argv[2], "count");
    long warmup = floor_arg_long(argv[3], "warmup");
    char *payload = malloc(size ? size : 1), *rbuf = malloc(size ? size : 1);
    if (!payload || !rbuf)
        return 2;
    floor_fill(payload, size);

    void *ctx = zmq_ctx_new();
    CHECK_PTR(ctx);
    void *req = floor_socket(ctx, ZMQ_REQ);
    CHECK(zmq_bind(req, "tcp://127.0.0.1:*"));
    char endpoint[256];
    size_t len = sizeof endpoint;
    CHECK(zmq_getsockopt(req, ZMQ_LAST_ENDPOINT, endpoint, &len));
    const char *port = strrchr(endpoint, ':');
    if (!port)
        return 2;
    port++;

    char size_arg[32], total_arg[32], port_arg[16];
    snprintf(size_arg, sizeof size_arg, "%zu", size);
    snprintf(total_arg, sizeof total_arg, "%ld", warmup + count);
    snprintf(port_arg, sizeof port_arg, "%s", port);
    char *child_argv[] = {argv[0], "--echo", port_arg, size_arg, total_arg, NULL};
    pid_t child = floor_spawn_self(child_argv);

    if (round_trips(req, payload, rbuf, size, warmup) != 0)
        goto fail;
    double t0 = floor_now();
    if (round_trips(req, payload, rbuf, size, count) != 0)
        goto fail;
    double t1 = floor_now();

    if (floor_reap(child) != 0) {
        fprintf(stderr, "echo peer failed\n");
        return 2;
    }
    floor_report(count, t1 - t0);
    CHECK(zmq_close(req));
    CHECK(zmq_ctx_term(ctx));
    free(payload);
    free(rbuf);
    return 0;

fail:
    fprintf(stderr, "round trip failed: %s\n", zmq_strerror(zmq_errno()));
    kill(child, SIGKILL);
    floor_reap(child);
    return 2;
}

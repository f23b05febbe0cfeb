/* The floor for the zmq.devices rows: zmq_proxy in a thread of this process
 * forwards what a child process pushes over tcp to a PULL here over inproc.
 *
 *   device_proxy streamer <count> <warmup>   zmq_proxy(PULL, PUSH)
 *   device_proxy capture  <count> <warmup>   zmq_proxy(PULL, PUSH, PUB), every
 *                                            message also drained from a SUB here
 *   device_proxy --sender <endpoint> <size> <total>   (the child's role)
 *
 * The capture mode stands in for MonitoredQueue, whose monitor copy carries an
 * extra prefix frame that zmq_proxy's capture does not: a near floor, not an
 * exact one. Messages are 64 bytes. */
#include <pthread.h>

#include "floor_common.h"

#define SIZE 64

struct device {
    void *in, *out, *capture;
};

static void *run_device(void *arg)
{
    struct device *d = arg;
    /* Returns when the context is shut down. */
    zmq_proxy(d->in, d->out, d->capture);
    zmq_close(d->in);
    zmq_close(d->out);
    if (d->capture)
        zmq_close(d->capture);
    return NULL;
}

static int recv_one(void *pull, void *sub, char *buf)
{
    if (zmq_recv(pull, buf, SIZE, 0) == -1)
        return -1;
    if (sub && zmq_recv(sub, buf, SIZE, 0) == -1)
        return -1;
    return 0;
}

/* Until the subscription has reached the proxy, copies are dropped: probe
 * through the device until one comes back on the monitor. */
static void await_subscription(void *ctx, const char *endpoint, void *pull, void *sub, char *buf)
{
    void *probe = floor_socket(ctx, ZMQ_PUSH);
    CHECK(zmq_connect(probe, endpoint));
    zmq_pollitem_t item = {sub, 0, ZMQ_POLLIN, 0};
    int seen = 0;
    for (int i = 0; i < 1000 && !seen; i++) {
        CHECK(zmq_send(probe, "probe", 5, 0));
        CHECK(zmq_recv(pull, buf, SIZE, 0));
        seen = zmq_poll(&item, 1, 10) > 0;
    }
    if (!seen) {
        fprintf(stderr, "the capture subscription never took effect\n");
        exit(2);
    }
    while (zmq_poll(&item, 1, 100) > 0)
        CHECK(zmq_recv(sub, buf, SIZE, 0));
    CHECK(zmq_close(probe));
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--sender") == 0)
        return floor_push_sender(argv[2], (size_t) floor_arg_long(argv[3], "size"),
                                 floor_arg_long(argv[4], "total"));
    if (argc != 4 || (strcmp(argv[1], "streamer") != 0 && strcmp(argv[1], "capture") != 0)) {
        fprintf(stderr, "usage: %s streamer|capture <count> <warmup>\n", argv[0]);
        return 2;
    }
    int capture = strcmp(argv[1], "capture") == 0;
    long count = floor_arg_long(argv[2], "count");
    long warmup = floor_arg_long(argv[3], "warmup");
    char buf[SIZE];

    void *ctx = zmq_ctx_new();
    CHECK_PTR(ctx);
    struct device d = {floor_socket(ctx, ZMQ_PULL), floor_socket(ctx, ZMQ_PUSH), NULL};
    CHECK(zmq_bind(d.in, "tcp://127.0.0.1:*"));
    char endpoint[256];
    size_t len = sizeof endpoint;
    CHECK(zmq_getsockopt(d.in, ZMQ_LAST_ENDPOINT, endpoint, &len));
    CHECK(zmq_bind(d.out, "inproc://floor-device-out"));
    void *pull = floor_socket(ctx, ZMQ_PULL);
    CHECK(zmq_connect(pull, "inproc://floor-device-out"));
    void *sub = NULL;
    if (capture) {
        /* No limit on the capture pipe, as the Python scenario does: every
         * copy must arrive. */
        int unlimited = 0;
        d.capture = floor_socket(ctx, ZMQ_PUB);
        CHECK(zmq_setsockopt(d.capture, ZMQ_SNDHWM, &unlimited, sizeof unlimited));
        CHECK(zmq_bind(d.capture, "inproc://floor-device-mon"));
        sub = floor_socket(ctx, ZMQ_SUB);
        CHECK(zmq_setsockopt(sub, ZMQ_RCVHWM, &unlimited, sizeof unlimited));
        CHECK(zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0));
        CHECK(zmq_connect(sub, "inproc://floor-device-mon"));
    }
    pthread_t thread;
    if (pthread_create(&thread, NULL, run_device, &d) != 0) {
        perror("pthread_create");
        return 2;
    }
    if (capture)
        await_subscription(ctx, endpoint, pull, sub, buf);

    char size_arg[32], total_arg[32];
    snprintf(size_arg, sizeof size_arg, "%d", SIZE);
    snprintf(total_arg, sizeof total_arg, "%ld", warmup + 1 + count);
    char *child_argv[] = {argv[0], "--sender", endpoint, size_arg, total_arg, NULL};
    pid_t child = floor_spawn_self(child_argv);

    for (long i = 0; i < warmup + 1; i++)
        if (recv_one(pull, sub, buf) == -1)
            goto fail;
    double t0 = floor_now();
    for (long i = 0; i < count; i++)
        if (recv_one(pull, sub, buf) == -1)
            goto fail;
    double t1 = floor_now();

    if (floor_reap(child) != 0) {
        fprintf(stderr, "sender failed\n");
        return 2;
    }
    floor_report(count, t1 - t0);
    CHECK(zmq_close(pull));
    if (sub)
        CHECK(zmq_close(sub));
    CHECK(zmq_ctx_shutdown(ctx));
    pthread_join(thread, NULL);
    CHECK(zmq_ctx_term(ctx));
    return 0;

fail:
    fprintf(stderr, "zmq_recv failed: %s\n", zmq_strerror(zmq_errno()));
    kill(child, SIGKILL);
    floor_reap(child);
    return 2;
}

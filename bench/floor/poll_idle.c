/* The floor for Poller.poll(0) over idle sockets: zmq_poll with a zero timeout
 * over N connected inproc PAIR sockets that never receive anything.
 *
 *   poll_idle <nsockets> <count> <warmup>
 */
#include "floor_common.h"

#define MAX_SOCKETS 256

static void run(zmq_pollitem_t *items, int n, long calls)
{
    for (long i = 0; i < calls; i++) {
        int rc = zmq_poll(items, n, 0);
        CHECK(rc);
        if (rc != 0) {
            fprintf(stderr, "idle sockets reported %d events\n", rc);
            exit(2);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s <nsockets> <count> <warmup>\n", argv[0]);
        return 2;
    }
    int n = (int) floor_arg_long(argv[1], "nsockets");
    long count = floor_arg_long(argv[2], "count");
    long warmup = floor_arg_long(argv[3], "warmup");
    if (n < 1 || n > MAX_SOCKETS) {
        fprintf(stderr, "nsockets must be 1..%d\n", MAX_SOCKETS);
        return 2;
    }

    void *ctx = zmq_ctx_new();
    CHECK_PTR(ctx);
    void *bound[MAX_SOCKETS], *connected[MAX_SOCKETS];
    zmq_pollitem_t items[MAX_SOCKETS];
    for (int i = 0; i < n; i++) {
        char endpoint[64];
        snprintf(endpoint, sizeof endpoint, "inproc://floor-idle-%d", i);
        bound[i] = floor_socket(ctx, ZMQ_PAIR);
        connected[i] = floor_socket(ctx, ZMQ_PAIR);
        CHECK(zmq_bind(bound[i], endpoint));
        CHECK(zmq_connect(connected[i], endpoint));
        items[i].socket = connected[i];
        items[i].fd = 0;
        items[i].events = ZMQ_POLLIN;
        items[i].revents = 0;
    }

    run(items, n, warmup);
    double t0 = floor_now();
    run(items, n, count);
    double t1 = floor_now();
    floor_report(count, t1 - t0);

    for (int i = 0; i < n; i++) {
        CHECK(zmq_close(bound[i]));
        CHECK(zmq_close(connected[i]));
    }
    CHECK(zmq_ctx_term(ctx));
    return 0;
}

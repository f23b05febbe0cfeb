/* The floor for PUSH->PULL throughput across processes, over tcp loopback or
 * ipc: this process binds PULL, a child process connects PUSH and sends; the
 * rate is measured on the receiving side from the first received
 * (post-warm-up) message to the last.
 *
 *   push_pull tcp|ipc <size> <count> <warmup>
 *   push_pull --sender <endpoint> <size> <total>     (the child's role)
 *
 * ipc endpoints live in a fresh private directory under $TMPDIR (or /tmp),
 * removed at the end. */
#include "floor_common.h"

/* Binds the PULL: a random tcp port, or an ipc file in a fresh directory
 * (its path left in dir, for cleanup); the endpoint for the sender goes to
 * endpoint. */
static void bind_pull(void *pull, const char *transport, char *endpoint, size_t cap, char *dir, size_t dcap)
{
    dir[0] = '\0';
    if (strcmp(transport, "tcp") == 0) {
        CHECK(zmq_bind(pull, "tcp://127.0.0.1:*"));
        size_t len = cap;
        CHECK(zmq_getsockopt(pull, ZMQ_LAST_ENDPOINT, endpoint, &len));
        return;
    }
    if (strcmp(transport, "ipc") != 0) {
        fprintf(stderr, "unknown transport %s (tcp or ipc)\n", transport);
        exit(2);
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, dcap, "%s/bench-ipc-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(2);
    }
    snprintf(endpoint, cap, "ipc://%s/push-pull", dir);
    CHECK(zmq_bind(pull, endpoint));
}

static void remove_ipc_dir(const char *dir, const char *endpoint)
{
    if (!dir[0])
        return;
    unlink(endpoint + strlen("ipc://"));
    rmdir(dir);
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "--sender") == 0)
        return floor_push_sender(argv[2], (size_t) floor_arg_long(argv[3], "size"),
                      floor_arg_long(argv[4], "total"));
    if (argc != 5) {
        fprintf(stderr, "usage: %s tcp|ipc <size> <count> <warmup>\n", argv[0]);
        return 2;
    }
    const char *transport = argv[1];
    size_t size = (size_t) floor_arg_long(argv[2], "size");
    long count = floor_arg_long(argv[3], "count");
    long warmup = floor_arg_long(argv[4], "warmup");
    char *rbuf = malloc(size ? size : 1);
    if (!rbuf)
        return 2;

    void *ctx = zmq_ctx_new();
    CHECK_PTR(ctx);
    void *pull = floor_socket(ctx, ZMQ_PULL);
    char endpoint[512], dir[400];
    bind_pull(pull, transport, endpoint, sizeof endpoint, dir, sizeof dir);

    /* One extra message: the clock starts when it arrives. */
    char size_arg[32], total_arg[32];
    snprintf(size_arg, sizeof size_arg, "%zu", size);
    snprintf(total_arg, sizeof total_arg, "%ld", warmup + 1 + count);
    char *child_argv[] = {argv[0], "--sender", endpoint, size_arg, total_arg, NULL};
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
        remove_ipc_dir(dir, endpoint);
        return 2;
    }
    floor_report(count, t1 - t0);
    CHECK(zmq_close(pull));
    CHECK(zmq_ctx_term(ctx));
    remove_ipc_dir(dir, endpoint);
    free(rbuf);
    return 0;

fail:
    fprintf(stderr, "zmq_recv failed: %s\n", zmq_strerror(zmq_errno()));
    kill(child, SIGKILL);
    floor_reap(child);
    remove_ipc_dir(dir, endpoint);
    return 2;
}

/* A plain C libzmq peer, built by the tests against the package's link kit.
 * usage: peer ENDPOINT
 * Connects a PAIR socket, sends "hello from C", then answers each message M
 * with "C got: M" until it receives "quit". Exit status 0 on success. */
#include <stdio.h>
#include <string.h>
#include <zmq.h>

int main(int argc, char **argv)
{
    char buf[256], reply[300];
    int major, minor, patch;
    if (argc != 2) {
        fprintf(stderr, "usage: %s ENDPOINT\n", argv[0]);
        return 2;
    }
    zmq_version(&major, &minor, &patch);
    printf("libzmq %d.%d.%d\n", major, minor, patch);
    fflush(stdout);

    void *ctx = zmq_ctx_new();
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    int timeout = 10000;
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
    if (zmq_connect(s, argv[1]) != 0) {
        fprintf(stderr, "connect: %s\n", zmq_strerror(zmq_errno()));
        return 1;
    }
    if (zmq_send(s, "hello from C", 12, 0) != 12)
        return 1;
    for (;;) {
        int n = zmq_recv(s, buf, sizeof buf - 1, 0);
        if (n < 0) {
            fprintf(stderr, "recv: %s\n", zmq_strerror(zmq_errno()));
            return 1;
        }
        buf[n] = 0;
        if (strcmp(buf, "quit") == 0)
            break;
        int len = snprintf(reply, sizeof reply, "C got: %s", buf);
        if (zmq_send(s, reply, (size_t)len, 0) != len)
            return 1;
    }
    int linger = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    zmq_close(s);
    zmq_ctx_term(ctx);
    return 0;
}

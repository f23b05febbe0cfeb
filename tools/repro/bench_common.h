/* bench_common.h - shared by thr_pushpull.c and lat_reqrep.c (see there):
 * what they need beyond bench/floor/floor_common.h (checks, bounded sockets,
 * timing, the PUSH sender), which they build against with -I<repo>/bench/floor. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include "floor_common.h"

/* The peer runs as a fresh exec of this program (not a bare fork), so it has
 * a clean process and a libzmq context of its own. With BENCH_PEER set to
 * the path of this same program built against another libzmq, the peer
 * (sender or echo side) runs that libzmq: one side's change measured alone. */
static inline pid_t bench_spawn_self (char *const argv[])
{
    const char *peer = getenv ("BENCH_PEER");
    pid_t pid = fork ();
    if (pid < 0) {
        perror ("fork");
        exit (2);
    }
    if (pid == 0) {
        execv (peer && *peer ? peer : "/proc/self/exe", argv);
        perror ("execv");
        _exit (127);
    }
    return pid;
}

/* CPU time (user + system, all threads) of this process, in seconds. */
static inline double bench_cpu_self (void)
{
    struct rusage ru;
    getrusage (RUSAGE_SELF, &ru);
    return floor_cpu_seconds (&ru);
}

#endif

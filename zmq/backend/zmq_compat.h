/* Included by the backend before anything else that needs zmq.h.
 *
 * The build defines ZMQ_BUILD_DRAFT_API for the backend, so the draft
 * constants are always visible; whether the draft functions exist depends on
 * how libzmq itself was built (PYZMQ_DRAFT_API). Without them, the backend's
 * calls resolve to the stubs below, which fail with ENOTSUP like libzmq does
 * for any other unsupported request, instead of failing to link. */
#ifndef PYZMQ_ZMQ_COMPAT_H
#define PYZMQ_ZMQ_COMPAT_H

#include <errno.h>
#include <zmq.h>

#if !PYZMQ_DRAFT_API
static int pyzmq_no_draft_str(void *a, const char *b) { (void)a; (void)b; errno = ENOTSUP; return -1; }
static int pyzmq_no_draft_u32(zmq_msg_t *m, uint32_t v) { (void)m; (void)v; errno = ENOTSUP; return -1; }
static uint32_t pyzmq_no_draft_rid(zmq_msg_t *m) { (void)m; return 0; }
static int pyzmq_no_draft_set_group(zmq_msg_t *m, const char *g) { (void)m; (void)g; errno = ENOTSUP; return -1; }
static const char *pyzmq_no_draft_group(zmq_msg_t *m) { (void)m; return ""; }
#define zmq_join pyzmq_no_draft_str
#define zmq_leave pyzmq_no_draft_str
#define zmq_msg_set_routing_id pyzmq_no_draft_u32
#define zmq_msg_routing_id pyzmq_no_draft_rid
#define zmq_msg_set_group pyzmq_no_draft_set_group
#define zmq_msg_group pyzmq_no_draft_group
#endif

#endif

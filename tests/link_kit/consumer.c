/* A C extension module that uses libzmq directly, built by each build-system
 * consumer under tests/link_kit/ against the package's link kit. The build
 * names the module: -DMODULE_NAME=<name> (PyInit_<name>).
 *
 * Sockets and contexts are passed as addresses (zmq.Context.underlying,
 * zmq.Socket.underlying, and what open_pair returns), so the module works on
 * the very context and sockets of the zmq package in the same process.
 * zmq_send_address() tells which libzmq the module's calls reach. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <zmq.h>

#ifndef MODULE_NAME
#error "build with -DMODULE_NAME=<module name>"
#endif
#define STR_(x) #x
#define STR(x) STR_(x)
#define CAT_(a, b) a##b
#define CAT(a, b) CAT_(a, b)

static PyObject *zmq_error(void)
{
    int err = zmq_errno();
    return PyErr_Format(PyExc_OSError, "[Errno %d] %s", err, zmq_strerror(err));
}

static void *address(PyObject *arg)
{
    void *p = PyLong_AsVoidPtr(arg);
    if (p == NULL && !PyErr_Occurred())
        PyErr_SetString(PyExc_ValueError, "null address");
    return p;
}

/* open_pair(context_address, endpoint) -> socket address: a PAIR socket on
 * that context, connected to endpoint, receiving with a 10 s timeout. */
static PyObject *open_pair(PyObject *self, PyObject *args)
{
    PyObject *ctx_arg;
    const char *endpoint;
    if (!PyArg_ParseTuple(args, "Os", &ctx_arg, &endpoint))
        return NULL;
    void *ctx = address(ctx_arg);
    if (ctx == NULL)
        return NULL;
    void *s = zmq_socket(ctx, ZMQ_PAIR);
    if (s == NULL)
        return zmq_error();
    int timeout = 10000, linger = 0;
    if (zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout) != 0
        || zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger) != 0
        || zmq_connect(s, endpoint) != 0) {
        PyObject *err = zmq_error();
        zmq_close(s);
        return err;
    }
    return PyLong_FromVoidPtr(s);
}

/* send(socket_address, data) -> bytes sent */
static PyObject *send_bytes(PyObject *self, PyObject *args)
{
    PyObject *sock_arg;
    const char *data;
    Py_ssize_t len;
    if (!PyArg_ParseTuple(args, "Oy#", &sock_arg, &data, &len))
        return NULL;
    void *s = address(sock_arg);
    if (s == NULL)
        return NULL;
    int rc = zmq_send(s, data, (size_t)len, 0);
    if (rc < 0)
        return zmq_error();
    return PyLong_FromLong(rc);
}

/* recv(socket_address) -> bytes, the GIL released while waiting */
static PyObject *recv_bytes(PyObject *self, PyObject *sock_arg)
{
    void *s = address(sock_arg);
    if (s == NULL)
        return NULL;
    zmq_msg_t msg;
    zmq_msg_init(&msg);
    int rc;
    Py_BEGIN_ALLOW_THREADS
    rc = zmq_msg_recv(&msg, s, 0);
    Py_END_ALLOW_THREADS
    if (rc < 0) {
        zmq_msg_close(&msg);
        return zmq_error();
    }
    PyObject *data = PyBytes_FromStringAndSize(zmq_msg_data(&msg), (Py_ssize_t)zmq_msg_size(&msg));
    zmq_msg_close(&msg);
    return data;
}

static PyObject *close_socket(PyObject *self, PyObject *sock_arg)
{
    void *s = address(sock_arg);
    if (s == NULL)
        return NULL;
    if (zmq_close(s) != 0)
        return zmq_error();
    Py_RETURN_NONE;
}

static PyObject *libzmq_version(PyObject *self, PyObject *unused)
{
    int major, minor, patch;
    zmq_version(&major, &minor, &patch);
    return Py_BuildValue("(iii)", major, minor, patch);
}

/* Where this module's zmq_send calls land: resolved by the dynamic linker, so
 * it is the zmq package's own zmq_send when the module shares its libzmq. */
static PyObject *zmq_send_address(PyObject *self, PyObject *unused)
{
    int (*fn)(void *, const void *, size_t, int) = zmq_send;
    return PyLong_FromVoidPtr(*(void **)&fn);
}

static PyMethodDef methods[] = {
    {"open_pair", open_pair, METH_VARARGS, NULL},
    {"send", send_bytes, METH_VARARGS, NULL},
    {"recv", recv_bytes, METH_O, NULL},
    {"close", close_socket, METH_O, NULL},
    {"libzmq_version", libzmq_version, METH_NOARGS, NULL},
    {"zmq_send_address", zmq_send_address, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, STR(MODULE_NAME), NULL, -1, methods};

PyMODINIT_FUNC CAT(PyInit_, MODULE_NAME)(void)
{
    return PyModule_Create(&module);
}

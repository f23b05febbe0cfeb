"""Generate the backend's constant table from the zmq.h it is compiled against.

usage: gen_constants.py path/to/zmq.h [path/to/zmq_compat.h ...] OUTDIR

Every integer macro of zmq.h that pyzmq exposes is assigned to one of the enum
classes of zmq.constants. Further headers add what zmq.h lacks: the backend's
zmq_compat.h defines the constants of later libzmq releases that pyzmq knows. The values themselves are not parsed here: the .pxi
names the C macros, so the C compiler fills in exactly what the header (and,
for errno values, the platform) defines.

Two files are written to OUTDIR: constant_names.pxi declares the macros to
Cython, and constant_table.h holds the (enum class, member name, module-level
name, value) rows that zmq/backend/cython/constants.pxi turns into
`CONSTANT_TABLE`. The table is C rather than generated Cython code because
Cython names every file holding code in the extension's traceback table, and
a generated file's name is a path into the build directory.
"""

from __future__ import annotations

import os
import re
import sys

# Assignment by name, checked before the header's section comments.
BY_NAME = {
    "DONTWAIT": "Flag", "SNDMORE": "Flag", "NOBLOCK": "Flag",
    "MORE": "MessageOption", "SHARED": "MessageOption", "SRCFD": "MessageOption",
    "NULL": "SecurityMechanism", "PLAIN": "SecurityMechanism",
    "CURVE": "SecurityMechanism", "GSSAPI": "SecurityMechanism",
    "STREAMER": "DeviceType", "FORWARDER": "DeviceType", "QUEUE": "DeviceType",
    "POLLIN": "PollEvent", "POLLOUT": "PollEvent", "POLLERR": "PollEvent", "POLLPRI": "PollEvent",
    # Values of the NORM_MODE option: members without the NORM_ prefix.
    "NORM_FIXED": ("NormMode", "FIXED"), "NORM_CC": ("NormMode", "CC"), "NORM_CCL": ("NormMode", "CCL"),
    "NORM_CCE": ("NormMode", "CCE"), "NORM_CCE_ECNONLY": ("NormMode", "CCE_ECNONLY"),
}

# (prefix of the macro without ZMQ_, enum class, prefix dropped from the member name)
BY_PREFIX = [
    ("EVENT_", "Event", "EVENT_"),
    ("PROTOCOL_ERROR_", "Event", ""),
    ("RECONNECT_STOP_", "ReconnectStop", "RECONNECT_STOP_"),
    ("NOTIFY_", "RouterNotify", "NOTIFY_"),
]

# The header's section comments, for the plain ZMQ_<NAME> integers.
BY_SECTION = [
    (re.compile(r"Context options"), "ContextOption"),
    (re.compile(r"Socket types"), "SocketType"),
    (re.compile(r"Socket options|Deprecated options"), "SocketOption"),
]

# Not enum members in pyzmq: versions, defaults, limits, feature tests.
SKIP = re.compile(r"^(VERSION.*|.*_DFLT|HAS_.*|HAVE_.*|DEFINED_.*|EXPORT|MAKE_VERSION|CURRENT_EVENT_VERSION.*"
                  r"|GROUP_MAX_LENGTH|GSSAPI_NT_.*|MSG_PROPERTY_.*|.*_H_INCLUDED|BUILD_DRAFT_API|HAUSNUMERO)$")

# errno values pyzmq's Errno enum carries that zmq.h itself leaves to <errno.h>.
SYSTEM_ERRNOS = ["EAGAIN", "EFAULT", "EINVAL"]

DEFINE = re.compile(r"^\s*#\s*define\s+(ZMQ_\w+|E[A-Z]+)\s+(\S.*)$")
SECTION = re.compile(r"^\s*/\*\s+(.*?)\s*\*?/?\s*$")


def classify(header_text, seen=None):
    entries = []
    section = ""
    seen = set() if seen is None else seen
    for line in header_text.splitlines():
        match = DEFINE.match(line)
        if not match:
            comment = SECTION.match(line)
            if comment and comment.group(1) and not comment.group(1).startswith("*"):
                text = comment.group(1)
                # "Deprecated aliases" directly after the socket types are socket types.
                if not (text.startswith("Deprecated aliases") and section.endswith("Socket types.")):
                    section = text
            continue
        macro, value = match.groups()
        if macro in seen or value.startswith('"'):
            continue
        if not macro.startswith("ZMQ_"):
            # `#define ENOTSUP (ZMQ_HAUSNUMERO + 1)` and friends, guarded by #ifndef.
            entries.append(("Errno", macro, macro, macro))
            seen.add(macro)
            continue
        name = macro[4:]
        if SKIP.match(name):
            continue
        enum = member = None
        if name in BY_NAME:
            enum, member = BY_NAME[name] if isinstance(BY_NAME[name], tuple) else (BY_NAME[name], name)
        else:
            for prefix, enum_name, drop in BY_PREFIX:
                if name.startswith(prefix):
                    enum, member = enum_name, name[len(drop):]
                    break
            else:
                for pattern, enum_name in BY_SECTION:
                    if pattern.search(section):
                        enum, member = enum_name, name
                        break
        if enum is None:
            continue
        seen.add(macro)
        entries.append((enum, member, name, macro))
    return entries


def classify_headers(texts):
    """The entries of zmq.h (first) and of the headers that supplement it."""
    seen = set()
    entries = []
    for text in texts:
        entries += classify(text, seen)
    for errno_name in SYSTEM_ERRNOS:
        if errno_name not in seen:
            entries.insert(0, ("Errno", errno_name, errno_name, errno_name))
    return entries


def render_names(entries):
    out = [
        "# Generated by tools/gen_constants.py from zmq.h. Do not edit.",
        "",
        'cdef extern from "zmq_compat.h":',
        "    enum:",
    ]
    out += ["        ZMQ_HAUSNUMERO"] + [f"        {macro}" for _, _, _, macro in entries]
    return "\n".join(out + [""])


def render_table(entries):
    out = [
        "/* Generated by tools/gen_constants.py from zmq.h. Do not edit. */",
        "#include \"zmq_compat.h\"",
        "",
        "typedef struct { const char *enum_name, *member, *name; long long value; } pyzmq_constant;",
        "",
        "static const pyzmq_constant pyzmq_constant_table[] = {",
    ]
    out += [f'    {{"{enum}", "{member}", "{name}", {macro}}},' for enum, member, name, macro in entries]
    out += ["};", "", "static const Py_ssize_t pyzmq_constant_count =",
            "    (Py_ssize_t)(sizeof(pyzmq_constant_table) / sizeof(pyzmq_constant_table[0]));"]
    return "\n".join(out + [""])


def write_if_changed(path, text):
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return  # unchanged: keep the timestamp so Cython and the compiler do not rerun
    except FileNotFoundError:
        pass
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    texts = []
    for header in argv[1:-1]:
        with open(header, encoding="utf-8") as f:
            texts.append(f.read())
    entries = classify_headers(texts)
    outdir = argv[-1]
    write_if_changed(os.path.join(outdir, "constant_names.pxi"), render_names(entries))
    write_if_changed(os.path.join(outdir, "constant_table.h"), render_table(entries))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

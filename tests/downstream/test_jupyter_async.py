"""jupyter_client's asyncio manager and client, which use zmq.asyncio sockets."""

import asyncio
import importlib.util
import json
import time

import pytest

for _name in ("jupyter_client", "ipykernel"):
    # Not pytest.importorskip: it would also skip when the library is installed
    # but fails to import because this package lacks something it needs.
    if importlib.util.find_spec(_name) is None:
        pytest.skip(f"{_name} is not installed", allow_module_level=True)

import jupyter_client  # noqa: E402,F401  (import errors here are test failures)


async def execute(kc, code, timeout):
    """Send an execute request; collect its iopub messages until idle."""
    msg_id = kc.execute(code)
    outputs = []
    while True:
        msg = await asyncio.wait_for(kc.get_iopub_msg(), timeout)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        outputs.append(msg)
        if msg["header"]["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    while True:
        reply = await asyncio.wait_for(kc.get_shell_msg(), timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply, outputs


def contents(outputs, msg_type):
    return [m["content"] for m in outputs if m["header"]["msg_type"] == msg_type]


def test_async_kernel_session(kernels):
    timeout = kernels.REPLY_TIMEOUT

    async def session():
        km = kernels.manager(asynchronous=True)
        await km.start_kernel(cwd=kernels.cwd)
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=timeout)

            reply, outputs = await execute(kc, kernels.ZMQ_IDENTITY_CODE, timeout)
            assert reply["content"]["status"] == "ok", reply["content"]
            [stream] = contents(outputs, "stream")
            assert json.loads(stream["text"]) == kernels.expected_zmq_identity()

            reply, outputs = await execute(kc, "1+1", timeout)
            assert contents(outputs, "execute_result")[0]["data"]["text/plain"] == "2"

            reply, outputs = await execute(kc, "print('async hello')", timeout)
            assert [c["text"] for c in contents(outputs, "stream")] == ["async hello\n"]

            reply, outputs = await execute(kc, "raise ValueError('boom')", timeout)
            assert reply["content"]["status"] == "error"
            assert contents(outputs, "error")[0]["evalue"] == "boom"

            # Several requests in flight at once on one client.
            msg_ids = [kc.execute(f"{i} * 2") for i in range(5)]
            results, replies = {}, {}
            while len(results) < len(msg_ids):
                msg = await asyncio.wait_for(kc.get_iopub_msg(), timeout)
                if msg["header"]["msg_type"] == "execute_result":
                    results[msg["parent_header"]["msg_id"]] = msg["content"]["data"]["text/plain"]
            while len(replies) < len(msg_ids):
                msg = await asyncio.wait_for(kc.get_shell_msg(), timeout)
                replies[msg["parent_header"]["msg_id"]] = msg["content"]["status"]
            assert [results[m] for m in msg_ids] == ["0", "2", "4", "6", "8"]
            assert set(replies.values()) == {"ok"} and set(replies) == set(msg_ids)

            process = kernels.process(km)
        finally:
            kc.stop_channels()

        start = time.monotonic()
        await km.shutdown_kernel(now=False)
        kernels.assert_exited_gracefully(process, time.monotonic() - start)

    asyncio.run(asyncio.wait_for(session(), 4 * timeout))
